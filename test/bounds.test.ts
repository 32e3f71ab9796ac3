import { connect, type Socket } from 'node:net';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, TestServer, type TestUser } from './helpers/server.js';
import { sse } from './helpers/sse.js';

// Small limits, so a test reaches them with a handful of connections.
let server: TestServer;
beforeAll(async () => {
  server = await TestServer.start({
    env: {
      MAX_LIVE_CONNECTIONS_PER_USER: '2',
      MAX_SUBSCRIPTIONS_PER_CONNECTION: '2',
      HEADERS_TIMEOUT_SECONDS: '1',
      BODY_TIMEOUT_SECONDS: '1',
      CORS_ORIGINS: 'https://allowed.example',
    },
  });
});
afterAll(() => server.close());

const EVENTS = `subscription { events { __typename } }`;

/** A graphql-ws socket of `user`, once the server has acknowledged (or refused) it. */
async function socketOf(user: TestUser) {
  const ws = server.ws({ token: user.token });
  const outcome = await Promise.race([ws.connected.then(() => 'connected' as const), ws.closed]);
  return { ...ws, outcome };
}

/** An SSE stream of `events`, once it is live (its first event) or refused. */
async function streamOf(user: TestUser) {
  const stream = await sse(server.url, EVENTS, { token: user.token });
  const first = await stream.next();
  return { stream, first };
}

describe('live connections per user', () => {
  it('count graphql-ws sockets and SSE streams together; one more is refused with 4429 or HTTP 429', async () => {
    const alice = await server.user('limit_alice');
    const bob = await server.user('limit_bob');

    const socket = await socketOf(alice);
    expect(socket.outcome).toBe('connected');
    const live = await streamOf(alice);
    expect(live.first.data.events.__typename).toBe('StreamReadyEvent');

    // A third, over either transport.
    const refusedSocket = await socketOf(alice);
    expect(refusedSocket.outcome).toMatchObject({ code: 4429 });
    expect((refusedSocket.outcome as { reason: string }).reason).toMatch(/at most 2 per user/);
    const refusedStream = await sse(server.url, EVENTS, { token: alice.token });
    expect(refusedStream.status).toBe(429);
    expect((await refusedStream.next()).errors[0].extensions.code).toBe('TOO_MANY_CONNECTIONS');

    // Someone else is not held to Alice's count.
    const other = await socketOf(bob);
    expect(other.outcome).toBe('connected');

    // The streams Alice holds still deliver.
    await socket.client.dispose();
    live.stream.abort();
    await other.client.dispose();
  });

  it('free a place when a connection ends', async () => {
    const carol = await server.user('limit_carol');
    const first = await socketOf(carol);
    const second = await socketOf(carol);
    expect([first.outcome, second.outcome]).toEqual(['connected', 'connected']);
    await first.client.dispose();
    await first.closed;
    // The server frees the place when it sees the socket close, which may come a moment after
    // the client does: each attempt is a full round trip, and a refused one changes nothing.
    let outcome: unknown;
    for (let attempt = 0; attempt < 50 && outcome !== 'connected'; attempt++) outcome = (await socketOf(carol)).outcome;
    expect(outcome).toBe('connected');
    await second.client.dispose();
  });
});

describe('live connections of the JSON action protocol', () => {
  /** An /action/ws socket logged in as `username`; resolves with the login answer or the close. */
  async function actionSocket(username: string) {
    const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/action/ws`);
    const closed = new Promise<{ code: number }>((resolve) => ws.once('close', (code) => resolve({ code })));
    await new Promise<void>((resolve) => ws.once('open', () => resolve()));
    const answer = new Promise<{ code: number }>((resolve) => ws.once('message', (data) => resolve(JSON.parse(String(data)))));
    ws.send(JSON.stringify({ action: 'login', param: { appId: server.appId, appSecretKey: server.appSecret, username, platformId: 'ios' } }));
    return { ws, outcome: await Promise.race([answer.then((a) => ({ answer: a.code })), closed.then((c) => ({ close: c.code }))]) };
  }

  it('count against the same per-user limit, refused with 4429', async () => {
    const first = await actionSocket('act_limit');
    const second = await actionSocket('act_limit');
    expect([first.outcome, second.outcome]).toEqual([{ answer: 0 }, { answer: 0 }]);
    expect((await actionSocket('act_limit')).outcome).toEqual({ close: 4429 });
    expect((await actionSocket('act_other')).outcome).toEqual({ answer: 0 });
    first.ws.close();
    second.ws.close();
  });
});

describe('operations per graphql-ws connection', () => {
  it('refuse one more than MAX_SUBSCRIPTIONS_PER_CONNECTION with TOO_MANY_SUBSCRIPTIONS, keeping the socket open', async () => {
    const dave = await server.user('limit_dave');
    const { client, connected } = server.ws({ token: dave.token });
    await connected;
    const one = collect(client, EVENTS);
    const two = collect(client, EVENTS);
    expect((await one.next()).events.__typename).toBe('StreamReadyEvent');
    expect((await two.next()).events.__typename).toBe('StreamReadyEvent');

    const three = collect(client, EVENTS);
    const refused = (await three.done) as { extensions: { code: string } }[];
    expect(refused[0]!.extensions.code).toBe('TOO_MANY_SUBSCRIPTIONS');

    // Completing one makes room on the same socket.
    one.dispose();
    const four = collect(client, EVENTS);
    expect((await four.next()).events.__typename).toBe('StreamReadyEvent');
    await client.dispose();
  });
});

describe('live connections of the whole server', () => {
  it('refuse one more than MAX_LIVE_CONNECTIONS: graphql-ws with 1013, SSE with HTTP 503', async () => {
    const small = await TestServer.start({ env: { MAX_LIVE_CONNECTIONS: '2' } });
    try {
      const erin = await small.user('total_erin');
      const frank = await small.user('total_frank');
      // Counted from the upgrade on: sockets that never authenticate hold their place too.
      const bare = await new Promise<WebSocket>((resolve) => {
        const socket = new WebSocket(small.wsUrl, 'graphql-transport-ws');
        socket.once('open', () => resolve(socket));
      });
      const held = small.ws({ token: erin.token });
      await held.connected;

      const refused = small.ws({ token: frank.token });
      expect((await refused.closed).code).toBe(1013);
      const stream = await sse(small.url, EVENTS, { token: frank.token });
      expect(stream.status).toBe(503);
      expect((await stream.next()).errors[0].extensions.code).toBe('SERVER_BUSY');

      bare.close();
      await held.client.dispose();
    } finally {
      await small.close();
    }
  });
});

/** A raw connection to the server; `closed` resolves with what the server sent before it hung up. */
function rawConnection() {
  const socket: Socket = connect(server.running.port, '127.0.0.1');
  let received = '';
  socket.on('data', (chunk) => (received += chunk.toString('latin1')));
  socket.on('error', () => undefined);
  const closed = new Promise<string>((resolve) => socket.once('close', () => resolve(received)));
  return { socket, closed };
}

describe('slow clients', () => {
  it('are cut when a request body does not arrive within BODY_TIMEOUT_SECONDS', async () => {
    const { socket, closed } = rawConnection();
    socket.write('POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"que');
    // The rest of the body never comes: the server hangs up without answering.
    expect(await closed).toBe('');
  });

  it('are cut on the REST routes too', async () => {
    const { socket, closed } = rawConnection();
    socket.write('POST /user/register HTTP/1.1\r\nHost: localhost\r\napp_id: testapp\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"us');
    expect(await closed).toBe('');
  });

  it('are cut when headers do not arrive within HEADERS_TIMEOUT_SECONDS', async () => {
    const { socket, closed } = rawConnection();
    socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n');
    expect(await closed).toMatch(/^HTTP\/1\.1 408/);
  });

  it('are not cut when the body comes in time', async () => {
    const { socket, closed } = rawConnection();
    const body = JSON.stringify({ query: '{ __typename }' });
    socket.write(`POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    expect(await closed).toMatch(/^HTTP\/1\.1 200[\s\S]*"__typename":"Query"/);
  });
});

describe('CORS', () => {
  const ask = (origin: string, method = 'POST') =>
    fetch(`${server.url}/graphql`, {
      method,
      headers: { origin, 'content-type': 'application/json', 'access-control-request-method': 'POST' },
      body: method === 'POST' ? JSON.stringify({ query: '{ __typename }' }) : undefined,
    });

  it('gives a foreign origin no Access-Control headers, so its pages cannot read the answers', async () => {
    for (const method of ['POST', 'OPTIONS']) {
      const res = await ask('https://evil.example', method);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    }
  });

  it('allows an origin of CORS_ORIGINS, with credentials', async () => {
    for (const method of ['POST', 'OPTIONS']) {
      const res = await ask('https://allowed.example', method);
      expect(res.headers.get('access-control-allow-origin')).toBe('https://allowed.example');
      expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    }
  });

  it('with `*` allows any origin, never with credentials', async () => {
    const open = await TestServer.start({ env: { CORS_ORIGINS: '*' } });
    try {
      const res = await fetch(`${open.url}/graphql`, {
        method: 'POST',
        headers: { origin: 'https://anyone.example', 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      expect(res.headers.get('access-control-allow-origin')).toBe('https://anyone.example');
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    } finally {
      await open.close();
    }
  });
});
