import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, PASSWORD, TestServer, type TestUser } from './helpers/server.js';

let server: TestServer;
let admin: string;
beforeAll(async () => {
  server = await TestServer.start();
  admin = await server.adminToken();
});
afterAll(() => server.close());

const UPDATE_PROFILE = `mutation($input: UpdateProfileInput!) {
  updateProfile(input: $input) {
    __typename
    ... on UpdateProfilePayload { user { id username nickName avatar description publicInfo privateInfo mobile email ext } }
    ... on Error { code message }
    ... on InvalidInputError { field }
    ... on ConflictError { field }
  }
}`;
const UPDATE_SETTINGS = `mutation($input: UpdateSettingsInput!) {
  updateSettings(input: $input) {
    __typename
    ... on UpdateSettingsPayload { settings { authMode authQuestion authAnswer noPush noPushStartHour noPushEndHour vibratory pushNickName } }
    ... on Error { code message }
    ... on InvalidInputError { field }
  }
}`;
const VIEWER = `{ viewer { id username privateInfo online settings { authMode } } }`;
const ACCOUNT_EVENTS = `subscription {
  events {
    __typename
    ... on TokenRevokedEvent { reason deviceSns thisConnection }
    ... on SettingsChangedEvent { settings { noPush authMode } }
    ... on ProfileChangedEvent { user { nickName } }
  }
}`;

const code = (res: { errors?: { extensions?: { code?: string } }[] }) => res.errors?.[0]?.extensions?.code;

/** A live account-event subscription of a token, ready (the first event seen). */
async function listen(token: string) {
  const ws = server.ws({ token });
  const events = collect(ws.client, ACCOUNT_EVENTS);
  expect((await events.next()).events.__typename).toBe('StreamReadyEvent');
  return { ...ws, events, next: async () => (await events.next()).events };
}

describe('profile', () => {
  it('changes what is given and keeps the rest', async () => {
    const amy = await server.user('amy');
    const first = await server.gql(UPDATE_PROFILE, { input: { nickName: 'Amy', avatar: 'https://cdn/a.png', privateInfo: 'diary', ext: { vip: true } } }, { token: amy.token });
    expect(first.data.updateProfile).toMatchObject({
      __typename: 'UpdateProfilePayload',
      user: { nickName: 'Amy', avatar: 'https://cdn/a.png', privateInfo: 'diary', ext: { vip: true } },
    });
    const second = await server.gql(UPDATE_PROFILE, { input: { description: 'hi', mobile: '13000000001' } }, { token: amy.token });
    expect(second.data.updateProfile.user).toMatchObject({ nickName: 'Amy', description: 'hi', mobile: '13000000001', privateInfo: 'diary', ext: { vip: true } });
    const noExt = await server.gql(UPDATE_PROFILE, { input: { ext: null } }, { token: amy.token });
    expect(noExt.data.updateProfile.user.ext).toBeNull();
    const cleared = await server.gql(UPDATE_PROFILE, { input: { mobile: '' } }, { token: amy.token });
    expect(cleared.data.updateProfile.user.mobile).toBeNull();
  });

  it('keeps usernames unique, and the new name logs in', async () => {
    const ann = await server.user('ann');
    await server.user('ben');
    const taken = await server.gql(UPDATE_PROFILE, { input: { username: 'ben' } }, { token: ann.token });
    expect(taken.data.updateProfile).toMatchObject({ __typename: 'ConflictError', code: 'USER_EXISTS', field: 'username' });
    const renamed = await server.gql(UPDATE_PROFILE, { input: { username: 'anna' } }, { token: ann.token });
    expect(renamed.data.updateProfile.user.username).toBe('anna');
    expect(await server.login('anna')).toBeTruthy();
  });

  it.each([
    [{ nickName: 'n'.repeat(65) }, 'nickName'],
    [{ username: '007' }, 'username'],
    [{ ext: { big: 'x'.repeat(8200) } }, 'ext'],
    [{ email: 'nope' }, 'email'],
    [{ avatar: 'a'.repeat(1025) }, 'avatar'],
  ])('refuses %j naming the field, changing nothing', async (input, field) => {
    const user = await server.user(`bad${field}`);
    const res = await server.gql(UPDATE_PROFILE, { input: { ...input, description: 'changed' } }, { token: user.token });
    expect(res.data.updateProfile).toMatchObject({ __typename: 'InvalidInputError', field });
    const me = await server.gql(`{ viewer { description } }`, {}, { token: user.token });
    expect(me.data.viewer.description).toBeNull();
  });

  it('shows private_info to its owner and app admins only', async () => {
    const cara = await server.user('cara');
    const dora = await server.user('dora');
    await server.gql(UPDATE_PROFILE, { input: { privateInfo: 'secret', publicInfo: 'hello' } }, { token: cara.token });
    const query = `query($id: ID!) { user(id: $id) { privateInfo publicInfo online } }`;
    expect((await server.gql(query, { id: cara.id }, { token: dora.token })).data.user).toEqual({ privateInfo: null, publicInfo: 'hello', online: null });
    expect((await server.gql(query, { id: cara.id }, { token: admin })).data.user).toMatchObject({ privateInfo: 'secret', publicInfo: 'hello' });
  });

  it('admin batch updates answer per item; one bad item spoils nothing', async () => {
    const eli = await server.user('eli');
    const fay = await server.user('fay');
    const other = await server.createApp('batchother');
    const stranger = await server.user('stranger', { appId: other.appId });
    const res = await server.gql(
      `mutation($input: [UserProfileInput!]!) { updateProfiles(input: $input) { __typename ... on UpdateProfilesPayload { outcomes { userId success reason } } } }`,
      {
        input: [
          { userId: eli.id, nickName: 'Eli', avatar: 'https://cdn/e.png' },
          { userId: fay.id, nickName: 'x'.repeat(100) },
          { userId: stranger.id, nickName: 'hijacked' },
          { userId: 'abc', nickName: 'bad id' },
        ],
      },
      { token: admin },
    );
    const items = res.data.updateProfiles.outcomes;
    expect(items.map((i: any) => i.success)).toEqual([true, false, false, false]);
    expect(items[1].reason).toContain('nickName');
    expect(items[2].reason).toContain('does not exist');
    const check = `query($id: ID!) { user(id: $id) { nickName avatar } }`;
    expect((await server.gql(check, { id: eli.id }, { token: admin })).data.user).toEqual({ nickName: 'Eli', avatar: 'https://cdn/e.png' });
    const otherAdmin = await server.adminToken(other.appId, other.appSecret);
    expect((await server.gql(check, { id: stranger.id }, { token: otherAdmin })).data.user.nickName).toBeNull();
    const asUser = await server.gql(`mutation { updateProfiles(input: []) { __typename } }`, {}, { token: eli.token });
    expect(code(asUser)).toBe('FORBIDDEN');
  });

  it("reaches the user's other devices live", async () => {
    const phone = await server.user('gus', { deviceGuid: 'phone' });
    const laptop = await listen(await server.login('gus', { deviceGuid: 'laptop' }));
    await server.gql(UPDATE_PROFILE, { input: { nickName: 'Gus!' } }, { token: phone.token });
    expect(await laptop.next()).toEqual({ __typename: 'ProfileChangedEvent', user: { nickName: 'Gus!' } });
    await laptop.client.dispose();
  });
});

describe('settings', () => {
  it('change in part, validate, and reach the other devices', async () => {
    const hal = await server.user('hal', { deviceGuid: 'phone' });
    const tablet = await listen(await server.login('hal', { deviceGuid: 'tablet' }));
    const res = await server.gql(UPDATE_SETTINGS, { input: { noPush: true, noPushStartHour: 22, noPushEndHour: 7 } }, { token: hal.token });
    expect(res.data.updateSettings.settings).toMatchObject({ noPush: true, noPushStartHour: 22, noPushEndHour: 7, authMode: 'APPROVAL', vibratory: true });
    expect(await tablet.next()).toEqual({ __typename: 'SettingsChangedEvent', settings: { noPush: true, authMode: 'APPROVAL' } });
    await tablet.client.dispose();
  });

  it.each([
    [{ noPushStartHour: 24 }, 'noPushStartHour'],
    [{ noPushEndHour: -1 }, 'noPushEndHour'],
    [{ silenceStartTime: 86_400 }, 'silenceStartTime'],
    [{ pushNickName: 'p'.repeat(65) }, 'pushNickName'],
    [{}, 'input'],
  ])('refuse %j naming the field', async (input, field) => {
    const user = await server.user(`set${field}${Object.values(input).join('')}`.replace(/[^\w]/g, '_').slice(0, 32));
    const res = await server.gql(UPDATE_SETTINGS, { input }, { token: user.token });
    expect(res.data.updateSettings).toMatchObject({ __typename: 'InvalidInputError', code: 'INVALID_INPUT', field });
  });

  it('refuse an auth mode outside the enum before running', async () => {
    const user = await server.user('setbadmode');
    const res = await server.gql(UPDATE_SETTINGS, { input: { authMode: 'SOMETIMES' } }, { token: user.token });
    expect(res.errors?.[0]?.message).toContain('AuthMode');
    expect((await server.gql(`{ viewer { settings { authMode } } }`, {}, { token: user.token })).data.viewer.settings.authMode).toBe('APPROVAL');
  });

  it('never show the auth answer to anyone else', async () => {
    const ida = await server.user('ida');
    const jon = await server.user('jon');
    await server.gql(UPDATE_SETTINGS, { input: { authMode: 'QUESTION', authQuestion: 'pet?', authAnswer: 'rex' } }, { token: ida.token });
    const seen = await server.gql(`query($id: ID!) { user(id: $id) { settings { authAnswer } } }`, { id: ida.id }, { token: jon.token });
    expect(seen.data.user.settings).toBeNull();
    const own = await server.gql(`{ viewer { settings { authMode authQuestion authAnswer } } }`, {}, { token: ida.token });
    expect(own.data.viewer.settings).toEqual({ authMode: 'QUESTION', authQuestion: 'pet?', authAnswer: 'rex' });
  });
});

describe('password', () => {
  const CHANGE = `mutation($o: String!, $n: String!) { changePassword(oldPassword: $o, newPassword: $n) { __typename ... on Error { code } ... on InvalidInputError { field } } }`;

  it('needs the old password', async () => {
    const kim = await server.user('kim');
    const res = await server.gql(CHANGE, { o: 'wrong', n: 'new password' }, { token: kim.token });
    expect(res.data.changePassword.code).toBe('BAD_CREDENTIALS');
    const short = await server.gql(CHANGE, { o: PASSWORD, n: '123' }, { token: kim.token });
    expect(short.data.changePassword).toMatchObject({ code: 'INVALID_INPUT', field: 'newPassword' });
  });

  it('signs every other session out, live', async () => {
    const lou = await server.user('lou', { deviceGuid: 'phone' });
    const laptopToken = await server.login('lou', { deviceGuid: 'laptop' });
    const laptop = await listen(laptopToken);
    const res = await server.gql(CHANGE, { o: PASSWORD, n: 'a new secret' }, { token: lou.token });
    expect(res.data.changePassword.__typename).toBe('ChangePasswordPayload');
    expect(await laptop.next()).toMatchObject({ reason: 'PASSWORD_CHANGED', deviceSns: [2], thisConnection: true });
    expect(await laptop.closed).toEqual({ code: 4403, reason: 'Forbidden: PASSWORD_CHANGED' });
    expect(code(await server.gql(VIEWER, {}, { token: laptopToken }))).toBe('TOKEN_REVOKED');
    expect((await server.gql(VIEWER, {}, { token: lou.token })).data.viewer.username).toBe('lou');
    await expect(server.login('lou')).rejects.toThrow();
    expect(await server.login('lou', { password: 'a new secret' })).toBeTruthy();
  });
});

describe('devices', () => {
  const DEVICES = `query($after: String) { devices(first: 2, after: $after) { totalCount edges { cursor node { deviceSn platform current } } pageInfo { hasNextPage endCursor } } }`;

  it('are listed page by page', async () => {
    const max = await server.user('max', { deviceGuid: 'a' });
    for (const guid of ['b', 'c']) await server.login('max', { deviceGuid: guid });
    const first = await server.gql(DEVICES, {}, { token: max.token });
    expect(first.data.devices.edges.map((e: any) => [e.node.deviceSn, e.node.current, e.node.platform])).toEqual([[1, true, 'UNKNOWN'], [2, false, 'UNKNOWN']]);
    expect(first.data.devices.totalCount).toBe(3);
    expect(first.data.devices.pageInfo.hasNextPage).toBe(true);
    const second = await server.gql(DEVICES, { after: first.data.devices.pageInfo.endCursor }, { token: max.token });
    expect(second.data.devices.edges.map((e: any) => e.node.deviceSn)).toEqual([3]);
    expect(second.data.devices.pageInfo.hasNextPage).toBe(false);
  });

  it('removed stop their tokens and close their connections', async () => {
    const ned = await server.user('ned', { deviceGuid: 'phone' });
    const oldToken = await server.login('ned', { deviceGuid: 'old-phone' });
    const old = await listen(oldToken);
    const res = await server.gql(`mutation { removeDevice(deviceSn: 2) { __typename ... on RemoveDevicePayload { deviceSn } } }`, {}, { token: ned.token });
    expect(res.data.removeDevice).toEqual({ __typename: 'RemoveDevicePayload', deviceSn: 2 });
    expect(await old.next()).toMatchObject({ reason: 'DEVICE_REMOVED', deviceSns: [2] });
    expect(await old.closed).toEqual({ code: 4403, reason: 'Forbidden: DEVICE_REMOVED' });
    expect(code(await server.gql(VIEWER, {}, { token: oldToken }))).toBe('TOKEN_REVOKED');
    const again = await server.gql(`mutation { removeDevice(deviceSn: 2) { __typename ... on Error { code } } }`, {}, { token: ned.token });
    expect(again.data.removeDevice.code).toBe('DEVICE_NOT_FOUND');
  });

  it('kicked lose their live connection within a second, and must log in again', async () => {
    const ola = await server.user('ola', { deviceGuid: 'phone' });
    const tabletToken = await server.login('ola', { deviceGuid: 'tablet' });
    const tablet = await listen(tabletToken);
    const phone = await listen(ola.token);
    const started = Date.now();
    const res = await server.gql(`mutation { kickDevices(deviceSn: 2) { ... on KickDevicesPayload { endedSessionCount } } }`, {}, { token: ola.token });
    expect(res.data.kickDevices.endedSessionCount).toBe(1);
    expect(await tablet.closed).toEqual({ code: 4403, reason: 'Forbidden: DEVICE_KICKED' });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await phone.next()).toMatchObject({ reason: 'DEVICE_KICKED', deviceSns: [2], thisConnection: false });
    expect(code(await server.gql(VIEWER, {}, { token: tabletToken }))).toBe('TOKEN_REVOKED');
    await phone.client.dispose();
  });

  it('can all be kicked but the one asking', async () => {
    const pam = await server.user('pam', { deviceGuid: 'one' });
    const others = [await server.login('pam', { deviceGuid: 'two' }), await server.login('pam', { deviceGuid: 'three' })];
    const res = await server.gql(`mutation { kickDevices { ... on KickDevicesPayload { endedSessionCount } } }`, {}, { token: pam.token });
    expect(res.data.kickDevices.endedSessionCount).toBe(2);
    for (const token of others) expect(code(await server.gql(VIEWER, {}, { token }))).toBe('TOKEN_REVOKED');
    expect((await server.gql(VIEWER, {}, { token: pam.token })).data.viewer.username).toBe('pam');
  });
});

describe('account administration', () => {
  const DISABLE = `mutation($ids: [ID!]!) { disableUsers(userIds: $ids) { __typename ... on DisableUsersPayload { users { id disabled } } ... on Error { code } } }`;
  const ENABLE = `mutation($ids: [ID!]!) { enableUsers(userIds: $ids) { __typename ... on Error { code } } }`;

  it('disables users at once: no login, no token, no live connection; enabling restores login', async () => {
    const rae = await server.user('rae');
    const live = await listen(rae.token);
    const res = await server.gql(DISABLE, { ids: [rae.id] }, { token: admin });
    expect(res.data.disableUsers).toEqual({ __typename: 'DisableUsersPayload', users: [{ id: rae.id, disabled: true }] });
    expect(await live.next()).toMatchObject({ reason: 'ACCOUNT_DISABLED', thisConnection: true });
    expect(await live.closed).toEqual({ code: 4403, reason: 'Forbidden: ACCOUNT_DISABLED' });
    expect(code(await server.gql(VIEWER, {}, { token: rae.token }))).toBe('TOKEN_REVOKED');
    const login = await server.gql(
      `mutation { createAccessToken(appId: "testapp", input: { username: "rae", password: "${PASSWORD}" }) { ... on Error { code } } }`,
    );
    expect(login.data.createAccessToken.code).toBe('USER_DISABLED');
    expect((await server.gql(`query($id: ID!) { user(id: $id) { disabled } }`, { id: rae.id }, { token: admin })).data.user.disabled).toBe(true);

    await server.gql(ENABLE, { ids: [rae.id] }, { token: admin });
    expect(await server.login('rae')).toBeTruthy();
  });

  it('is all or nothing, admin only, and within the app', async () => {
    const sue = await server.user('sue');
    const unknown = await server.gql(DISABLE, { ids: [sue.id, '99999999999'] }, { token: admin });
    expect(unknown.data.disableUsers.code).toBe('USER_NOT_FOUND');
    expect((await server.gql(VIEWER, {}, { token: sue.token })).data.viewer.username).toBe('sue');

    expect(code(await server.gql(DISABLE, { ids: [sue.id] }, { token: sue.token }))).toBe('FORBIDDEN');
    const other = await server.createApp('admother');
    const otherAdmin = await server.adminToken(other.appId, other.appSecret);
    expect((await server.gql(DISABLE, { ids: [sue.id] }, { token: otherAdmin })).data.disableUsers.code).toBe('USER_NOT_FOUND');
    expect((await server.gql(VIEWER, {}, { token: sue.token })).data.viewer.username).toBe('sue');
  });
});

describe('presence', () => {
  const online = async (user: TestUser) =>
    (await server.gql(`query($id: ID!) { user(id: $id) { online } }`, { id: user.id }, { token: admin })).data.user.online;

  it('follows live connections across several devices and reconnects', async () => {
    const tom = await server.user('tom', { deviceGuid: 'phone' });
    const laptopToken = await server.login('tom', { deviceGuid: 'laptop' });
    expect(await online(tom)).toBe(false);
    const phone = server.ws({ token: tom.token });
    await phone.connected;
    const laptop = server.ws({ token: laptopToken });
    await laptop.connected;
    expect(await online(tom)).toBe(true);
    await phone.client.dispose();
    await phone.closed;
    await expect.poll(() => online(tom)).toBe(true);
    await laptop.client.dispose();
    await laptop.closed;
    await expect.poll(() => online(tom)).toBe(false);
    const again = server.ws({ token: tom.token });
    await again.connected;
    expect(await online(tom)).toBe(true);
    expect((await server.gql(`{ viewer { online } }`, {}, { token: tom.token })).data.viewer.online).toBe(true);
    await again.client.dispose();
  });

  it('does not count an admin acting as the user', async () => {
    const uma = await server.user('uma');
    const ws = server.ws({ token: admin, actAsUserId: uma.id });
    await ws.connected;
    expect(await online(uma)).toBe(false);
    await ws.client.dispose();
  });
});

describe('push state', () => {
  it('keeps alias, badge and tags', async () => {
    const val = await server.user('val');
    const opts = { token: val.token };
    const set = await server.gql(`mutation { setPushAlias(alias: "v-alias") { ... on SetPushAliasPayload { user { pushAlias } } } setPushBadge(badge: 3) { ... on SetPushBadgePayload { user { pushBadge } } } }`, {}, opts);
    expect(set.data).toEqual({ setPushAlias: { user: { pushAlias: 'v-alias' } }, setPushBadge: { user: { pushBadge: 3 } } });
    const added = await server.gql(`mutation { addPushTags(tags: ["b", "a", "b"]) { ... on AddPushTagsPayload { tags } } }`, {}, opts);
    expect(added.data.addPushTags.tags).toEqual(['a', 'b']);
    await server.gql(`mutation { addPushTags(tags: ["c"]) { __typename } }`, {}, opts);
    const state = await server.gql(`{ viewer { pushAlias pushBadge } pushTags }`, {}, opts);
    expect(state.data).toEqual({ viewer: { pushAlias: 'v-alias', pushBadge: 3 }, pushTags: ['a', 'b', 'c'] });
    await server.gql(`mutation { removePushTags(tags: ["a"]) { __typename } }`, {}, opts);
    expect((await server.gql(`{ pushTags }`, {}, opts)).data.pushTags).toEqual(['b', 'c']);
    await server.gql(`mutation { removePushTags { __typename } }`, {}, opts);
    expect((await server.gql(`{ pushTags }`, {}, opts)).data.pushTags).toEqual([]);
    const bad = await server.gql(`mutation { setPushBadge(badge: -1) { ... on InvalidInputError { field } } }`, {}, opts);
    expect(bad.data.setPushBadge.field).toBe('badge');
  });

  it('limits tags to 100 per user', async () => {
    const wes = await server.user('wes');
    const tags = Array.from({ length: 100 }, (_, i) => `t${i}`);
    await server.gql(`mutation($t: [String!]!) { addPushTags(tags: $t) { __typename } }`, { t: tags }, { token: wes.token });
    const more = await server.gql(`mutation { addPushTags(tags: ["one-too-many"]) { ... on InvalidInputError { field message } } }`, {}, { token: wes.token });
    expect(more.data.addPushTags.field).toBe('tags');
    expect((await server.gql(`{ pushTags }`, {}, { token: wes.token })).data.pushTags).toHaveLength(100);
  });

  it('moves a push token to the device that binds it last', async () => {
    const xia = await server.user('xia', { deviceGuid: 'shared-phone' });
    const yan = await server.user('yan', { deviceGuid: 'shared-phone' });
    const BIND = `mutation { bindPushToken(deviceSn: 1, deviceToken: "apns-123", notifierName: "apns") { __typename ... on BindPushTokenPayload { device { pushToken notifierName } } } }`;
    expect((await server.gql(BIND, {}, { token: xia.token })).data.bindPushToken.device).toMatchObject({ pushToken: 'apns-123', notifierName: 'apns' });
    await server.gql(BIND, {}, { token: yan.token });
    const devicesOf = async (token: string) => (await server.gql(`{ devices { edges { node { pushToken } } } }`, {}, { token })).data.devices.edges[0].node.pushToken;
    expect(await devicesOf(xia.token)).toBeNull();
    expect(await devicesOf(yan.token)).toBe('apns-123');
    await server.gql(`mutation { unbindPushToken(deviceSn: 1) { __typename } }`, {}, { token: yan.token });
    expect(await devicesOf(yan.token)).toBeNull();
    const missing = await server.gql(`mutation { unbindPushToken(deviceSn: 9) { ... on Error { code } } }`, {}, { token: yan.token });
    expect(missing.data.unbindPushToken.code).toBe('DEVICE_NOT_FOUND');
  });

  it('binds an open id to one user only', async () => {
    const zed = await server.user('zed');
    const zoe = await server.user('zoe');
    const BIND = `mutation { bindOpenId(openId: "wx-1", type: "wechat") { __typename ... on Error { code } } }`;
    expect((await server.gql(BIND, {}, { token: zed.token })).data.bindOpenId.__typename).toBe('BindOpenIdPayload');
    expect((await server.gql(BIND, {}, { token: zed.token })).data.bindOpenId.__typename).toBe('BindOpenIdPayload');
    expect((await server.gql(BIND, {}, { token: zoe.token })).data.bindOpenId.code).toBe('ALREADY_BOUND');
  });
});
