import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, TestServer, type RestOptions } from './helpers/server.js';

// Chapter 8 of the Maximtop document over REST: every route, twins alike.
let server: TestServer;
beforeAll(async () => {
  server = await TestServer.start();
});
afterAll(() => server.close());

let n = 0;
async function restUser(authMode?: number) {
  const name = `ro${++n}`;
  const reg = await server.rest('POST', '/user/register/v2', { json: { username: name, password: PASSWORD } });
  const token = (await server.rest('POST', '/token/user', { json: { name, password: PASSWORD } })).body.data.token as string;
  if (authMode !== undefined) await server.rest('POST', '/user/authmode', { token, query: { value: authMode } });
  return { name, id: reg.body.data.user_id as number, token };
}
type RestUser = Awaited<ReturnType<typeof restUser>>;

const call = async (method: string, path: string, user: RestUser, options: RestOptions = {}) =>
  (await server.rest(method, path, { token: user.token, ...options })).body;

const friendIds = async (user: RestUser) => (await call('GET', '/roster/list', user)).data;

describe('requests', () => {
  it.each([
    ['POST', 'POST'],
    ['PUT', 'PUT'],
  ])('apply, list, accept (%s/%s)', async (_m, method) => {
    const [a, b] = [await restUser(), await restUser(1)];
    expect(await call('POST', '/roster/apply', a, { json: { user_id: b.id, reason: 'hello', alias: 'Bee' } })).toEqual({ code: 200, message: null, data: true });
    const list = await call('GET', '/roster/apply/list', b);
    expect(list).toMatchObject({ code: 200, version: 0, data: [{ user_id: a.id, reason: 'hello', status: 0 }] });
    expect(list.data[0].expired_time).toBeGreaterThan(Date.now());
    expect(list.cursor).toBeUndefined();
    expect(await call(method, '/roster/accept', b, { query: { user_id: a.id } })).toMatchObject({ code: 200, data: true });
    expect(await friendIds(a)).toEqual([b.id]);
    expect(await friendIds(b)).toEqual([a.id]);
    expect((await call(method, '/roster/accept', b, { query: { user_id: a.id } })).code).toBe(10007);
  });

  it.each(['POST', 'PUT'])('%s /roster/decline', async (method) => {
    const [a, b] = [await restUser(), await restUser(1)];
    await call('POST', '/roster/apply', a, { json: { user_id: b.id } });
    expect((await call(method, '/roster/decline', b, { json: { user_id: a.id, reason: 'no thanks' } })).data).toBe(true);
    expect((await call('GET', '/roster/apply/list', b)).data[0].status).toBe(2);
    expect(await friendIds(a)).toEqual([]);
  });

  it('answers each refusal with its code', async () => {
    const [a, open, closed, quiz] = [await restUser(), await restUser(0), await restUser(3), await restUser(2)];
    await call('POST', '/user/settings', quiz, { json: { auth_question: 'year?', auth_answer: '1999' } });
    expect((await call('POST', '/roster/apply', a, { json: { user_id: closed.id } })).code).toBe(10012);
    expect((await call('POST', '/roster/apply', a, { json: { user_id: quiz.id, auth_answer: '2000' } })).code).toBe(10001);
    expect((await call('POST', '/roster/apply', a, { json: { user_id: quiz.id, auth_answer: '1999' } })).code).toBe(200);
    expect((await call('POST', '/roster/apply', a, { json: { user_id: open.id } })).code).toBe(200);
    expect((await call('POST', '/roster/apply', a, { json: { user_id: open.id } })).code).toBe(10005);
    expect((await call('POST', '/roster/apply', a, { json: { user_id: 99999999999 } })).code).toBe(10000);
    expect((await call('POST', '/roster/apply', a, { json: { user_id: a.id } })).code).toBe(10002);
    await call('POST', '/roster/block', closed, { query: { user_id: a.id } });
    await call('POST', '/user/authmode', closed, { query: { value: 0 } });
    expect((await call('POST', '/roster/apply', a, { json: { user_id: closed.id } })).code).toBe(10006);
  });

  it('POST /roster/apply/batch takes an array and answers {success, fails}', async () => {
    const [a, b, c] = [await restUser(), await restUser(0), await restUser(3)];
    const res = await call('POST', '/roster/apply/batch', a, {
      json: [
        { user_id: b.id, alias: 'B', reason: 'hi' },
        { user_id: c.id, reason: 'hi' },
      ],
    });
    expect(res.data).toEqual({ success: [b.id], fails: [{ user_id: c.id, reason: 'this user accepts no friend requests' }] });
  });

  it('pages the applications list with a cursor', async () => {
    const target = await restUser(1);
    for (let i = 0; i < 3; i++) await call('POST', '/roster/apply', await restUser(), { json: { user_id: target.id } });
    const first = await call('GET', '/roster/apply/list', target, { query: { limit: 2 } });
    expect(first.data).toHaveLength(2);
    expect(first.cursor).toEqual(expect.any(String));
    const second = await call('GET', '/roster/apply/list', target, { query: { limit: 2, cursor: first.cursor! } });
    expect(second.data).toHaveLength(1);
    expect(second.cursor).toBeUndefined();
  });
});

describe('friends', () => {
  it('GET /roster/list pages ids; POST /roster/list gives details of given ids', async () => {
    const me = await restUser();
    const friends = [await restUser(0), await restUser(0), await restUser(0)];
    for (const f of friends) await call('POST', '/roster/apply', me, { json: { user_id: f.id, alias: `a${f.id}` } });
    const first = await call('GET', '/roster/list', me, { query: { limit: 2 } });
    const second = await call('GET', '/roster/list', me, { query: { limit: 2, cursor: first.cursor! } });
    expect([...first.data, ...second.data]).toEqual(friends.map((f) => f.id).sort());
    expect(second.cursor).toBeUndefined();

    const stranger = await restUser();
    const details = await call('POST', '/roster/list', me, { json: { list: [friends[0]!.id, stranger.id] } });
    expect(details.data).toEqual([
      {
        user_id: friends[0]!.id,
        username: friends[0]!.name,
        nick_name: null,
        avatar: null,
        description: null,
        public_info: null,
        auth_mode: 0,
        auth_question: '',
        relation: 0,
        alias: `a${friends[0]!.id}`,
        ext: '',
        mute_notification: false,
      },
      expect.objectContaining({ user_id: stranger.id, relation: 2, alias: null }),
    ]);
  });

  it.each(['POST', 'PUT'])('%s /roster/ext updates alias, ext and mute flag', async (method) => {
    const [me, f] = [await restUser(), await restUser(0)];
    await call('POST', '/roster/apply', me, { json: { user_id: f.id } });
    expect((await call(method, '/roster/ext', me, { json: { user_id: f.id, alias: 'Pal', ext: '{"k":1}', mute_notification: true } })).data).toBe(true);
    const details = await call('POST', '/roster/list', me, { json: { list: [f.id] } });
    expect(details.data[0]).toMatchObject({ alias: 'Pal', ext: '{"k":1}', mute_notification: true });
  });

  it.each(['POST', 'DELETE'])('%s /roster/delete ends the friendship for both', async (method) => {
    const [me, f] = [await restUser(), await restUser(0)];
    await call('POST', '/roster/apply', me, { json: { user_id: f.id } });
    expect((await call(method, '/roster/delete', f, { query: { user_id: me.id } })).data).toBe(true);
    expect(await friendIds(me)).toEqual([]);
    const details = await call('POST', '/roster/list', me, { json: { list: [f.id] } });
    expect(details.data[0].relation).toBe(1);
  });
});

describe('blocklist', () => {
  it.each([
    ['POST', 'POST'],
    ['PUT', 'DELETE'],
  ])('%s /roster/block, GET /roster/blocked_list, %s /roster/unblock', async (blockMethod, unblockMethod) => {
    const [me, x] = [await restUser(), await restUser()];
    expect((await call(blockMethod, '/roster/block', me, { query: { user_id: x.id } })).data).toBe(true);
    expect((await call('GET', '/roster/blocked_list', me)).data).toEqual([x.id]);
    expect((await call('POST', '/roster/list', me, { json: { list: [x.id] } })).data[0].relation).toBe(3);
    expect((await call(unblockMethod, '/roster/unblock', me, { query: { user_id: x.id } })).data).toBe(true);
    expect((await call('GET', '/roster/blocked_list', me)).data).toEqual([]);
  });
});

describe('search and may_message', () => {
  it('GET /roster/id, /roster/name and /roster/mobile', async () => {
    const [me, target] = [await restUser(), await restUser()];
    await call('POST', '/user/mobile', target, { query: { mobile: `1371234${String(n).padStart(4, '0')}` } });
    for (const [path, query] of [
      ['/roster/id', { user_id: target.id }],
      ['/roster/name', { username: target.name }],
      ['/roster/mobile', { mobile: `1371234${String(n).padStart(4, '0')}` }],
    ] as const) {
      const res = await call('GET', path, me, { query });
      expect(res.data).toMatchObject({ user_id: target.id, username: target.name, relation: 2 });
      expect(res.data).not.toHaveProperty('mobile');
      expect(res.data).not.toHaveProperty('private_info');
    }
    expect((await call('GET', '/roster/name', me, { query: { username: 'nobody-here' } })).code).toBe(10000);
  });

  it('GET /roster/may_message', async () => {
    const [a, b] = [await restUser(), await restUser()];
    expect((await call('GET', '/roster/may_message', a, { query: { roster_id: b.id } })).data).toBe(true);
    await call('POST', '/roster/block', b, { query: { user_id: a.id } });
    expect((await call('GET', '/roster/may_message', a, { query: { roster_id: b.id, user_id: a.id } })).data).toBe(false);
    expect((await call('GET', '/roster/may_message', a, { query: { roster_id: b.id, user_id: b.id } })).code).toBe(10010);
  });
});
