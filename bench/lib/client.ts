/**
 * Load clients: a small graphql-transport-ws client on bare `ws` (the graphql-ws library's client
 * costs more per socket than the server work measured), and GraphQL over keep-alive HTTP.
 */
import { Agent, request } from 'node:http';
import WebSocket from 'ws';

export const http = new Agent({ keepAlive: true, maxSockets: 256 });

export async function gql<T = any>(url: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const body = JSON.stringify({ query, variables });
  const text = await new Promise<string>((resolve, reject) => {
    const req = request(
      `${url}/graphql`,
      {
        method: 'POST',
        agent: http,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...(token && { authorization: `Bearer ${token}` }) },
      },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (data += chunk));
        res.on('end', () => resolve(data));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
  const json = JSON.parse(text) as { data?: T; errors?: { message: string }[] };
  if (json.errors?.length) throw new Error(`GraphQL error: ${json.errors[0]!.message}`);
  return json.data as T;
}

type Handlers = { next(data: any): void; error(errors: unknown): void; complete(): void };

/** One graphql-transport-ws connection. */
export class WsClient {
  private ws!: WebSocket;
  private nextId = 1;
  private readonly operations = new Map<string, Handlers>();
  closed: Promise<{ code: number; reason: string }> = Promise.resolve({ code: 0, reason: '' });
  /** Size of the latest `next` frame any client received: the broadcast ceiling sends frames of it. */
  static lastFrameBytes = 0;

  /** Opens and initialises the connection (`localAddress` spreads clients over loopback addresses). */
  async open(url: string, token: string, localAddress?: string): Promise<void> {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws', { localAddress, perMessageDeflate: false });
    this.ws = ws;
    this.closed = new Promise((resolve) =>
      ws.once('close', (code, reason) => {
        for (const op of this.operations.values()) op.error([{ message: `closed ${code}` }]);
        this.operations.clear();
        resolve({ code, reason: reason.toString() });
      }),
    );
    await new Promise<void>((resolve, reject) => {
      ws.once('error', reject);
      ws.once('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { token } })));
      ws.on('message', (raw) => {
        const message = JSON.parse(raw.toString());
        switch (message.type) {
          case 'connection_ack':
            ws.off('error', reject);
            ws.on('error', () => {});
            return resolve();
          case 'ping':
            return ws.send('{"type":"pong"}');
          case 'next':
            if ((raw as Buffer).includes('"MessageEvent"')) WsClient.lastFrameBytes = (raw as Buffer).length;
            return this.operations.get(message.id)?.next(message.payload.data);
          case 'error': {
            const op = this.operations.get(message.id);
            this.operations.delete(message.id);
            return op?.error(message.payload);
          }
          case 'complete': {
            const op = this.operations.get(message.id);
            this.operations.delete(message.id);
            return op?.complete();
          }
        }
      });
      ws.once('close', (code) => reject(new Error(`closed ${code} before connection_ack`)));
    });
  }

  subscribe(query: string, variables: Record<string, unknown>, handlers: Handlers): string {
    const id = String(this.nextId++);
    this.operations.set(id, handlers);
    this.ws.send(JSON.stringify({ id, type: 'subscribe', payload: { query, variables } }));
    return id;
  }

  /** A query or mutation on the connection: its data, or a rejection with its errors. */
  execute<T = any>(query: string, variables: Record<string, unknown>): Promise<T> {
    return new Promise((resolve, reject) => {
      let result: T | undefined;
      this.subscribe(query, variables, {
        next: (data) => (result = data),
        error: (errors) => reject(new Error(`GraphQL error: ${JSON.stringify(errors)}`)),
        complete: () => resolve(result as T),
      });
    });
  }

  close() {
    this.ws?.close(1000);
  }

  terminate() {
    this.ws?.terminate();
  }
}

/** Loopback addresses to spread many client sockets over (each has its own ephemeral ports). */
export const loopback = (i: number) => `127.0.0.${1 + (Math.floor(i / 5_000) % 250)}`;
