import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestServer } from './helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await TestServer.start();
});
afterAll(() => server.close());

/**
 * Opens a graphql-ws socket and sends the message `init()` makes; resolves with the first message
 * or the close. The message is made when sent, so this side does not hold on to it.
 */
function open(init: () => string) {
  const socket = new WebSocket(server.wsUrl, 'graphql-transport-ws');
  socket.once('open', () => socket.send(init()));
  const first = new Promise<{ message?: any; close?: { code: number; reason: string } }>((resolve) => {
    socket.once('message', (data) => resolve({ message: JSON.parse(String(data)) }));
    socket.once('close', (code, reason) => resolve({ close: { code, reason: String(reason) } }));
  });
  return { socket, first };
}

// The server runs in this process: its heap is ours to measure.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapUsed = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

describe('WebSocket limits', () => {
  it('refuse a frame larger than WS_MAX_PAYLOAD_BYTES with 1009, and keep serving', async () => {
    const big = () => JSON.stringify({ type: 'connection_init', payload: { token: 'x', junk: 'x'.repeat(2 * 1024 * 1024) } });
    expect((await open(big).first).close?.code).toBe(1009);

    const user = await server.user('after_big');
    const { socket, first } = open(() => JSON.stringify({ type: 'connection_init', payload: { token: user.token } }));
    expect((await first).message).toEqual({ type: 'connection_ack' });
    socket.close();
  });

  it('do not keep the connection_init payload for the socket’s life', async () => {
    const user = await server.user('junk_sender');
    const junk = 'j'.repeat(800 * 1024);
    const before = heapUsed();
    const sockets = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const { socket, first } = open(() => JSON.stringify({ type: 'connection_init', payload: { token: user.token, junk: `${i}${junk}` } }));
        expect((await first).message).toEqual({ type: 'connection_ack' });
        return socket;
      }),
    );
    const grown = heapUsed() - before;
    // Kept, the payloads alone would hold 16 MB.
    expect(grown).toBeLessThan(6 * 1024 * 1024);
    for (const socket of sockets) socket.close();
  });
});
