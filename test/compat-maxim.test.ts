import { readFile } from 'node:fs/promises';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessTokens } from '../src/db/schema/index.js';
import { later } from './helpers/clock.js';
import { PASSWORD, TestServer } from './helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await TestServer.start();
});
afterAll(() => server.close());

const SETTINGS_KEYS = [
  'auth_answer', 'auth_mode', 'auth_question', 'auto_download', 'group_confirm', 'id', 'no_push', 'no_push_detail',
  'no_push_end_hour', 'no_push_start_hour', 'no_sounds', 'push_nick_name', 'silence_end_time', 'silence_start_time',
  'user_id', 'vibratory',
];

describe('registration routes', () => {
  it('POST /user/register/v2 then POST /token/user: the legacy first-run path', async () => {
    const reg = await server.rest('POST', '/user/register/v2', { json: { username: 'amy', password: PASSWORD } });
    expect(reg.status).toBe(200);
    expect(reg.body.code).toBe(200);
    expect(reg.body.message).toBeNull();
    expect(Object.keys(reg.body.data).sort()).toEqual(SETTINGS_KEYS);
    expect(typeof reg.body.data.user_id).toBe('number');
    expect(reg.body.data.user_id).toBeGreaterThan(2 ** 32);

    const token = await server.rest('POST', '/token/user', { json: { name: 'amy', password: PASSWORD } });
    expect(token.body).toMatchObject({ code: 200, message: null, data: { user_id: reg.body.data.user_id } });
    expect(token.body.data.token).toMatch(/^[\w-]{43}$/);
    expect(token.body.data.expire).toBeGreaterThan(Date.now());

    const me = await server.gql(`{ viewer { username } }`, {}, { token: token.body.data.token });
    expect(me.data.viewer.username).toBe('amy');
  });

  it('POST /user/register takes mobile and email, which then log in through /token/login', async () => {
    const reg = await server.rest('POST', '/user/register', {
      form: { username: 'ben', password: PASSWORD, mobile: '13800138000', email: 'ben@example.com', verification_code: '1234' },
    });
    expect(reg.body.code).toBe(200);
    for (const loginName of ['ben', '13800138000', 'ben@example.com']) {
      const res = await server.rest('POST', '/token/login', { json: { login_name: loginName, password: PASSWORD } });
      expect(res.body.data.user_id).toBe(reg.body.data.user_id);
    }
    const byId = await server.rest('POST', '/token/id', { json: { user_id: reg.body.data.user_id, password: PASSWORD, device_guid: 'web-1' } });
    expect(byId.body.data).toMatchObject({ user_id: reg.body.data.user_id, device_sn: 1 });
  });

  it('POST /user/register/push binds the device and its push token', async () => {
    const reg = await server.rest('POST', '/user/register/push', {
      json: { username: 'cat', password: PASSWORD, device_guid: 'ios-1', push_token: 'apns-abc', alias: 'kitty', sign: 'x' },
    });
    expect(reg.body.code).toBe(200);
    const login = await server.rest('POST', '/token/user', { json: { name: 'cat', password: PASSWORD, device_guid: 'ios-1' } });
    expect(login.body.data).toMatchObject({ push_token: 'apns-abc', device_sn: 1 });
  });

  it('POST /user/register/batch registers per item with an admin token only', async () => {
    const admin = await server.rest('POST', '/app/token', { json: { app_id: server.appId, app_secret: server.appSecret } });
    expect(admin.body.code).toBe(200);
    const list = [
      { username: 'dan', password: PASSWORD },
      { username: 'dan', password: PASSWORD },
      { username: 'eve', password: '1' },
    ];
    const res = await server.rest('POST', '/user/register/batch', { token: admin.body.data.token, json: { list } });
    expect(res.body.code).toBe(200);
    expect(res.body.data.map((i: any) => [i.username, i.success])).toEqual([
      ['dan', true],
      ['dan', false],
      ['eve', false],
    ]);
    expect(res.body.data[0].user_id).toBeGreaterThan(0);
    expect(res.body.data[2].reason).toContain('password');

    const noToken = await server.rest('POST', '/user/register/batch', { json: { list } });
    expect([noToken.status, noToken.body.code]).toEqual([401, 10003]);
    const userToken = (await server.rest('POST', '/token/user', { json: { name: 'dan', password: PASSWORD } })).body.data.token;
    const asUser = await server.rest('POST', '/user/register/batch', { token: userToken, json: { list } });
    expect(asUser.body.code).toBe(10010);
  });
});

describe('errors', () => {
  it.each([
    ['a taken username', '/user/register/v2', { username: 'taken', password: PASSWORD }, 10004],
    ['a digits-only username', '/user/register/v2', { username: '123', password: PASSWORD }, 10002],
    ['a short password', '/user/register/v2', { username: 'shorty', password: '1' }, 10002],
    ['a wrong password', '/token/user', { name: 'taken', password: 'wrong-password' }, 10000],
    ['an unknown user', '/token/user', { name: 'nobody', password: PASSWORD }, 10000],
    ['a non-numeric user id', '/token/id', { user_id: 'abc', password: PASSWORD }, 10002],
  ])('answer %s with its code', async (_what, path, json, code) => {
    await server.rest('POST', '/user/register/v2', { json: { username: 'taken', password: PASSWORD } });
    const res = await server.rest('POST', path, { json });
    expect(res.status).toBe(200);
    expect(res.body.code).toBe(code);
    expect(res.body.message).toEqual(expect.any(String));
    expect(res.body.data).toBeNull();
  });

  it('answer an unknown app_id with 40000', async () => {
    const res = await server.rest('POST', '/token/user', { appId: 'nosuchapp', json: { name: 'amy', password: PASSWORD } });
    expect(res.body.code).toBe(40000);
    const reg = await server.rest('POST', '/user/register/v2', { appId: 'nosuchapp', json: { username: 'zed', password: PASSWORD } });
    expect(reg.body.code).toBe(40000);
  });

  it('answer a missing app_id as bad parameters', async () => {
    const res = await server.rest('POST', '/user/register/v2', { appId: null, json: { username: 'zed', password: PASSWORD } });
    expect(res.body.code).toBe(10002);
  });

  it('answer invalid and expired tokens as the clients expect', async () => {
    const bad = await server.rest('POST', '/user/register/batch', { token: 'nope', json: { list: [] } });
    expect([bad.status, bad.body.code]).toEqual([401, 10008]);
  });

  it('refuse a request without a valid token as unauthenticated before looking at its parameters', async () => {
    for (const [method, path] of [['POST', '/message/send'], ['POST', '/group/create'], ['GET', '/roster/list'], ['PUT', '/user/nickname']] as const) {
      const none = await fetch(`${server.url}${path}`, { method, headers: { app_id: server.appId, 'content-type': 'application/json' }, body: method === 'GET' ? undefined : '{"broken": ' });
      expect([path, none.status, ((await none.json()) as { code: number }).code]).toEqual([path, 401, 10003]);
      const bad = await fetch(`${server.url}${path}?type=nonsense`, { method, headers: { app_id: server.appId, 'access-token': 'nope' } });
      expect([path, bad.status, ((await bad.json()) as { code: number }).code]).toEqual([path, 401, 10008]);
    }
  });

  it('answer malformed JSON with 10002 and HTTP 400', async () => {
    const res = await fetch(`${server.url}/token/user`, {
      method: 'POST',
      headers: { app_id: server.appId, 'content-type': 'application/json' },
      body: '{"name": ',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ code: 10002, message: 'the request body is not valid JSON', data: null });
  });

  it('answer unknown routes with HTTP 404 and an envelope, and a wrong method with 405', async () => {
    const unknown = await server.rest('GET', '/no/such/route');
    expect(unknown).toEqual({ status: 404, body: { code: 404, message: 'no route GET /no/such/route', data: null } });
    const wrongMethod = await server.rest('GET', '/token/user');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.body.code).toBe(404);
  });

  it('take parameters from the query string too', async () => {
    await server.rest('POST', '/user/register/v2', { query: { username: 'quentin', password: PASSWORD } });
    const res = await server.rest('POST', '/token/user', { query: { name: 'quentin', password: PASSWORD } });
    expect(res.body.code).toBe(200);
  });
});

describe('documented route coverage', () => {
  it('serves chapters 3 (users), 4 (push), 5 (tokens), 6 (messages), 7 (groups), 8 (roster) and 9 (files), and reports the rest', async () => {
    const doc = JSON.parse(await readFile(new URL('./fixtures/maxim-routes.json', import.meta.url), 'utf8')) as {
      routes: { section: string; method: string; path: string }[];
    };
    const served: string[] = [];
    for (const route of doc.routes) {
      const res = await fetch(`${server.url}${route.path}`, { method: route.method, headers: { app_id: server.appId } });
      await res.arrayBuffer();
      if (res.status !== 404 && res.status !== 405) served.push(route.section);
    }
    console.log(`Maximtop routes served: ${served.length} of ${doc.routes.length} (${served.join(', ')})`);
    const chapter = (n: string) => doc.routes.filter((r) => r.section.startsWith(`${n}.`)).map((r) => r.section);
    expect(chapter('7')).toHaveLength(76);
    expect(chapter('9')).toHaveLength(6);
    expect(chapter('4')).toHaveLength(3);
    expect(served).toEqual(expect.arrayContaining(['3', '4', '5', '6', '7', '8', '9'].flatMap(chapter)));
    expect(served.length).toBeGreaterThanOrEqual(65 + 3 + 8 + 76 + 22 + 6);
  });
});

describe('token errors', () => {
  it('answer a signed-out token with 10008 and HTTP 401', async () => {
    await server.rest('POST', '/user/register/v2', { json: { username: 'leaver', password: PASSWORD } });
    const token = (await server.rest('POST', '/token/user', { json: { name: 'leaver', password: PASSWORD } })).body.data.token;
    await server.gql(`mutation { signOut { __typename } }`, {}, { token });
    const res = await server.rest('POST', '/user/register/batch', { token, json: { list: [] } });
    expect([res.status, res.body.code]).toEqual([401, 10008]);
    expect(res.body.message).toContain('revoked');
  });

  it('answer an expired token with 402, which makes legacy clients log in again', async () => {
    // The clock is moved past the token's stored expiry rather than waited for: a short TTL would race the login.
    const user = (await server.rest('POST', '/user/register/v2', { json: { username: 'brief', password: PASSWORD } })).body.data;
    const token = (await server.rest('POST', '/token/user', { json: { name: 'brief', password: PASSWORD } })).body.data.token;
    expect((await server.rest('POST', '/user/register/batch', { token, json: { list: [] } })).body.code).not.toBe(402);
    const [row] = await server.running.database.db.select({ expiresAt: accessTokens.expiresAt }).from(accessTokens).where(eq(accessTokens.userId, Number(user.user_id)));
    const life = row!.expiresAt.getTime() - Date.now();
    expect((await later(life + 1000, () => server.rest('POST', '/user/register/batch', { token, json: { list: [] } }))).body.code).toBe(402);
  });
});
