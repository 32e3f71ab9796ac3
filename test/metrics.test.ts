import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, PASSWORD, TestServer } from './helpers/server.js';

/** Prometheus text format: the value of each series, by `name{labels}` as the server printed it. */
function parse(text: string): Map<string, number> {
  const series = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    series.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return series;
}

/** The sum of every series of a metric whose labels include all of `labels`. */
function total(series: Map<string, number>, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const [key, value] of series) {
    const [metric, rest = ''] = key.split('{');
    if (metric !== name) continue;
    if (Object.entries(labels).every(([k, v]) => rest.includes(`${k}="${v}"`))) sum += value;
  }
  return sum;
}

async function scrape(url: string, token?: string) {
  const res = await fetch(`${url}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, type: res.headers.get('content-type'), series: parse(await res.text()) };
}

describe('GET /metrics', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await TestServer.start();
  });
  afterAll(() => server.close());

  async function restUser(name: string) {
    await server.rest('POST', '/user/register/v2', { json: { username: name, password: PASSWORD } });
    const login = await server.rest('POST', '/token/user', { json: { name, password: PASSWORD } });
    return { id: Number(login.body.data.user_id), token: login.body.data.token as string };
  }

  it('counts requests, typed errors, sends, batches, connections, streams and deliveries as they happen', async () => {
    const before = await scrape(server.url);
    expect(before.status).toBe(200);
    expect(before.type).toMatch(/^text\/plain/);
    // Process figures come with it (event-loop lag among them).
    expect(before.series.has('im_nodejs_eventloop_lag_seconds')).toBe(true);

    const alice = await restUser('malice');
    const bob = await restUser('mbob');
    const wrong = await server.gql(
      `mutation Login($input: CreateAccessTokenInput!) { createAccessToken(appId: "${server.appId}", input: $input) { __typename ... on Error { code } } }`,
      { input: { username: 'malice', password: 'not the password' } },
    );
    expect(wrong.data.createAccessToken.code).toBe('BAD_CREDENTIALS');

    const ws = server.ws({ token: bob.token });
    const events = collect(ws.client, 'subscription { events { __typename } }');
    expect((await events.next()).events.__typename).toBe('StreamReadyEvent');
    const during = await scrape(server.url);
    expect(total(during.series, 'im_websocket_connections')).toBe(1);
    expect(total(during.series, 'im_event_streams')).toBe(1);

    const sent = await server.rest('POST', '/message/send', {
      token: alice.token,
      json: { type: 1, targets: [bob.id], content_type: 0, content: 'counted' },
    });
    expect(sent.body.code).toBe(200);
    expect((await events.next()).events.__typename).toBe('MessageEvent');
    events.dispose();
    await ws.client.dispose();
    await ws.closed;

    const after = await scrape(server.url);
    const moved = (name: string, labels: Record<string, string> = {}) => total(after.series, name, labels) - total(before.series, name, labels);
    expect(moved('im_http_request_duration_seconds_count', { handler: 'maxim', route: '/token/user', method: 'POST', status: '200' })).toBe(2);
    expect(moved('im_http_request_duration_seconds_count', { handler: 'maxim', route: '/message/send', status: '200' })).toBe(1);
    expect(moved('im_http_request_duration_seconds_count', { handler: 'graphql', route: '/graphql', status: '200' })).toBe(1);
    expect(moved('im_http_request_duration_seconds_count', { handler: 'metrics' })).toBe(2);
    expect(moved('im_errors_total', { code: 'BAD_CREDENTIALS' })).toBe(1);
    // GraphQL over HTTP and WebSocket, by operation (REST routes are counted by route above).
    expect(moved('graphql_envelop_request', { operationName: 'Login', operationType: 'mutation' })).toBe(1);
    expect(moved('graphql_envelop_request', { operationType: 'subscription' })).toBe(1);
    expect(moved('im_message_batch_size_sum')).toBe(1);
    expect(moved('im_message_batch_size_count')).toBe(1);
    expect(moved('im_events_published_total', { topic: 'user' })).toBeGreaterThanOrEqual(1);
    expect(moved('im_events_delivered_total', { type: 'MESSAGE' })).toBe(1);
    // The socket and the stream are gone again.
    await expect.poll(async () => total((await scrape(server.url)).series, 'im_event_streams')).toBe(0);
    await expect.poll(async () => total((await scrape(server.url)).series, 'im_websocket_connections')).toBe(0);
    if (server.running.database.kind === 'postgres') {
      expect(total(after.series, 'im_database_connections')).toBeGreaterThanOrEqual(1);
    }
  });

  it('labels made-up methods as OTHER, so a client cannot grow the label set', async () => {
    await fetch(`${server.url}/nowhere`, { method: 'FROBNICATE' }).catch(() => undefined);
    const { series } = await scrape(server.url);
    expect([...series.keys()].some((key) => key.includes('FROBNICATE'))).toBe(false);
  });
});

describe('GET /metrics with METRICS_TOKEN', () => {
  it('answers 401 without the token and the figures with it', async () => {
    const server = await TestServer.start({ env: { METRICS_TOKEN: 'scrape-me-0123' } });
    try {
      expect((await scrape(server.url)).status).toBe(401);
      expect((await scrape(server.url, 'wrong-token')).status).toBe(401);
      const ok = await scrape(server.url, 'scrape-me-0123');
      expect(ok.status).toBe(200);
      expect(ok.series.has('im_nodejs_eventloop_lag_seconds')).toBe(true);
    } finally {
      await server.close();
    }
  });
});

describe('METRICS_PORT', () => {
  it('serves the figures on a port of their own, and not on the public one', async () => {
    const { createServer } = await import('node:net');
    // A free port, found by binding port 0 and letting it go.
    const free = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const server = await TestServer.start({ env: { METRICS_PORT: String(free) } });
    try {
      expect(server.running.metricsPort).toBe(free);
      expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
      const own = await scrape(`http://127.0.0.1:${free}`);
      expect(own.status).toBe(200);
      expect(own.series.has('im_nodejs_eventloop_lag_seconds')).toBe(true);
    } finally {
      await server.close();
    }
    // The metrics port is freed with the server.
    await expect(fetch(`http://127.0.0.1:${free}/metrics`)).rejects.toThrow();
  });
});
