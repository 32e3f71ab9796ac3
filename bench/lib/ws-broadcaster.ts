// The broadcast ceiling's server: a bare `ws` server that, when told, sends one JSON frame to
// every socket as fast as the sockets drain, for the given seconds, then reports frames sent.
import { WebSocketServer, type WebSocket } from 'ws';

const wss = new WebSocketServer({ port: 0, host: '0.0.0.0', perMessageDeflate: false });
const sockets: WebSocket[] = [];
wss.on('connection', (ws) => sockets.push(ws));
wss.on('listening', () => process.send!({ port: (wss.address() as { port: number }).port }));

process.on('message', async (m: { frameBytes: number; seconds: number }) => {
  const payload = { id: '1', type: 'next', payload: { data: { events: { __typename: 'MessageEvent', cursor: '', message: { content: '' } } } } };
  const base = JSON.stringify(payload).length;
  payload.payload.data.events.message.content = 'x'.repeat(Math.max(0, m.frameBytes - base));
  const until = Date.now() + m.seconds * 1000;
  let sent = 0;
  while (Date.now() < until) {
    // One event to every socket, serialised once.
    const frame = JSON.stringify(payload);
    for (const ws of sockets) {
      ws.send(frame);
      sent++;
    }
    // Bounded buffers, as a real server keeps them: wait while any socket is backed up.
    while (sockets.some((ws) => ws.bufferedAmount > 256 * 1024)) await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
  }
  process.send!({ sent });
});
