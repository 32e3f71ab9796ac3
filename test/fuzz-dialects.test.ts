import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jpushRoutes } from '../src/compat/jpush/routes.js';
import { projectGroupRoutes } from '../src/compat/projectgroup/routes.js';
import { signatureRoutes } from '../src/compat/signature/routes.js';
import { deepArray, hostileBodies, INTERNAL } from './helpers/hostile.js';
import { TestServer, type TestUser } from './helpers/server.js';

// The other dialects (003 JPush, 002 signature, 001 project-group, 000 action protocol) under the
// hostile input of test/fuzz.test.ts: no answer may be a 5xx or carry an internal message.
let server: TestServer;
let user: TestUser;
beforeAll(async () => {
  server = await TestServer.start();
  user = await server.user('fuzzdialect');
});
afterAll(() => server.close());

const FIELDS = ['username', 'password', 'name', 'group_name', 'owner_username', 'members_username', 'target_type', 'target_id', 'from_id', 'msg_type',
  'msg_body', 'client_id', 'member_client_ids', 'conversion_id', 'ts', 'nonce', 'groupId', 'groupName', 'uid', 'lastTime', 'id', 'code', 'members',
  'content', 'to', 'startIndex', 'limit', 'since', 'appId', 'appSecretKey', 'platformId', 'nickName', 'start', 'count'];
// The shared hostile bodies, plus the batch shape (an array of objects) and a form body.
const BODIES = [...hostileBodies(FIELDS), `[{${FIELDS.map((f) => `"${f}":"x"`).join(',')}}]`, 'a=1&b=%00'];
const basic = () => `Basic ${Buffer.from(`${server.appId}:${server.appSecret}`).toString('base64')}`;
const fill = (path: string) => path.replace(/:[a-z_]+/g, (name) => (name === ':username' ? 'fuzzdialect' : '1e3'));

describe('hostile input to the other dialects', () => {
  it('never gives a 5xx or an internal message on any route', { timeout: 600_000 }, async () => {
    const problems: string[] = [];
    let requests = 0;
    const send = async (method: string, path: string, headers: Record<string, string>, body: string) => {
      requests++;
      const res = await fetch(`${server.url}${path}`, { method, headers: { 'content-type': 'application/json', ...headers }, body: method === 'GET' ? undefined : body });
      const text = await res.text();
      if (res.status >= 500 || INTERNAL.test(text)) problems.push(`${method} ${path} ${body.slice(0, 40)} -> ${res.status} ${text.slice(0, 160)}`);
    };
    const tables: [typeof jpushRoutes, Record<string, string>][] = [
      [jpushRoutes, { authorization: basic() }],
      [signatureRoutes, { authorization: basic() }],
      [projectGroupRoutes, { uid: user.id, accessToken: user.token }],
    ];
    for (const [table, headers] of tables) {
      for (const route of table) {
        for (const method of route.methods) for (const body of BODIES) await send(method, fill(route.path), headers, body);
      }
    }
    const login = { appId: server.appId, appSecretKey: server.appSecret, username: 'fuzzer', platformId: 'x' };
    for (const action of ['login', 'createGroup', 'addGroupMembers', 'removeGroupMembers', 'deleteGroup', 'updateGroup', 'sendMessage', 'history']) {
      for (const body of BODIES) {
        // Built as text: JSON.stringify itself overflows on the deepest values.
        const isObject = body.startsWith('{"') && body.endsWith('}');
        const param = isObject ? `{${JSON.stringify(login).slice(1, -1)},${body.slice(1)}` : body;
        await send('POST', '/action', {}, `{"action":"${action}","content":${body},"param":${param}}`);
      }
    }
    expect(problems).toEqual([]);
    expect(requests).toBeGreaterThan(400);
  });

  it('answers hostile frames on /action/ws without closing the socket or an internal message', async () => {
    const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/action/ws`);
    const answers: string[] = [];
    let waiting: (() => void) | undefined;
    ws.on('message', (data) => {
      answers.push(data.toString());
      waiting?.();
    });
    await new Promise((resolve) => ws.once('open', resolve));
    const frames = ['{', 'null', '[]', '"x"', deepArray(5000), JSON.stringify({ action: 'login', param: { appId: ['x'], appSecretKey: {}, username: '\u0000' } }),
      JSON.stringify({ action: 'login', param: { appId: server.appId, appSecretKey: server.appSecret, username: 'wsfuzz', platformId: 'x', since: 'not-a-cursor' } }),
      JSON.stringify({ action: 'history', param: { to: [[1]], startIndex: '1e10' } }), JSON.stringify({ action: 'sendMessage', content: { x: 1 }, param: { groupId: '0x1' } })];
    for (const frame of frames) {
      const answered = new Promise<void>((resolve) => (waiting = resolve));
      ws.send(frame);
      await answered;
    }
    expect(answers.filter((a) => INTERNAL.test(a))).toEqual([]);
    expect(answers.map((a) => JSON.parse(a).code).every((code: number) => code !== 1500)).toBe(true);
    ws.close();
  });
});
