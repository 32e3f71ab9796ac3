import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { TestServer } from './helpers/server.js';

// The JSON action protocol (seed 000), over POST /action and a WebSocket at /action/ws, against a real server.

let server: TestServer;

beforeAll(async () => {
  server = await TestServer.start();
});
afterAll(() => server?.close());

type Json = Record<string, any>;

const loginParam = (username: string, extra: Json = {}) => ({ appId: server.appId, appSecretKey: server.appSecret, username, platformId: 'ios', ...extra });

/** One action over HTTP, as `username` (the login fields ride in `param`). */
async function post(action: string, username: string, param: Json = {}, top: Json = {}) {
  return postRaw(JSON.stringify({ action, param: { ...loginParam(username), ...param }, ...top }));
}

async function postRaw(body: string, method = 'POST') {
  const res = await fetch(`${server.url}/action`, { method, headers: { 'content-type': 'application/json' }, body: method === 'POST' ? body : undefined });
  return { status: res.status, body: (await res.json()) as Json };
}

const usersNamed = async (names: string[]) =>
  (await server.gql(`query($n: [String!]!) { usersByUsername(usernames: $n) { id username nickName } }`, { n: names }, { token: await server.adminToken() })).data
    .usersByUsername as Json[];

/** A protocol socket: `next()` is the next frame (answers and pushes alike), `closed` its close event. */
async function socket() {
  const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/action/ws`);
  const frames: Json[] = [];
  const waiters: ((frame: Json) => void)[] = [];
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString());
    const waiter = waiters.shift();
    if (waiter) waiter(frame);
    else frames.push(frame);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const next = () => (frames.length > 0 ? Promise.resolve(frames.shift()!) : new Promise<Json>((r) => waiters.push(r)));
  const ask = async (frame: Json) => {
    ws.send(JSON.stringify(frame));
    return next();
  };
  return { ws, next, ask, closed };
}

describe('JSON action protocol over HTTP', () => {
  it('logs in with the app id and secret, making a user of a new code with its nickname', async () => {
    const res = await post('login', 'h1001', { nickName: 'Hana' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ action: 'login', code: 0, message: 'ok' });
    const [{ clientId }] = res.body.data;
    const [user] = await usersNamed(['c_h1001']);
    expect(user).toMatchObject({ id: clientId, nickName: 'Hana' });
    // The same code is the same user next time.
    expect((await post('login', 'h1001')).body.data[0].clientId).toBe(clientId);
  });

  it('refuses wrong credentials, other apps, malformed frames and unknown actions with their codes', async () => {
    const wrongSecret = await postRaw(JSON.stringify({ action: 'login', param: { ...loginParam('h1'), appSecretKey: 'not-the-secret-000000' } }));
    expect(wrongSecret).toMatchObject({ status: 401, body: { code: 1003 } });
    const noApp = await postRaw(JSON.stringify({ action: 'login', param: { ...loginParam('h1'), appId: 'nosuchapp' } }));
    expect(noApp.body.code).toBe(1003);
    expect(await postRaw('{not json')).toMatchObject({ status: 400, body: { code: 1000, action: null } });
    expect((await postRaw(JSON.stringify({ param: loginParam('h1') }))).body).toMatchObject({ code: 1000, message: 'action must be a non-empty string' });
    expect((await postRaw(JSON.stringify({ action: 'login', param: [1] }))).body.code).toBe(1000);
    expect((await post('fly', 'h1')).body).toMatchObject({ code: 1001, action: 'fly' });
    expect((await post('toString', 'h1')).body.code).toBe(1001);
    expect((await post('login', 'not a code!')).body).toMatchObject({ code: 1000, message: 'username must be 1-30 letters, digits or _' });
    expect((await post('login', 'x'.repeat(31))).body.code).toBe(1000);
    expect((await postRaw('', 'GET')).status).toBe(405);
    expect((await post('login', 'nul\u0000code')).body.code).toBe(1000);
  });

  it('creates a group with members by code, adds, renames, removes and deletes it, as the owner', async () => {
    const created = await post('createGroup', 'owner1', { name: 'Team', members: [{ code: 'm1', nickName: 'Mia' }, { code: '2002', nickName: 'Two' }] });
    expect(created.body).toMatchObject({ action: 'createGroup', code: 0 });
    const groupId = created.body.groupId as string;
    expect(created.body.data.map((m: Json) => [m.code, m.outcome])).toEqual([
      ['owner1', 'JOINED'],
      ['m1', 'JOINED'],
      ['2002', 'JOINED'],
    ]);
    const [m1, two] = await usersNamed(['c_m1', 'c_2002']);
    expect(created.body.data[1].id).toBe(m1!.id);
    expect(two!.nickName).toBe('Two');

    expect((await post('addGroupMembers', 'owner1', { id: groupId, members: [{ code: 'm3', nickName: 'Max' }] })).body).toMatchObject({
      code: 0,
      data: [{ code: 'm3', outcome: 'JOINED' }],
    });
    expect((await post('updateGroup', 'owner1', { id: groupId, name: 'Renamed' })).body.code).toBe(0);
    expect((await post('removeGroupMembers', 'owner1', { id: groupId, members: [{ code: 'm1' }] })).body).toMatchObject({ code: 0, data: [{ code: 'm1' }] });

    const admin = await server.adminToken();
    const group = await server.gql(`query($g: ID!) { group(id: $g) { name memberCount } }`, { g: groupId }, { token: admin });
    expect(group.data.group).toEqual({ name: 'Renamed', memberCount: 3 });

    // A plain member may not delete it; the owner may.
    expect((await post('deleteGroup', 'm3', { id: groupId })).body.code).toBe(1004);
    expect((await post('deleteGroup', 'owner1', { id: groupId })).body).toMatchObject({ code: 0, action: 'deleteGroup' });
    const after = await server.gql(`query($g: ID!) { group(id: $g) { dissolved } }`, { g: groupId }, { token: admin });
    expect(after.data.group?.dissolved ?? true).toBe(true);
  });

  it('answers bad group input with 1000 and unknown groups or codes with 1005', async () => {
    expect((await post('createGroup', 'owner2', { members: [{ code: 'a1' }] })).body).toMatchObject({ code: 1000, message: 'name is required' });
    expect((await post('createGroup', 'owner2', { name: 'x', members: [] })).body.code).toBe(1000);
    expect((await post('createGroup', 'owner2', { name: 'x', members: [{ code: 'a1' }, { code: 'a1' }] })).body.code).toBe(1000);
    const many = Array.from({ length: 501 }, (_, i) => ({ code: `n${i}` }));
    expect((await post('createGroup', 'owner2', { name: 'x', members: many })).body).toMatchObject({ code: 1000, message: 'members may list at most 500 users' });
    expect((await post('deleteGroup', 'owner2', { id: '1e10' })).body.code).toBe(1000);
    expect((await post('deleteGroup', 'owner2', { id: '999999999' })).body.code).toBe(1005);
    const created = await post('createGroup', 'owner2', { name: 'G2', members: [{ code: 'a1' }] });
    expect((await post('removeGroupMembers', 'owner2', { id: created.body.groupId, members: [{ code: 'never_seen' }] })).body.code).toBe(1005);
    // Nothing was half-applied: the unknown code did not become a user.
    expect(await usersNamed(['c_never_seen'])).toEqual([]);
  });

  it("another app's secret does not reach this app's groups", async () => {
    const created = await post('createGroup', 'owner3', { name: 'Mine', members: [{ code: 'b1' }] });
    const other = await server.createApp('actother');
    const res = await postRaw(
      JSON.stringify({ action: 'deleteGroup', param: { appId: other.appId, appSecretKey: other.appSecret, username: 'owner3', platformId: 'web', id: created.body.groupId } }),
    );
    expect(res.body.code).toBe(1005);
    const admin = await server.adminToken();
    expect((await server.gql(`query($g: ID!) { group(id: $g) { dissolved } }`, { g: created.body.groupId }, { token: admin })).data.group.dissolved).toBe(false);
  });

  it('sends to a user and a group and reads history after a seq', async () => {
    await post('login', 'hist_b');
    for (const text of ['one', 'two', 'three']) {
      expect((await post('sendMessage', 'hist_a', { to: 'hist_b' }, { content: text })).body).toMatchObject({ code: 0, data: { content: text, type: 'TEXT' } });
    }
    const all = await post('history', 'hist_b', { to: 'hist_a' });
    expect(all.body.data.map((m: Json) => [m.content, m.from.code])).toEqual([
      ['one', 'hist_a'],
      ['two', 'hist_a'],
      ['three', 'hist_a'],
    ]);
    const after = await post('history', 'hist_b', { to: 'hist_a', startIndex: all.body.data[0].seq, limit: 1 });
    expect(after.body).toMatchObject({ code: 0, hasMore: true, data: [{ content: 'two' }] });

    const group = await post('createGroup', 'hist_a', { name: 'H', members: [{ code: 'hist_b' }] });
    expect((await post('sendMessage', 'hist_b', { groupId: group.body.groupId }, { content: 'to all' })).body.code).toBe(0);
    expect((await post('history', 'hist_a', { groupId: group.body.groupId })).body.data.map((m: Json) => m.content)).toEqual(['to all']);
    // No such group (or another app's): not found.
    expect((await post('sendMessage', 'hist_a', { groupId: '999999999' }, { content: 'hi' })).body.code).toBe(1005);
    expect((await post('sendMessage', 'hist_a', {}, { content: 'nowhere' })).body).toMatchObject({ code: 1000, message: 'name exactly one of to (a user code) and groupId' });
    expect((await post('sendMessage', 'hist_a', { to: 'hist_b' })).body.code).toBe(1000);
    expect((await post('history', 'hist_a', { to: 'hist_b', startIndex: '0x1' })).body.code).toBe(1000);
  });
});

describe('JSON action protocol over a WebSocket', () => {
  it('acts only after login, then pushes messages live, resumable exactly once from the last cursor', async () => {
    const s = await socket();
    expect(await s.ask({ action: 'sendMessage', content: 'x', param: { to: 'ws_b' } })).toMatchObject({ code: 1002 });
    expect(await s.ask({ action: 'login', id: 7, param: loginParam('ws_b') })).toMatchObject({ action: 'login', id: 7, code: 0 });
    expect(await s.next()).toMatchObject({ action: 'ready' });
    expect(await s.ask({ action: 'login', param: loginParam('ws_b') })).toMatchObject({ code: 1006 });

    expect((await post('sendMessage', 'ws_a', { to: 'ws_b' }, { content: 'live one' })).body.code).toBe(0);
    const pushed = await s.next();
    expect(pushed).toMatchObject({ action: 'message', content: 'live one', data: { from: { code: 'ws_a' }, type: 'TEXT' } });
    const cursor = pushed.data.cursor as string;
    expect(typeof cursor).toBe('string');

    // Sending on the socket answers the frame (with its id); the sender hears its own message too.
    // (The push may overtake the answer: they are told apart by `action`.)
    s.ws.send(JSON.stringify({ action: 'sendMessage', id: 'm1', content: 'reply', param: { to: 'ws_a' } }));
    const both = [await s.next(), await s.next()].sort((x, y) => x.action.localeCompare(y.action));
    expect(both[0]).toMatchObject({ action: 'message', content: 'reply' });
    expect(both[1]).toMatchObject({ action: 'sendMessage', id: 'm1', code: 0, data: { content: 'reply' } });

    s.ws.close();
    await s.closed;
    for (const text of ['missed 1', 'missed 2']) await post('sendMessage', 'ws_a', { to: 'ws_b' }, { content: text });

    const again = await socket();
    expect((await again.ask({ action: 'login', param: loginParam('ws_b', { since: cursor }) })).code).toBe(0);
    const replay = [await again.next(), await again.next(), await again.next(), await again.next()];
    expect(replay.map((f) => f.action === 'message' ? f.content : f.action)).toEqual(['reply', 'missed 1', 'missed 2', 'ready']);
    await post('sendMessage', 'ws_a', { to: 'ws_b' }, { content: 'after' });
    expect(await again.next()).toMatchObject({ action: 'message', content: 'after' });
    again.ws.close();
  });

  it('refuses a login whose since is not a cursor of this server, and the socket may log in again', async () => {
    const s = await socket();
    expect(await s.ask({ action: 'login', param: loginParam('ws_c', { since: 'not-a-cursor' }) })).toMatchObject({ action: 'login', code: 1000 });
    expect(await s.ask({ action: 'history', param: { to: 'ws_c' } })).toMatchObject({ code: 1002 });
    expect(await s.ask({ action: 'login', param: loginParam('ws_c') })).toMatchObject({ code: 0 });
    expect(await s.next()).toMatchObject({ action: 'ready' });
    s.ws.close();
  });

  it('answers a malformed frame without closing, and ends the session when the user is disabled', async () => {
    const s = await socket();
    expect(await s.ask({ action: 'login', param: loginParam('ws_gone') })).toMatchObject({ code: 0 });
    expect(await s.next()).toMatchObject({ action: 'ready' });
    s.ws.send('{nope');
    expect(await s.next()).toMatchObject({ code: 1000, action: null });
    s.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect((await s.next()).code).toBe(1000);
    expect(await s.ask({ action: 'fly' })).toMatchObject({ code: 1001 });

    const [user] = await usersNamed(['c_ws_gone']);
    const disabled = await server.gql(`mutation($u: [ID!]!) { disableUsers(userIds: $u) { __typename } }`, { u: [user!.id] }, { token: await server.adminToken() });
    expect(disabled.data.disableUsers.__typename).toBe('DisableUsersPayload');
    expect(await s.next()).toMatchObject({ action: 'logout', code: 1008 });
    expect(await s.closed).toMatchObject({ code: 4403 });
    // Logging in again as a disabled user is refused.
    expect((await post('login', 'ws_gone')).body.code).toBe(1005);
  });

  it('refuses an upgrade on any other path', async () => {
    const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/nowhere`);
    const error = await new Promise<Error>((resolve) => ws.once('error', resolve));
    expect(error.message).toContain('400');
  });
});

describe('the login timeout (ACTION_LOGIN_TIMEOUT_MS)', () => {
  let strict: TestServer;
  beforeAll(async () => {
    strict = await TestServer.start({ env: { ACTION_LOGIN_TIMEOUT_MS: '300' } });
  });
  afterAll(() => strict?.close());

  const open = async () => {
    const ws = new WebSocket(`${strict.url.replace(/^http/, 'ws')}/action/ws`);
    const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return { ws, closed };
  };

  it('closes a socket that never logs in with 4401 "login required"', async () => {
    const { closed } = await open();
    expect(await closed).toEqual({ code: 4401, reason: 'login required' });
  });

  it('is not put off by other frames or a refused login', async () => {
    const { ws, closed } = await open();
    ws.send(JSON.stringify({ action: 'history', param: { to: 'x' } }));
    ws.send(JSON.stringify({ action: 'login', param: { appId: strict.appId, appSecretKey: 'wrong-secret', username: 'late', platformId: 'ios' } }));
    expect(await closed).toEqual({ code: 4401, reason: 'login required' });
  });
});
