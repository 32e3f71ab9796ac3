import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, TestServer, type TestUser } from './helpers/server.js';

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

  it('logs each graphql-ws operation once it ends: operation, error code, duration, app; never variables or the token', async () => {
    const { client } = server.ws({ token: alice.token });
    const once = (query: string, variables: Record<string, unknown>, operationName?: string) =>
      new Promise<{ data?: any; errors?: any[] }>((resolve, reject) => {
        let result: { data?: any; errors?: any[] } = {};
        client.subscribe(
          { query, variables, operationName },
          { next: (r) => (result = r as typeof result), error: (e) => (Array.isArray(e) ? resolve({ errors: e }) : reject(e)), complete: () => resolve(result) },
        );
      });
    /** The request lines of an operation name (graphql-ws has no header: errors carry the id back). */
    const linesNamed = async (operation: string) => {
      await expect.poll(() => logs.some((l) => l.includes(`"operation":"${operation}"`))).toBe(true);
      return logs.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request' && l.operation === operation);
    };

    const me = await once('query WsMe($secret: ID!) { user(id: $secret) { id } }', { secret: '987654321555' }, 'WsMe');
    expect(me.errors).toBeUndefined();
    const [line, ...more] = await linesNamed('WsMe');
    expect(more).toEqual([]);
    expect(line).toMatchObject({ level: 30, transport: 'ws', path: '/graphql', handler: 'graphql-ws', operation: 'WsMe', operationType: 'query', appId: server.appId });
    expect(line.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(line.durationMs).toBeGreaterThan(0);
    expect(line).not.toHaveProperty('errorCode');

    // An operation refused for the viewer's role: its error code, at warn.
    const refused = await once('query WsSettings { appSettings { __typename } }', {});
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const [refusedLine] = await linesNamed('WsSettings');
    expect(refusedLine).toMatchObject({ level: 40, transport: 'ws', operationType: 'query', errorCode: 'FORBIDDEN', appId: server.appId });
    // The client can quote the id of the line that tells what happened.
    expect(refused.errors?.[0]?.extensions?.requestId).toBe(refusedLine.requestId);

    // A document that does not validate never runs, and is logged all the same.
    const invalid = await once('query WsNoSuchField { noSuchField }', {});
    expect(invalid.errors?.[0]?.message).toMatch(/noSuchField/);
    const [invalidLine] = await linesNamed('WsNoSuchField');
    expect(invalidLine).toMatchObject({ level: 40, transport: 'ws', errorCode: expect.any(String) });
    expect(invalid.errors?.[0]?.extensions?.requestId).toBe(invalidLine.requestId);

    // A subscription is logged when it ends, here when the client completes it.
    const live = collect(client, 'subscription WsLive { events { __typename } }');
    expect((await live.next()).events.__typename).toBe('StreamReadyEvent');
    expect(logs.some((l) => l.includes('"operation":"WsLive"'))).toBe(false);
    live.dispose();
    const [liveLine] = await linesNamed('WsLive');
    expect(liveLine).toMatchObject({ level: 30, operationType: 'subscription', appId: server.appId });

    await client.dispose();
    const all = logs.join('\n');
    for (const secret of ['987654321555', alice.token]) expect(all).not.toContain(secret);
  });
});
