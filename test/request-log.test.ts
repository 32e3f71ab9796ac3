import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestServer, type TestUser } from './helpers/server.js';

// One JSON line per request (src/request-log.ts), with a request id the response carries too;
// never variables, tokens or query strings.

describe('request logs', () => {
  const logs: string[] = [];
  let server: TestServer;
  let alice: TestUser;

  beforeAll(async () => {
    server = await TestServer.start({ env: { LOG_LEVEL: 'info' }, logs });
    alice = await server.user('alice');
  });
  afterAll(() => server?.close());

  /** The request lines logged for one request id (the line is written when the response closes). */
  const linesOf = async (id: string) => {
    await expect.poll(() => logs.some((l) => l.includes(id))).toBe(true);
    return logs.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request' && l.requestId === id);
  };

  it('logs a GraphQL request once: operation, status, duration, app, and the id it echoes', async () => {
    const res = await fetch(`${server.url}/graphql?token=hidden-in-the-url`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${alice.token}`, 'x-request-id': 'client-req-1' },
      body: JSON.stringify({ query: 'query Me($secret: ID!) { user(id: $secret) { id } }', variables: { secret: '987654321987' }, operationName: 'Me' }),
    });
    expect(res.headers.get('x-request-id')).toBe('client-req-1');
    const [line, ...more] = await linesOf('client-req-1');
    expect(more).toEqual([]);
    expect(line).toMatchObject({ level: 30, method: 'POST', path: '/graphql', handler: 'graphql', operation: 'Me', operationType: 'query', status: 200, appId: server.appId });
    expect(line.durationMs).toBeGreaterThan(0);
    const all = logs.join('\n');
    for (const secret of ['987654321987', 'hidden-in-the-url', alice.token]) expect(all).not.toContain(secret);
  });

  it('makes up an id when the client sends none or a strange one, and logs failures louder', async () => {
    const none = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'bad id with spaces and {braces}' },
      body: JSON.stringify({ query: '{ viewer { id } }' }),
    });
    const id = none.headers.get('x-request-id')!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const [line] = await linesOf(id);
    expect(line).toMatchObject({ level: 40, operation: '(anonymous)', errorCode: 'TOKEN_MISSING' });

    const missing = await fetch(`${server.url}/no/such/route`);
    const [notFound] = await linesOf(missing.headers.get('x-request-id')!);
    expect(notFound).toMatchObject({ level: 40, method: 'GET', path: '/no/such/route', handler: 'not_found', status: 404 });
  });
});
