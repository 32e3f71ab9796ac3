import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { PASSWORD, TestServer, type TestUser } from './helpers/server.js';

const SEND = `mutation($to: ID!, $c: String!) {
  sendMessage(input: { toKind: USER, targets: [$to], contentType: TEXT, content: $c }) { __typename ... on Error { code } }
}`;
const HISTORY = `query($with: ID!) { messages(conversation: { userId: $with }, last: 10) { edges { node { content } } } }`;
const REGISTER = `mutation($a: ID!, $u: String!) { registerUser(appId: $a, input: { username: $u, password: "${PASSWORD}" }) { __typename } }`;

/** A raw POST /graphql, for the status and headers. */
async function post(url: string, query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as { data?: any; errors?: any[] } };
}

const bearer = (user: { token: string }) => ({ authorization: `Bearer ${user.token}` });

describe('per user budgets (3 sends and 2 history reads a minute)', () => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  beforeAll(async () => {
    server = await TestServer.start({ env: { RATE_LIMIT_SENDS: '3', RATE_LIMIT_SENDS_SECONDS: '60', RATE_LIMIT_READS: '2', RATE_LIMIT_READS_SECONDS: '60' } });
    [alice, bob, carol] = [await server.user('alice'), await server.user('bob'), await server.user('carol')];
  });
  afterAll(() => server.close());

  it('refuses the fourth send with RATE_LIMITED and a retry-after (429 and Retry-After over HTTP); the message is not stored', async () => {
    for (let i = 1; i <= 3; i++) expect((await post(server.url, SEND, { to: bob.id, c: `m${i}` }, bearer(alice))).body.data.sendMessage.__typename).toBe('SendMessagePayload');
    const refused = await post(server.url, SEND, { to: bob.id, c: 'm4' }, bearer(alice));
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(60);
    expect(refused.body.data).toBeNull();
    expect(refused.body.errors).toHaveLength(1);
    expect(refused.body.errors![0].extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: Number(refused.retryAfter) });

    const history = await server.gql(HISTORY, { with: alice.id }, { token: bob.token });
    expect(history.data.messages.edges.map((e: any) => e.node.content)).toEqual(['m1', 'm2', 'm3']);
  });

  it('answers the REST dialect with its envelope, 429 and Retry-After, and graphql-ws with the same error', async () => {
    const rest = await fetch(`${server.url}/message/send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', app_id: server.appId, 'access-token': alice.token },
      body: JSON.stringify({ type: 1, targets: [bob.id], content_type: 0, content: 'over REST' }),
    });
    expect(rest.status).toBe(429);
    expect(Number(rest.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await rest.json()).toMatchObject({ code: 429, data: null });

    const { client, connected } = server.ws({ token: alice.token });
    await connected;
    const result = await new Promise<any>((resolve) => {
      let seen: any;
      client.subscribe({ query: SEND, variables: { to: bob.id, c: 'over ws' } }, { next: (r) => (seen = r), error: resolve, complete: () => resolve(seen) });
    });
    expect(result.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(result.errors[0].extensions.retryAfterSeconds).toBeGreaterThan(0);
    await client.dispose();
  });

  it('leaves other users their own budget', async () => {
    const sent = await post(server.url, SEND, { to: bob.id, c: 'from carol' }, bearer(carol));
    expect([sent.status, sent.body.data.sendMessage.__typename]).toEqual([200, 'SendMessagePayload']);
  });

  it('counts a send to several targets as one message each', async () => {
    const dave = await server.user('dave');
    const many = `mutation($to: [ID!]!) { sendMessage(input: { toKind: USER, targets: $to, contentType: TEXT, content: "hi all" }) { __typename } }`;
    expect((await post(server.url, many, { to: [alice.id, bob.id] }, bearer(dave))).status).toBe(200);
    expect((await post(server.url, many, { to: [alice.id, bob.id] }, bearer(dave))).status).toBe(429);
    expect((await post(server.url, many, { to: [alice.id] }, bearer(dave))).status).toBe(200);
  });

  it('limits history reads per user, not the other reads', async () => {
    expect((await post(server.url, HISTORY, { with: alice.id }, bearer(carol))).status).toBe(200);
    expect((await post(server.url, HISTORY, { with: alice.id }, bearer(carol))).status).toBe(200);
    const third = await post(server.url, HISTORY, { with: alice.id }, bearer(carol));
    expect([third.status, third.body.errors?.[0].extensions.code]).toEqual([429, 'RATE_LIMITED']);
    expect((await post(server.url, `{ viewer { id } }`, {}, bearer(carol))).body.data.viewer.id).toBe(carol.id);
    expect((await post(server.url, HISTORY, { with: carol.id }, bearer(alice))).status).toBe(200);
  });
});

describe('per address and per app budgets', () => {
  let server: TestServer;
  let other: { appId: string; appSecret: string };
  beforeAll(async () => {
    server = await TestServer.start({
      env: {
        TRUST_PROXY_HOPS: '1',
        RATE_LIMIT_REGISTRATIONS_PER_ADDRESS: '2',
        RATE_LIMIT_REGISTRATIONS_PER_APP: '4',
        RATE_LIMIT_LOGINS_PER_ADDRESS: '3',
        RATE_LIMIT_ADMIN: '2',
        RATE_LIMIT_ADMIN_SECONDS: '60',
      },
    });
    other = await server.createApp('rlother');
  });
  afterAll(() => server.close());

  const from = (address: string) => ({ 'x-forwarded-for': address });
  const register = async (appId: string, username: string, address: string) => post(server.url, REGISTER, { a: appId, u: username }, from(address));

  it('limits registrations per client address, then per app', async () => {
    expect((await register(server.appId, 'r1', '192.0.2.1')).status).toBe(200);
    expect((await register(server.appId, 'r2', '192.0.2.1')).status).toBe(200);
    const refused = await register(server.appId, 'r3', '192.0.2.1');
    expect([refused.status, refused.body.errors?.[0].extensions.code]).toEqual([429, 'RATE_LIMITED']);
    // Another address may; the app's budget (4) then runs out for every address, but not for another app.
    expect((await register(server.appId, 'r3', '192.0.2.2')).status).toBe(200);
    expect((await register(server.appId, 'r4', '192.0.2.3')).status).toBe(200);
    expect((await register(server.appId, 'r5', '192.0.2.4')).status).toBe(429);
    expect((await register(other.appId, 'r5', '192.0.2.4')).body.data.registerUser.__typename).toBe('RegisterUserPayload');
  });

  it('limits login attempts per client address, successful ones too', async () => {
    const login = `mutation($a: ID!, $u: String!) { createAccessToken(appId: $a, input: { username: $u, password: "${PASSWORD}" }) { __typename } }`;
    for (let i = 0; i < 3; i++) expect((await post(server.url, login, { a: server.appId, u: 'r1' }, from('198.51.100.1'))).body.data.createAccessToken.__typename).toBe('CreateAccessTokenPayload');
    expect((await post(server.url, login, { a: server.appId, u: 'r1' }, from('198.51.100.1'))).status).toBe(429);
    expect((await post(server.url, login, { a: server.appId, u: 'r1' }, from('198.51.100.2'))).status).toBe(200);
  });

  it('counts operations over graphql-ws against the address of the upgrade request', async () => {
    // In the other app: this app's registrations ran out above.
    const user = await server.user('wsaddr', { appId: other.appId });
    /** A graphql-ws client whose upgrade request came through a proxy for `address`. */
    const clientFrom = (address: string) =>
      createClient({
        url: `${server.url.replace(/^http/, 'ws')}/graphql`,
        connectionParams: { token: user.token },
        webSocketImpl: class extends WebSocket {
          constructor(url: string, protocols?: string | string[]) {
            super(url, protocols, { headers: from(address) });
          }
        },
        retryAttempts: 0,
      });
    const login = `mutation($a: ID!, $u: String!) { createAccessToken(appId: $a, input: { username: $u, password: "${PASSWORD}" }) { __typename } }`;
    const once = (client: ReturnType<typeof createClient>) =>
      new Promise<any>((resolve, reject) => {
        let result: any;
        client.subscribe({ query: login, variables: { a: other.appId, u: 'wsaddr' } }, { next: (r) => (result = r), error: reject, complete: () => resolve(result) });
      });
    const near = clientFrom('203.0.113.77');
    for (let i = 0; i < 3; i++) expect((await once(near)).data.createAccessToken.__typename).toBe('CreateAccessTokenPayload');
    expect((await once(near)).errors[0].extensions.code).toBe('RATE_LIMITED');
    const far = clientFrom('203.0.113.78');
    expect((await once(far)).data.createAccessToken.__typename).toBe('CreateAccessTokenPayload');
    await Promise.all([near.dispose(), far.dispose()]);
  });

  it('limits admin calls per app, over GraphQL and REST dialects alike', async () => {
    const admin = await server.adminToken();
    const otherAdmin = await server.adminToken(other.appId, other.appSecret);
    const users = `{ appUsers(first: 1) { totalCount } }`;
    expect((await post(server.url, users, {}, { authorization: `Bearer ${admin}` })).status).toBe(200);
    expect((await post(server.url, users, {}, { authorization: `Bearer ${admin}` })).status).toBe(200);
    expect((await post(server.url, users, {}, { authorization: `Bearer ${admin}` })).status).toBe(429);
    const jpush = await fetch(`${server.url}/v1/users/r1`, {
      headers: { authorization: `Basic ${Buffer.from(`${server.appId}:${server.appSecret}`).toString('base64')}`, ...from('198.51.100.3') },
    });
    expect(jpush.status).toBe(429);
    expect(Number(jpush.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await jpush.json()).toMatchObject({ error: { message: expect.stringContaining('too many requests') } });
    expect((await post(server.url, users, {}, { authorization: `Bearer ${otherAdmin}` })).status).toBe(200);
  });
});

/** A server process of its own (as `npm start` runs), on the given database and Redis. */
async function startProcess(env: Record<string, string>): Promise<{ url: string; process: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: { PATH: process.env['PATH']!, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', NODE_ENV: 'test', PUSH_WORKER: 'inline', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const ready = /ready at (\S+)\/graphql/.exec(out);
      if (ready) resolve(ready[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the server exited with ${code}`)));
  });
  return { url, process: child };
}

const redisUrl = process.env['REDIS_URL'];

describe.runIf(redisUrl)('two server processes sharing Redis', () => {
  const databases: TestDatabase[] = [];
  const servers: { url: string; process: ChildProcess }[] = [];
  beforeAll(async () => {
    // Same app id and a counter namespace of their own: the two processes spend from the same budgets.
    const env = {
      REDIS_URL: redisUrl!,
      RATE_LIMIT_PREFIX: `test-${randomBytes(6).toString('hex')}`,
      REDIS_CHANNEL_PREFIX: `rl-${randomBytes(6).toString('hex')}:`,
      TRUST_PROXY_HOPS: '1',
      RATE_LIMIT_REGISTRATIONS_PER_ADDRESS: '3',
      RATE_LIMIT_REGISTRATIONS_SECONDS: '60',
      IM_BOOTSTRAP_APP_ID: 'rlapp',
      IM_BOOTSTRAP_APP_SECRET: 'rl-secret-0123456789',
    };
    for (let i = 0; i < 2; i++) databases.push(await createTestDatabase());
    servers.push(...(await Promise.all(databases.map((database) => startProcess({ ...env, ...database.env })))));
  });
  afterAll(async () => {
    await Promise.all(
      servers.map(async (server) => {
        const exited = new Promise((resolve) => server.process.once('exit', resolve));
        server.process.kill('SIGTERM');
        await exited;
      }),
    );
    await Promise.all(databases.map((database) => database.drop()));
  });

  it('holds a limit across processes: what one process allowed counts in the other', async () => {
    const [a, b] = servers.map((s) => s.url) as [string, string];
    const from = { 'x-forwarded-for': '203.0.113.50' };
    expect((await post(a, REGISTER, { a: 'rlapp', u: 'p1' }, from)).status).toBe(200);
    expect((await post(b, REGISTER, { a: 'rlapp', u: 'p2' }, from)).status).toBe(200);
    expect((await post(a, REGISTER, { a: 'rlapp', u: 'p3' }, from)).status).toBe(200);
    const refused = await post(b, REGISTER, { a: 'rlapp', u: 'p4' }, from);
    expect([refused.status, refused.body.errors?.[0].extensions.code]).toEqual([429, 'RATE_LIMITED']);
    expect((await post(a, REGISTER, { a: 'rlapp', u: 'p4' }, from)).status).toBe(429);
    expect((await post(b, REGISTER, { a: 'rlapp', u: 'p4' }, { 'x-forwarded-for': '203.0.113.51' })).status).toBe(200);
  });
});
