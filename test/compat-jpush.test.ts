import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import documented from '../src/compat/jpush/routes.json' with { type: 'json' };
import { TestServer, type TestUser } from './helpers/server.js';

// The JPush IM REST v1 dialect (seed 003), spoken over HTTP to a real server.

let server: TestServer;
let alice: TestUser;
let bob: TestUser;
let carol: TestUser;

beforeAll(async () => {
  server = await TestServer.start();
  [alice, bob, carol] = await Promise.all([server.user('alice'), server.user('bob'), server.user('carol')]);
});
afterAll(() => server?.close());

interface Options {
  json?: unknown;
  raw?: string;
  auth?: string | null;
  query?: Record<string, string | number>;
}

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

async function jpush(method: string, path: string, options: Options = {}) {
  const url = new URL(path, server.url);
  for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, String(v));
  const headers: Record<string, string> = {};
  const auth = options.auth === undefined ? basic(server.appId, server.appSecret) : options.auth;
  if (auth !== null) headers['authorization'] = auth;
  let body: string | undefined;
  if (options.json !== undefined || options.raw !== undefined) {
    headers['content-type'] = 'application/json';
    body = options.raw ?? JSON.stringify(options.json);
  }
  const res = await fetch(url, { method, headers, body });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const HISTORY = `query($u: ID!) { messages(conversation: { userId: $u }, last: 20) { edges { node { id content contentType attachment from { id } } } } }`;
const GROUP_HISTORY = `query($g: ID!) { messages(conversation: { groupId: $g }, last: 20) { edges { node { id content from { id } } } } }`;

describe('JPush IM REST v1: authentication', () => {
  it('refuses a call without Basic credentials, or with wrong ones, with 401 and code 3001 before reading the body', async () => {
    for (const auth of [null, 'Bearer abc', basic(server.appId, 'wrong-secret-0000000'), basic('no-such-app', server.appSecret), 'Basic !!!']) {
      const res = await jpush('POST', '/v1/users/', { auth, raw: '{not json' });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe(3001);
    }
  });

  it("another app's credentials do not reach this app's users or groups", async () => {
    const other = await server.createApp('jpother');
    const auth = basic(other.appId, other.appSecret);
    const res = await jpush('GET', '/v1/users/alice', { auth });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe(899002);
    const list = await jpush('GET', '/v1/users/', { auth, query: { start: 0, count: 10 } });
    expect(list.body.total).toBe(0);
    const created = await jpush('POST', '/v1/groups/', { json: { owner_username: 'alice', name: 'mine' } });
    const group = await jpush('GET', `/v1/groups/${created.body.gid}`, { auth });
    expect(group.status).toBe(403);
    expect(group.body.error.code).toBe(899012);
  });
});

describe('JPush IM REST v1: users', () => {
  it('POST /v1/users/ registers a batch with per-item errors and answers 201', async () => {
    const res = await jpush('POST', '/v1/users/', {
      json: [
        { username: 'dev_fang', password: 'password' },
        { username: 'dev_fang', password: 'password' },
        { username: 'alice', password: 'password' },
        { username: 'x', password: 'password' },
        { username: 'dev_javen', password: 'password' },
      ],
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual([
      { username: 'dev_fang' },
      { username: 'dev_fang', error: { code: 899001, message: expect.any(String) } },
      { username: 'alice', error: { code: 899001, message: expect.any(String) } },
      { username: 'x', error: { code: 899003, message: expect.stringContaining('username') } },
      { username: 'dev_javen' },
    ]);
    expect(await server.login('dev_javen', { password: 'password' })).toEqual(expect.any(String));
  });

  it('refuses more than 500 users, a body that is not an array, and malformed JSON with 400 and 899003', async () => {
    const many = Array.from({ length: 501 }, (_, i) => ({ username: `many${i}`, password: 'password' }));
    for (const options of [{ json: many }, { json: { username: 'solo', password: 'password' } }, { raw: '[{"username":' }]) {
      const res = await jpush('POST', '/users', options);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe(899003);
    }
    const list = await jpush('GET', '/users', { query: { start: 0, count: 500 } });
    expect(list.body.users.some((u: any) => u.username === 'many0')).toBe(false);
  });

  it('GET and PUT /users/{username} read and change the profile, bare paths too', async () => {
    const put = await jpush('PUT', '/v1/users/bob', { json: { nickname: 'Bobby', signature: 'orz', region: 'shenzhen', gender: 1, birthday: '1990-01-24 00:00:00' } });
    expect(put.status).toBe(200);
    const res = await jpush('GET', '/users/bob');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ username: 'bob', nickname: 'Bobby', signature: 'orz', region: 'shenzhen', gender: 1, birthday: '1990-01-24 00:00:00' });
    expect(res.body.ctime).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    const viaGraphQL = await server.gql(`query($id: ID!) { user(id: $id) { nickName description } }`, { id: bob.id }, { token: bob.token });
    expect(viaGraphQL.data.user).toEqual({ nickName: 'Bobby', description: 'orz' });
  });

  it('answers 899002 for an unknown user and 899003 for a bad profile value', async () => {
    expect((await jpush('GET', '/v1/users/nobody')).body.error.code).toBe(899002);
    expect((await jpush('PUT', '/v1/users/nobody', { json: { nickname: 'x' } })).body.error.code).toBe(899002);
    const long = await jpush('PUT', '/v1/users/bob', { json: { nickname: 'n'.repeat(65) } });
    expect(long.status).toBe(400);
    expect(long.body.error.code).toBe(899003);
  });

  it('GET /v1/users/?start&count pages the users with their total', async () => {
    const names = async (start: number, count: number) =>
      (await jpush('GET', '/v1/users/', { query: { start, count } })).body.users.map((u: any) => u.username);
    const three = await names(0, 3);
    expect([...three].sort()).toEqual(['alice', 'bob', 'carol']);
    const first = await jpush('GET', '/v1/users/', { query: { start: 0, count: 2 } });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ start: 0, count: 2 });
    expect(first.body.users.map((u: any) => u.username)).toEqual(three.slice(0, 2));
    const second = await jpush('GET', '/v1/users/', { query: { start: 2, count: 1 } });
    expect(second.body.users.map((u: any) => u.username)).toEqual(three.slice(2));
    expect(second.body.total).toBe(first.body.total);
    expect((await jpush('GET', '/v1/users/', { query: { start: -1, count: 2 } })).body.error.code).toBe(899003);
    expect((await jpush('GET', '/v1/users/', { query: { start: 0, count: 501 } })).status).toBe(400);
  });

  it('DELETE /v1/users/{username} and the batch form remove users: they can no longer log in or be found', async () => {
    await jpush('POST', '/v1/users/', { json: [1, 2, 3].map((i) => ({ username: `gone${i}`, password: 'password' })) });
    expect((await jpush('DELETE', '/v1/users/gone1')).status).toBe(204);
    expect((await jpush('GET', '/v1/users/gone1')).body.error.code).toBe(899002);
    expect((await jpush('DELETE', '/v1/users/', { json: ['gone2', 'nobody'] })).body.error.code).toBe(899002);
    expect((await jpush('GET', '/v1/users/gone2')).status).toBe(200);
    expect((await jpush('DELETE', '/v1/users/', { json: ['gone2', 'gone3'] })).status).toBe(204);
    await expect(server.login('gone3', { password: 'password' })).rejects.toThrow();
    // Deleted, not disabled: the name is free again.
    expect((await jpush('POST', '/v1/users/', { json: [{ username: 'gone1', password: 'password' }] })).body).toEqual([{ username: 'gone1' }]);
  });

  it('DELETE of a user who owns a group is refused until the group is handed over', async () => {
    await jpush('POST', '/v1/users/', { json: [{ username: 'owner9', password: 'password' }] });
    expect((await jpush('POST', '/v1/groups/', { json: { owner_username: 'owner9', name: 'kept' } })).status).toBe(201);
    const refused = await jpush('DELETE', '/v1/users/owner9');
    expect([refused.status, refused.body.error.code]).toEqual([403, 899016]);
    expect((await jpush('GET', '/v1/users/owner9')).status).toBe(200);
  });
});

describe('JPush IM REST v1: messages', () => {
  it('POST /messages sends a text from a user to a user and answers {msg_id, msg_ctime}', async () => {
    const res = await jpush('POST', '/messages', {
      json: {
        version: 1,
        target_type: 'single',
        target_id: 'bob',
        target_name: 'Bob',
        from_type: 'user',
        from_id: 'alice',
        create_time: '2015-02-12 15:49 09',
        msg_type: 'text',
        msg_body: { content: 'Hello, JPush IM!' },
      },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ msg_id: expect.any(Number), msg_ctime: expect.any(Number) });
    const history = await server.gql(HISTORY, { u: alice.id }, { token: bob.token });
    expect(history.data.messages.edges.at(-1).node).toMatchObject({ id: String(res.body.msg_id), content: 'Hello, JPush IM!', from: { id: alice.id } });
  });

  it('sends text ({text}), image, voice, location and custom bodies', async () => {
    const bodies: [string, object, string][] = [
      ['text', { text: 'hi', extras: { k: 'v' } }, 'TEXT'],
      ['image', { media_id: 'qiniu/image/abc', width: 10, height: 20 }, 'IMAGE'],
      ['voice', { media_id: 'qiniu/voice/abc', duration: 3 }, 'AUDIO'],
      ['location', { latitude: 22.5, longitude: 113.9, label: 'Shenzhen' }, 'LOCATION'],
      ['custom', { anything: [1, 2] }, 'COMMAND'],
    ];
    for (const [msg_type, msg_body, contentType] of bodies) {
      const res = await jpush('POST', '/v1/messages', { json: { version: 1, target_type: 'single', target_id: 'carol', from_type: 'user', from_id: 'bob', msg_type, msg_body } });
      expect(res.status, msg_type).toBe(200);
      const last = (await server.gql(HISTORY, { u: bob.id }, { token: carol.token })).data.messages.edges.at(-1).node;
      expect(last.contentType).toBe(contentType);
      if (msg_type === 'image') expect(last.attachment).toEqual(msg_body);
    }
  });

  it('refuses a bad message with 400 and 899003, and unknown users with 899002', async () => {
    const base = { version: 1, target_type: 'single', target_id: 'bob', from_type: 'user', from_id: 'alice', msg_type: 'text', msg_body: { text: 'x' } };
    for (const bad of [{ msg_type: 'video' }, { target_type: 'room' }, { msg_body: 'text' }, { target_id: '' }, { msg_body: { text: 5 } }]) {
      const res = await jpush('POST', '/v1/messages', { json: { ...base, ...bad } });
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(res.body.error.code).toBe(899003);
    }
    expect((await jpush('POST', '/v1/messages', { json: { ...base, target_id: 'nobody' } })).body.error.code).toBe(899002);
    expect((await jpush('POST', '/v1/messages', { json: { ...base, from_id: 'nobody' } })).body.error.code).toBe(899002);
  });
});

describe('JPush IM REST v1: groups', () => {
  it('creates a group with owner and members, reads it, changes members, sends to it and deletes it', async () => {
    const created = await jpush('POST', '/v1/groups/', { json: { owner_username: 'alice', name: 'jp group', members_username: ['bob'], desc: 'about' } });
    expect(created.status).toBe(201);
    const gid = created.body.gid;
    expect(created.body).toMatchObject({ gid: expect.any(Number), name: 'jp group', desc: 'about', owner_username: 'alice', members_username: ['bob'] });

    const info = await jpush('GET', `/v1/groups/${gid}`);
    expect(info.body).toMatchObject({ gid, name: 'jp group', owner_username: 'alice', member_count: 2 });

    expect((await jpush('POST', `/v1/groups/${gid}/members`, { json: ['carol'] })).status).toBe(204);
    expect((await jpush('GET', `/groups/${gid}`)).body.member_count).toBe(3);

    const sent = await jpush('POST', '/v1/messages', {
      json: { version: 1, target_type: 'group', target_id: String(gid), from_type: 'user', from_id: 'carol', msg_type: 'text', msg_body: { text: 'hello group' } },
    });
    expect(sent.status).toBe(200);
    const seen = await server.gql(GROUP_HISTORY, { g: String(gid) }, { token: alice.token });
    expect(seen.data.messages.edges.at(-1).node).toMatchObject({ content: 'hello group', from: { id: carol.id } });

    expect((await jpush('DELETE', `/v1/groups/${gid}/members`, { json: ['carol'] })).status).toBe(204);
    expect((await jpush('POST', `/v1/groups/${gid}/members`, { json: { add: ['carol'], remove: ['bob'] } })).status).toBe(204);
    const members = await server.gql(`query($g: ID!) { group(id: $g) { members { edges { node { userId } } } } }`, { g: String(gid) }, { token: alice.token });
    expect(members.data.group.members.edges.map((e: any) => e.node.userId).sort()).toEqual([alice.id, carol.id].sort());

    expect((await jpush('DELETE', `/v1/groups/${gid}`)).status).toBe(204);
    const gone = await jpush('GET', `/v1/groups/${gid}`);
    expect(gone.status).toBe(403);
    expect(gone.body.error.code).toBe(899012);
  });

  it('refuses bad group requests with the documented codes', async () => {
    expect((await jpush('POST', '/v1/groups/', { json: { name: 'x' } })).body.error.code).toBe(899003);
    expect((await jpush('POST', '/v1/groups/', { json: { owner_username: 'nobody', name: 'x' } })).body.error.code).toBe(899002);
    expect((await jpush('POST', '/v1/groups/', { json: { owner_username: 'alice', name: '' } })).body.error.code).toBe(899003);
    expect((await jpush('POST', '/v1/groups/', { json: { owner_username: 'alice', name: 'x', members_username: 'bob' } })).body.error.code).toBe(899003);
    expect((await jpush('GET', '/v1/groups/abc')).body.error.code).toBe(899003);
    expect((await jpush('GET', '/v1/groups/999999')).body.error.code).toBe(899012);
    expect((await jpush('DELETE', '/v1/groups/999999')).body.error.code).toBe(899012);
    const created = await jpush('POST', '/v1/groups/', { json: { owner_username: 'alice', name: 'dup' } });
    const dup = await jpush('POST', `/v1/groups/${created.body.gid}/members`, { json: ['alice'] });
    expect(dup.status).toBe(403);
    expect(dup.body.error.code).toBe(899001);
    expect((await jpush('POST', `/v1/groups/${created.body.gid}/members`, { json: {} })).body.error.code).toBe(899003);

    // Ids are canonical, as everywhere: a leading zero names no group (`0<gid>` is not that gid).
    for (const [method, path] of [['GET', `/v1/groups/0${created.body.gid}`], ['DELETE', `/v1/groups/0${created.body.gid}`], ['GET', '/v1/groups/00'], ['POST', `/v1/groups/0${created.body.gid}/members`]] as const) {
      const res = await jpush(method, path, method === 'POST' ? { json: ['bob'] } : {});
      expect(res.status, `${method} ${path}`).toBe(400);
      expect(res.body.error.code, `${method} ${path}`).toBe(899003);
    }
    const padded = await jpush('POST', '/v1/messages', {
      json: { version: 1, target_type: 'group', target_id: `0${created.body.gid}`, from_type: 'user', from_id: 'alice', msg_type: 'text', msg_body: { text: 'x' } },
    });
    expect(padded.status).toBe(400);
    expect(padded.body.error.code).toBe(899003);
    expect((await jpush('GET', `/v1/groups/${created.body.gid}`)).body).toMatchObject({ gid: created.body.gid, member_count: 1 });
  });
});

describe('JPush IM REST v1: coverage', () => {
  it('serves every documented route, under /v1 and bare', async () => {
    const served: string[] = [];
    for (const { method, path } of documented.routes) {
      for (const prefix of ['/v1', '']) {
        const concrete = `${prefix}${path.replace(':username', 'nobody').replace(':gid', '999999')}`;
        const res = await jpush(method, concrete, { json: method === 'GET' ? undefined : [] , query: { start: 0, count: 1 } });
        // A served route answers in the dialect's shape; an unserved one falls through to the 404 of no route.
        if (res.status !== 404 && (res.body === undefined || Array.isArray(res.body) || 'error' in res.body || 'users' in res.body)) served.push(`${method} ${concrete}`);
      }
    }
    console.info(`JPush coverage: ${served.length / 2} of ${documented.routes.length} documented routes served`);
    expect(served.length).toBe(documented.routes.length * 2);
  });
});
