import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jpushRoutes } from '../src/compat/jpush/routes.js';
import { routes } from '../src/compat/maxim/routes/index.js';
import { projectGroupRoutes } from '../src/compat/projectgroup/routes.js';
import { signatureRoutes } from '../src/compat/signature/routes.js';
import { deepArray, deepObject, hostileBodies, INTERNAL } from './helpers/hostile.js';
import { TestServer, type TestUser } from './helpers/server.js';

// Hostile input of the kinds an outside probe sent: NUL bytes, unpaired surrogates, input nested
// thousands deep, numbers of every odd shape, malformed parameters. None may produce a 5xx, an
// internal error, or an internal message in the answer.
let server: TestServer;
let user: TestUser;
let admin: string;
beforeAll(async () => {
  server = await TestServer.start();
  user = await server.user('fuzzed');
  admin = await server.adminToken();
});
afterAll(() => server.close());

const FIELDS = [
  'name', 'username', 'password', 'nick_name', 'nickname', 'avatar', 'user_id', 'user_ids', 'group_id', 'group_ids', 'list',
  'content', 'alias', 'push_token', 'device_guid', 'login_name', 'app_id', 'app_secret', 'description', 'ext', 'type',
  'targets', 'cursor', 'size', 'page', 'openid', 'remark', 'reason', 'mobile', 'email', 'to_id', 'msg_id', 'file_sign',
];

/** JSON bodies (as text) and query strings, each sent to every route. */
const BODIES = hostileBodies(FIELDS);
const QUERIES = ['name=a%00b&user_id=1%00', `user_ids=${encodeURIComponent(deepArray(50))}`, 'user_id=%F0%9F&size=-5'];


const OPERATIONS: [string, string, Record<string, unknown>][] = [
  ['profile', `mutation($i: UpdateProfileInput!) { updateProfile(input: $i) { __typename } }`, { i: { nickName: 'a\u0000b', description: 'x' } }],
  ['message', `mutation($i: SendMessageInput!) { sendMessage(input: $i) { __typename } }`, { i: { toKind: 'USER', targets: ['1'], contentType: 'TEXT', content: 'hi\u0000' } }],
  ['search', `query($u: String) { searchUser(username: $u) { __typename } }`, { u: 'a\u0000' }],
  ['surrogate', `query($u: String) { searchUser(username: $u) { __typename } }`, { u: '\ud800' }],
  ['login', `mutation($i: CreateAccessTokenInput!) { createAccessToken(appId: "testapp", input: $i) { __typename } }`, { i: { username: 'fuzzed', password: 123456 } }],
  ['literal', `query { searchUser(username: "a\\u0000") { __typename } }`, {}],
];

describe('hostile input', () => {
  it('never gives a 5xx or an internal message on any REST route', { timeout: 600_000 }, async () => {
    const problems: string[] = [];
    let requests = 0;
    for (const route of routes) {
      const method = route.methods[0]!;
      const send = async (query: string, body: string | undefined, token: string | undefined) => {
        requests++;
        const headers: Record<string, string> = { app_id: server.appId, 'content-type': 'application/json' };
        if (token) headers['access-token'] = token;
        const res = await fetch(`${server.url}${route.path}?${query}`, { method, headers, body: method === 'GET' ? undefined : body });
        const text = await res.text();
        if (res.status >= 500 || INTERNAL.test(text)) problems.push(`${method} ${route.path} ${query} ${body?.slice(0, 40)} -> ${res.status} ${text.slice(0, 160)}`);
      };
      for (const body of BODIES) await send('', body, user.token);
      for (const query of QUERIES) await send(query, undefined, user.token);
      // Without a token (the login routes), and as an admin.
      await send('', BODIES[0], undefined);
      await send('', BODIES[2], admin);
    }
    expect(problems).toEqual([]);
    expect(requests).toBeGreaterThan(1000);
  });


  it('never gives a 5xx or an internal message on GraphQL operations', async () => {
    const problems: string[] = [];
    const post = async (name: string, body: string) => {
      const res = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` },
        body,
      });
      const text = await res.text();
      if (res.status >= 500 || INTERNAL.test(text) || text.includes('INTERNAL_SERVER_ERROR')) problems.push(`${name} -> ${res.status} ${text.slice(0, 200)}`);
      return { status: res.status, text };
    };
    for (const [name, query, variables] of OPERATIONS) await post(name, JSON.stringify({ query, variables }));
    const [, profileQuery, profileVariables] = OPERATIONS[0]!;
    const nul = await post('nul field', JSON.stringify({ query: profileQuery, variables: profileVariables }));
    expect(nul.text).toContain('INVALID_INPUT');
    expect(nul.text).toContain('nickName');

    const list = await post('deep list literal', JSON.stringify({ query: `query { searchUser(username: ${'['.repeat(2400)}"x"${']'.repeat(2400)}) { __typename } }` }));
    expect(list.status).toBe(400);
    const vars = await post('deep variables', `{"query":"query($u: String) { searchUser(username: $u) { __typename } }","variables":{"u":${deepArray(5000)}}}`);
    expect(vars.status).toBe(400);
    await post('deep extensions', `{"query":"{ __typename }","extensions":${deepObject(3000)}}`);

    for (const variables of ['%7B', '%5B1', 'null', '%22x%22']) {
      const res = await fetch(`${server.url}/graphql?query=%7B__typename%7D&variables=${variables}`, { headers: { accept: 'application/json' } });
      const text = await res.text();
      if (res.status >= 500 || INTERNAL.test(text)) problems.push(`GET variables=${variables} -> ${res.status} ${text.slice(0, 200)}`);
    }
    const malformed = await fetch(`${server.url}/graphql?query=%7B__typename%7D&variables=%7B`);
    expect(malformed.status).toBe(400);
    expect(await malformed.text()).toContain('variables');
    expect(problems).toEqual([]);
  });

  it('answers hostile operations over WebSocket as operation errors, keeping the socket open', async () => {
    const socket = new WebSocket(server.wsUrl, 'graphql-transport-ws');
    const messages: any[] = [];
    const waiters: (() => void)[] = [];
    socket.on('message', (data) => {
      messages.push(JSON.parse(String(data)));
      waiters.splice(0).forEach((wake) => wake());
    });
    let closedWith: number | undefined;
    socket.on('close', (code) => (closedWith = code));
    const until = async (check: () => boolean) => {
      while (!check()) await new Promise<void>((resolve) => waiters.push(resolve));
    };
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { token: user.token } })));
    await until(() => messages.some((m) => m.type === 'connection_ack'));

    const frames = [
      `{"id":"1","type":"subscribe","payload":{"query":"query($u: String) { searchUser(username: $u) { __typename } }","variables":{"u":${deepArray(5000)}}}}`,
      `{"id":"2","type":"subscribe","payload":{"query":"query { searchUser(username: ${'['.repeat(2400)}\\"x\\"${']'.repeat(2400)}) { __typename } }"}}`,
      `{"id":"3","type":"subscribe","payload":{"query":"query($u: String) { searchUser(username: $u) { __typename } }","variables":{"u":"a\\u0000"}}}`,
      `{"id":"4","type":"subscribe","payload":{"query":"mutation($i: UpdateProfileInput!) { updateProfile(input: $i) { __typename } }","variables":{"i":{"nickName":"\\ud800"}}}}`,
    ];
    for (const frame of frames) socket.send(frame);
    await until(() => ['1', '2', '3', '4'].every((id) => messages.some((m) => m.id === id && (m.type === 'error' || m.type === 'complete'))));
    expect(closedWith).toBeUndefined();
    for (const id of ['1', '2', '3', '4']) {
      const answer = messages.find((m) => m.id === id && m.type !== 'complete');
      expect(JSON.stringify(answer)).toContain('INVALID_INPUT');
      expect(JSON.stringify(answer)).not.toMatch(INTERNAL);
    }
    socket.close();
  });
});

/**
 * Generated cases: `FUZZ_COUNT` (200 here; `npm run fuzz` runs 5,000, `FUZZ_COUNT=50000 npm run
 * fuzz` more) random requests to every REST route of every dialect, to GraphQL (documents,
 * variables, batches, GET, content types) and graphql-ws frames, from `FUZZ_SEED` (random unless
 * set; printed, so a failing run can be repeated).
 */
describe('generated hostile input', () => {
  const count = Number(process.env['FUZZ_COUNT'] ?? 200);
  // The CI size runs a fixed seed (the same cases every run); longer runs pick one at random.
  const seed = Number(process.env['FUZZ_SEED'] ?? (process.env['FUZZ_COUNT'] ? Math.floor(Math.random() * 2 ** 31) : 1));

  /** mulberry32: small, seedable. */
  function generator(state: number) {
    const next = () => {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const int = (n: number) => Math.floor(next() * n);
    const pick = <T>(list: readonly T[]): T => list[int(list.length)]!;
    return { next, int, pick };
  }

  const STRINGS = ['', 'a\u0000b', '\ud800', '\udfff\ud800', 'x'.repeat(70_000), '../../etc/passwd', "' or 1=1 --", '%00', '😀'.repeat(40), '<script>', '0x10', '1e400', '-0', 'NaN', '{"a":', 'null', '10000000001'];
  const PATH_PARTS = ['1', '0', '-1', 'abc', '99999999999999999999', '%00', '%F0%9F', 'a%2Fb', '..', 'x'.repeat(300)];

  function value(g: ReturnType<typeof generator>, depth = 0): unknown {
    switch (g.int(depth > 3 ? 6 : 9)) {
      case 0: return g.pick(STRINGS);
      case 1: return g.pick([0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 1, 4294967296, 10_000_000_001]);
      case 2: return g.pick([true, false, null]);
      case 3: return String(g.int(1e12));
      case 4: return g.pick(STRINGS).slice(0, 10);
      case 5: return [];
      case 6: return Array.from({ length: g.int(5) }, () => value(g, depth + 1));
      case 7: return Object.fromEntries(Array.from({ length: g.int(5) }, () => [g.pick([...FIELDS, '__proto__', 'constructor']), value(g, depth + 1)]));
      default: return JSON.parse(deepArray(1 + g.int(30)));
    }
  }

  function body(g: ReturnType<typeof generator>): { text: string | undefined; type: string | undefined } {
    const type = g.pick(['application/json', 'application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x', undefined]);
    switch (g.int(6)) {
      case 0: return { text: undefined, type };
      case 1: return { text: g.pick(BODIES), type };
      case 2: return { text: JSON.stringify(value(g)), type };
      case 3: return { text: new URLSearchParams(Object.fromEntries(FIELDS.slice(0, 1 + g.int(FIELDS.length)).map((f) => [f, String(value(g))]))).toString(), type };
      default: return { text: JSON.stringify(Object.fromEntries(FIELDS.filter(() => g.next() < 0.3).map((f) => [f, value(g)]))), type };
    }
  }

  type Target = { method: string; path: string };
  const targets: Target[] = [
    ...routes.flatMap((r) => r.methods.map((method) => ({ method, path: r.path }))),
    ...jpushRoutes.flatMap((r) => r.methods.map((method) => ({ method, path: `/v1${r.path}` }))),
    ...signatureRoutes.flatMap((r) => r.methods.map((method) => ({ method, path: r.path }))),
    ...projectGroupRoutes.flatMap((r) => r.methods.map((method) => ({ method, path: r.path }))),
    { method: 'POST', path: '/action' },
  ];
  const DOCUMENTS = [
    ...OPERATIONS.map(([, query]) => query),
    `query($c: ConversationInput!, $n: Int, $b: String) { messages(conversation: $c, last: $n, before: $b) { edges { node { id } } } }`,
    `mutation($i: SendMessageInput!) { sendMessage(input: $i) { __typename ... on Error { code } } }`,
    `query($id: ID, $a: String, $f: Int) { userDataExport(userId: $id, after: $a, first: $f) { endCursor } }`,
    `mutation($p: String!) { deleteAccount(password: $p) { __typename } }`,
    `query($ids: [ID!]!) { users(ids: $ids) { id } }`,
    `{ viewer { id username friends(first: 100) { edges { node { user { id } } } } } }`,
    // Refused over plain HTTP (bad token, admin token) this once answered 500.
    `subscription { events { __typename } }`,
  ];

  /**
   * The server's memory once garbage is collected, as its `/metrics` report it (the server runs in
   * this process: a full collection, forced through V8's test hook, settles it).
   */
  async function settledMemory() {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    for (let i = 0; i < 3; i++) {
      gc();
      await new Promise((resolve) => setImmediate(resolve));
    }
    const text = await (await fetch(`${server.url}/metrics`)).text();
    const figure = (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1]);
    return { heap: figure('im_nodejs_heap_size_used_bytes'), rss: figure('im_process_resident_memory_bytes') };
  }
  const MiB = 2 ** 20;
  /** How much more heap than at the start the server may hold after the run: its caches (parsed documents, compiled subscriptions) are bounded. */
  const HEAP_GROWTH_BOUND = 24 * MiB;

  it(`never gives a 5xx, a crash or an internal detail, and gives its memory back (FUZZ_COUNT cases)`, { timeout: 3_600_000 }, async () => {
    const g = generator(seed);
    const problems: string[] = [];
    const figures = { seed, requests: 0, rest: 0, graphql: 0, wsConnections: 0, wsFrames: 0, status4xx: 0, status5xx: 0, crashes: 0, leaks: 0, statuses: {} as Record<number, number> };
    // The first cases warm the server up (code compiled, pools and caches filled): memory is measured from there.
    const warmUp = Math.min(100, Math.floor(count / 4));
    let before = { heap: 0, rss: 0 };
    const check = (what: string, status: number, text: string) => {
      figures.requests++;
      figures.statuses[status] = (figures.statuses[status] ?? 0) + 1;
      if (status >= 400 && status < 500) figures.status4xx++;
      if (status >= 500) figures.status5xx++;
      if (INTERNAL.test(text) || text.includes('INTERNAL_SERVER_ERROR')) figures.leaks++;
      if (status >= 500 || INTERNAL.test(text) || text.includes('INTERNAL_SERVER_ERROR')) problems.push(`${what} -> ${status} ${text.slice(0, 160)}`);
    };
    const token = () => g.pick([user.token, admin, undefined, 'garbage', '']);

    const rest = async () => {
      const target = g.pick(targets);
      const path = target.path.replace(/:[a-z_]+/gi, () => g.pick(PATH_PARTS));
      const query = g.next() < 0.3 ? `?${g.pick(QUERIES)}` : '';
      const { text, type } = body(g);
      const headers: Record<string, string> = { app_id: g.pick([server.appId, 'nope', '']) };
      const t = token();
      if (t !== undefined) Object.assign(headers, { 'access-token': t, accesstoken: t, authorization: g.pick([`Bearer ${t}`, `Basic ${Buffer.from(`${server.appId}:${server.appSecret}`).toString('base64')}`, 'Basic !!']) });
      if (type) headers['content-type'] = type;
      const res = await fetch(`${server.url}${path}${query}`, { method: target.method, headers, body: target.method === 'GET' || target.method === 'HEAD' ? undefined : text, signal: AbortSignal.timeout(10_000) });
      figures.rest++;
      check(`${target.method} ${path}${query} ${text?.slice(0, 40)}`, res.status, await res.text());
    };

    const graphql = async () => {
      const document = g.pick(DOCUMENTS);
      const query = g.next() < 0.2 ? document.slice(0, g.int(document.length)) : document;
      const variables = g.next() < 0.5 ? value(g) : Object.fromEntries(['i', 'u', 'c', 'n', 'b', 'id', 'a', 'f', 'p', 'ids'].map((k) => [k, value(g)]));
      const t = token();
      const headers: Record<string, string> = t === undefined ? {} : { authorization: `Bearer ${t}` };
      let res: Response;
      switch (g.int(4)) {
        case 0:
          res = await fetch(`${server.url}/graphql?query=${encodeURIComponent(query)}&variables=${encodeURIComponent(JSON.stringify(variables) ?? '')}`, { headers: { ...headers, accept: g.pick(['application/json', 'text/event-stream', 'application/graphql-response+json', '*/*']) }, signal: AbortSignal.timeout(10_000) });
          break;
        case 1:
          res = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(Array.from({ length: g.int(4) }, () => ({ query, variables }))), signal: AbortSignal.timeout(10_000) });
          break;
        case 2:
          res = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { ...headers, 'content-type': g.pick(['text/plain', 'application/graphql', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded']) }, body: body(g).text ?? query, signal: AbortSignal.timeout(10_000) });
          break;
        default:
          res = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ query, variables, operationName: g.next() < 0.2 ? value(g) : undefined }), signal: AbortSignal.timeout(10_000) });
      }
      figures.graphql++;
      // A subscription asked with `accept: text/event-stream` is a live stream: its status is the answer.
      if (res.headers.get('content-type')?.includes('text/event-stream')) {
        await res.body?.cancel();
        return check(`graphql sse ${query.slice(0, 60)}`, res.status, '');
      }
      check(`graphql ${query.slice(0, 60)}`, res.status, await res.text());
    };

    const webSocket = async (frames: number) => {
      const socket = new WebSocket(server.wsUrl, g.pick(['graphql-transport-ws', 'graphql-ws', 'nonsense']));
      const answers: string[] = [];
      socket.on('message', (data) => answers.push(String(data)));
      socket.on('error', () => {});
      const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
      const opened = await new Promise<boolean>((resolve) => {
        socket.once('open', () => resolve(true));
        socket.once('close', () => resolve(false));
      });
      figures.wsConnections++;
      if (!opened) return;
      for (let i = 0; i < frames && socket.readyState === socket.OPEN; i++) {
        const frame = g.pick([
          () => JSON.stringify({ type: 'connection_init', payload: g.next() < 0.5 ? { token: token() } : value(g) }),
          () => JSON.stringify({ id: String(value(g)), type: 'subscribe', payload: { query: g.pick(DOCUMENTS), variables: value(g) } }),
          () => JSON.stringify({ id: g.pick(['1', '2', '']), type: g.pick(['complete', 'ping', 'pong', 'next', 'error', 'bogus']), payload: value(g) }),
          () => JSON.stringify(value(g)),
          () => g.pick(BODIES),
        ])();
        socket.send(frame);
        figures.wsFrames++;
      }
      socket.close();
      await closed;
      for (const answer of answers) if (INTERNAL.test(answer)) problems.push(`ws -> ${answer.slice(0, 160)}`);
    };

    for (let i = 0; i < count; i++) {
      if (i === warmUp) before = await settledMemory();
      const kind = g.int(10);
      try {
        if (kind < 5) await rest();
        else if (kind < 9) await graphql();
        else await webSocket(1 + g.int(8));
      } catch (error) {
        // A request unanswered within 10 s (an SSE answer to `accept: text/event-stream` is a stream,
        // not a hang), or a connection the server dropped.
        figures.crashes++;
        problems.push(`case ${i} (${kind < 5 ? 'rest' : kind < 9 ? 'graphql' : 'ws'}): ${String(error).slice(0, 120)}`);
      }
    }
    const health = await fetch(`${server.url}/healthz`);
    const after = await settledMemory();
    const mb = (bytes: number) => Math.round((bytes / MiB) * 10) / 10;
    const memory = { heapMB: [mb(before.heap), mb(after.heap)], rssMB: [mb(before.rss), mb(after.rss)], heapGrowthBoundMB: mb(HEAP_GROWTH_BOUND) };
    console.log(`fuzz: ${JSON.stringify({ ...figures, healthzAfter: health.status, ...memory })}`);
    expect(health.status).toBe(200);
    expect(problems).toEqual([]);
    expect(figures.status5xx).toBe(0);
    expect(figures.crashes).toBe(0);
    expect(figures.leaks).toBe(0);
    expect(before.heap).toBeGreaterThan(0);
    // Back to where it started: what the run left behind is within the bound of the server's caches.
    expect(after.heap - before.heap).toBeLessThan(HEAP_GROWTH_BOUND);
  });
});
