import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../src/compat/maxim/routes/index.js';
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

/** Built as text: JSON.stringify itself overflows on values this deep. */
const deepArray = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;
const deepObject = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

const FIELDS = [
  'name', 'username', 'password', 'nick_name', 'nickname', 'avatar', 'user_id', 'user_ids', 'group_id', 'group_ids', 'list',
  'content', 'alias', 'push_token', 'device_guid', 'login_name', 'app_id', 'app_secret', 'description', 'ext', 'type',
  'targets', 'cursor', 'size', 'page', 'openid', 'remark', 'reason', 'mobile', 'email', 'to_id', 'msg_id', 'file_sign',
];
const fieldsOf = (raw: string) => `{${FIELDS.map((f) => `"${f}":${raw}`).join(',')}}`;

/** JSON bodies (as text) and query strings, each sent to every route. */
const BODIES = [
  fieldsOf('"a\\u0000b"'),
  fieldsOf('"\\ud800x"'),
  fieldsOf(deepArray(3000)),
  fieldsOf('1e10'),
  fieldsOf('"0x2540be726"'),
  fieldsOf('-1'),
  fieldsOf('1.5'),
  fieldsOf('99999999999999999999999'),
  fieldsOf('[[1]]'),
  fieldsOf('{"x":1}'),
  fieldsOf('null'),
  deepArray(5000),
  deepObject(2400),
  '{"broken":',
];
const QUERIES = ['name=a%00b&user_id=1%00', `user_ids=${encodeURIComponent(deepArray(50))}`, 'user_id=%F0%9F&size=-5'];

const INTERNAL = /Failed query|params:|Maximum call stack|stack|TypeError|RangeError|SyntaxError|Unexpected error|internal server error/i;

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

  const OPERATIONS: [string, string, Record<string, unknown>][] = [
    ['profile', `mutation($i: UpdateProfileInput!) { updateProfile(input: $i) { __typename } }`, { i: { nickName: 'a\u0000b', description: 'x' } }],
    ['message', `mutation($i: SendMessageInput!) { sendMessage(input: $i) { __typename } }`, { i: { toKind: 'USER', targets: [user?.id ?? '1'], contentType: 'TEXT', content: 'hi\u0000' } }],
    ['search', `query($u: String) { searchUser(username: $u) { __typename } }`, { u: 'a\u0000' }],
    ['surrogate', `query($u: String) { searchUser(username: $u) { __typename } }`, { u: '\ud800' }],
    ['login', `mutation($i: CreateAccessTokenInput!) { createAccessToken(appId: "testapp", input: $i) { __typename } }`, { i: { username: 'fuzzed', password: 123456 } }],
    ['literal', `query { searchUser(username: "a\\u0000") { __typename } }`, {}],
  ];

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
