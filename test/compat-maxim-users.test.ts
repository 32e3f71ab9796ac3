import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, TestServer, type RestOptions } from './helpers/server.js';

// Chapter 3 of the Maximtop document over REST: every route, both twins where there are two.
let server: TestServer;
let adminToken: string;
beforeAll(async () => {
  server = await TestServer.start();
  adminToken = await server.restAdminToken();
});
afterAll(() => server.close());

let n = 0;
/** A fresh user logged in over REST; returns its id and token. */
async function restUser(deviceGuid?: string) {
  const name = `rest${++n}`;
  const reg = await server.rest('POST', '/user/register/v2', { json: { username: name, password: PASSWORD } });
  const login = await server.rest('POST', '/token/user', { json: { name, password: PASSWORD, device_guid: deviceGuid } });
  return { name, id: reg.body.data.user_id as number, token: login.body.data.token as string };
}

async function call(method: string, path: string, token: string, options: RestOptions = {}) {
  const res = await server.rest(method, path, { token, ...options });
  return res.body;
}

const settingsOf = async (token: string) => (await call('GET', '/user/settings', token)).data;
const profileOf = async (token: string) => (await call('GET', '/user/profile', token)).data;

describe.each(['POST', 'PUT'])('single-setting routes (%s)', (method) => {
  it.each([
    ['/user/authmode', { value: 2 }, { auth_mode: 2 }],
    ['/user/download', { value: 'false' }, { auto_download: false }],
    ['/user/push', { value: 'true' }, { no_push: true }],
    ['/user/push/detail', { value: 'true' }, { no_push_detail: true }],
    ['/user/push/nickname', { value: 'Nick' }, { push_nick_name: 'Nick' }],
    ['/user/push/limit', { no_push_start_hour: 23, no_push_end_hour: 6 }, { no_push_start_hour: 23, no_push_end_hour: 6 }],
    ['/user/sounds', { value: 'true' }, { no_sounds: true }],
    ['/user/vibratory', { value: 'false' }, { vibratory: false }],
  ])('%s changes the stored setting', async (path, query, expected) => {
    const user = await restUser();
    const res = await call(method, path, user.token, { query });
    expect(res).toEqual({ code: 200, message: null, data: true });
    expect(await settingsOf(user.token)).toMatchObject(expected);
  });

  it('refuse bad values with 10002 and change nothing', async () => {
    const user = await restUser();
    for (const [path, query] of [
      ['/user/authmode', { value: 7 }],
      ['/user/push', { value: 'maybe' }],
      ['/user/push/limit', { no_push_start_hour: 24, no_push_end_hour: 1 }],
    ] as const) {
      const res = await call(method, path, user.token, { query });
      expect(res.code).toBe(10002);
      expect(res.message).toEqual(expect.any(String));
    }
    expect(await settingsOf(user.token)).toMatchObject({ auth_mode: 1, no_push: false, no_push_start_hour: 0 });
  });

  it('/user/settings changes several at once, the same values the single routes change', async () => {
    const user = await restUser('device-1');
    await call('POST', '/user/token/bind', user.token, { json: { device_sn: 1, device_token: 'tok-1' } });
    const res = await call(method, '/user/settings', user.token, {
      json: { auth_mode: 2, auth_question: 'q?', auth_answer: 'a', group_confirm: true, silence_start_time: 3600, vibratory: false },
    });
    expect(res.code).toBe(200);
    expect(await settingsOf(user.token)).toMatchObject({
      auth_mode: 2,
      auth_question: 'q?',
      auth_answer: 'a',
      group_confirm: true,
      silence_start_time: 3600,
      vibratory: false,
      user_id: user.id,
      push_token: 'tok-1',
    });
    await call(method, '/user/authmode', user.token, { query: { value: 0 } });
    expect((await settingsOf(user.token)).auth_mode).toBe(0);
  });
});

describe.each(['POST', 'PUT'])('profile routes (%s)', (method) => {
  it('each change the profile that GET /user/profile shows', async () => {
    const user = await restUser();
    const name = `renamed${++n}`;
    const steps: [string, RestOptions][] = [
      ['/user/avatar', { json: { avatar: 'https://cdn/x.png' } }],
      ['/user/mobile', { query: { mobile: `1350000${String(n).padStart(4, '0')}` } }],
      ['/user/nickname', { query: { nick_name: 'Nicky' } }],
      ['/user/username', { query: { username: name } }],
      ['/user/private', { text: '{"secret":1}' }],
      ['/user/public', { text: 'public words' }],
      ['/user/profile', { json: { description: 'about me' } }],
    ];
    for (const [path, options] of steps) expect(await call(method, path, user.token, options)).toEqual({ code: 200, message: null, data: true });
    expect(await profileOf(user.token)).toEqual({
      user_id: user.id,
      username: name,
      nick_name: 'Nicky',
      avatar: 'https://cdn/x.png',
      description: 'about me',
      email: null,
      mobile: `1350000${String(n).padStart(4, '0')}`,
      private_info: '{"secret":1}',
      public_info: 'public words',
    });
  });

  it('refuse a taken username with 10004 and a bad mobile with 10002', async () => {
    const a = await restUser();
    const b = await restUser();
    expect((await call(method, '/user/username', b.token, { query: { username: a.name } })).code).toBe(10004);
    expect((await call(method, '/user/mobile', b.token, { query: { mobile: 'abc' } })).code).toBe(10002);
  });

  it('batch routes answer per item, admin only', async () => {
    const a = await restUser();
    const b = await restUser();
    const profiles = await call(method, '/user/profile/batch', adminToken, {
      json: { list: [{ user_id: a.id, nick_name: 'A', public_info: 'pa' }, { user_id: 424242424242, nick_name: 'ghost' }] },
    });
    expect(profiles.data).toEqual([
      { user_id: a.id, success: true, reason: null },
      { user_id: 424242424242, success: false, reason: 'user 424242424242 does not exist' },
    ]);
    const avatars = await call(method, '/user/avatar/batch', adminToken, {
      json: { list: [{ user_id: a.id, avatar: 'https://a' }, { user_id: b.id, avatar: 'x'.repeat(2000) }] },
    });
    expect(avatars.data.map((i: any) => i.success)).toEqual([true, false]);
    expect(await profileOf(a.token)).toMatchObject({ nick_name: 'A', public_info: 'pa', avatar: 'https://a' });
    expect((await profileOf(b.token)).avatar).toBeNull();
    expect((await call(method, '/user/profile/batch', a.token, { json: { list: [] } })).code).toBe(10010);
  });
});

describe('password, devices and presence routes', () => {
  it('POST /user/change_password checks the old password and ends other sessions', async () => {
    const user = await restUser('a');
    const other = (await server.rest('POST', '/token/user', { json: { name: user.name, password: PASSWORD, device_guid: 'b' } })).body.data.token;
    expect((await call('POST', '/user/change_password', user.token, { json: { old_password: 'nope', new_password: 'newpass1' } })).code).toBe(10000);
    expect((await call('POST', '/user/change_password', user.token, { json: { old_password: PASSWORD, new_password: 'newpass1' } })).data).toBe(true);
    expect((await call('GET', '/user/profile', other)).code).toBe(10008);
    expect((await call('GET', '/user/profile', user.token)).code).toBe(200);
  });

  it('GET /user/device/list pages with a cursor', async () => {
    const user = await restUser('d1');
    const res = await call('GET', '/user/device/list', user.token);
    expect(res).toEqual({ code: 200, message: null, data: [{ device_sn: 1, platform: 0, user_agent: null, user_id: user.id }], version: 0 });
  });

  it.each(['POST', 'DELETE'])('%s /user/device/remove forgets a device and its token', async (method) => {
    const user = await restUser('keep');
    const gone = (await server.rest('POST', '/token/user', { json: { name: user.name, password: PASSWORD, device_guid: 'gone' } })).body.data;
    expect(gone.device_sn).toBe(2);
    expect((await call(method, '/user/device/remove', user.token, { query: { device_sn: 2 } })).data).toBe(true);
    expect((await call('GET', '/user/profile', gone.token)).code).toBe(10008);
    expect((await call('GET', '/user/device/list', user.token)).data.map((d: any) => d.device_sn)).toEqual([1]);
    expect((await call(method, '/user/device/remove', user.token, { query: { device_sn: 2 } })).code).toBe(10002);
  });

  it.each(['POST', 'PUT'])('%s /user/kick signs a device out', async (method) => {
    const user = await restUser('p');
    const kicked = (await server.rest('POST', '/token/user', { json: { name: user.name, password: PASSWORD, device_guid: 'q' } })).body.data.token;
    expect((await call(method, '/user/kick', user.token, { json: { device_sn: 2 } })).data).toBe(true);
    expect((await call('GET', '/user/profile', kicked)).code).toBe(10008);
    expect((await call('GET', '/user/profile', user.token)).code).toBe(200);
  });

  it('GET /user/online_status follows live connections', async () => {
    const user = await restUser();
    expect((await call('GET', '/user/online_status', user.token)).data).toEqual({ online: false });
    const ws = server.ws({ token: user.token });
    await ws.connected;
    expect((await call('GET', '/user/online_status', user.token)).data).toEqual({ online: true });
    await ws.client.dispose();
  });
});

describe('admin routes', () => {
  it('PUT /user/disable and PUT /user/enable', async () => {
    const user = await restUser();
    expect((await call('PUT', '/user/disable', adminToken, { json: { list: [user.id] } })).data).toBe(true);
    expect((await call('GET', '/user/profile', user.token)).code).toBe(10008);
    expect((await server.rest('POST', '/token/user', { json: { name: user.name, password: PASSWORD } })).body.code).toBe(10010);
    expect((await call('PUT', '/user/enable', adminToken, { json: { list: [user.id] } })).data).toBe(true);
    const fresh = await server.rest('POST', '/token/user', { json: { name: user.name, password: PASSWORD } });
    expect(fresh.body.code).toBe(200);
    expect((await call('PUT', '/user/disable', fresh.body.data.token, { json: { list: [user.id] } })).code).toBe(10010);
    expect((await call('PUT', '/user/disable', adminToken, { json: { list: [99] } })).code).toBe(10000);
  });

  it('acts as a user with the user_id header', async () => {
    const user = await restUser();
    const res = await call('POST', '/user/nickname', adminToken, { query: { nick_name: 'set by admin' }, headers: { user_id: String(user.id) } });
    expect(res.data).toBe(true);
    expect((await profileOf(user.token)).nick_name).toBe('set by admin');
  });
});

describe('push routes', () => {
  it('alias, badge, tags', async () => {
    const user = await restUser();
    expect((await call('POST', '/user/push/alias', user.token, { json: { alias: 'al', push_token: 'x' } })).data).toBe(true);
    expect((await call('POST', '/user/push/badge', user.token, { json: { badge: 5 } })).data).toBe(true);
    expect((await call('POST', '/user/push/badge', user.token, { json: { badge: 'five' } })).code).toBe(10002);
    expect((await call('POST', '/user/push/tag', user.token, { json: { tags: ['x', 'y', 'z'] } })).data).toBe(true);
    expect((await call('GET', '/user/push/tag', user.token)).data).toEqual(['x', 'y', 'z']);
    expect((await call('DELETE', '/user/push/tag', user.token, { json: { tags: ['y'] } })).data).toBe(true);
    expect((await call('GET', '/user/push/tag', user.token)).data).toEqual(['x', 'z']);
    expect((await call('DELETE', '/user/push/tag/all', user.token)).data).toBe(true);
    expect((await call('GET', '/user/push/tag', user.token)).data).toEqual([]);
  });

  it.each([
    ['POST', 'POST'],
    ['PUT', 'DELETE'],
  ])('%s /user/token/bind and %s /user/token/unbind', async (bindMethod, unbindMethod) => {
    const user = await restUser('phone');
    expect((await call(bindMethod, '/user/token/bind', user.token, { json: { device_sn: 1, device_token: 'fcm-1', notifier_name: 'fcm' } })).data).toBe(true);
    expect((await settingsOf(user.token)).push_token).toBe('fcm-1');
    expect((await call(unbindMethod, '/user/token/unbind', user.token, { query: { deviceSn: 1 } })).data).toBe(true);
    expect((await settingsOf(user.token)).push_token).toBeNull();
    expect((await call(bindMethod, '/user/token/bind', user.token, { json: { device_sn: 5, device_token: 'x' } })).code).toBe(10002);
  });

  it('GET /user/bind_openid binds once; another user gets 10011', async () => {
    const a = await restUser();
    const b = await restUser();
    expect((await call('GET', '/user/bind_openid', a.token, { query: { open_id: 'o-1', type: 'wechat' } })).data).toBe(true);
    expect((await call('GET', '/user/bind_openid', b.token, { query: { open_id: 'o-1', type: 'wechat' } })).code).toBe(10011);
  });
});

describe('auth on chapter 3', () => {
  it('needs a token, and a user behind an admin token', async () => {
    expect((await server.rest('GET', '/user/profile')).body.code).toBe(10003);
    expect((await call('GET', '/user/profile', adminToken)).code).toBe(10010);
  });
});
