import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import documented from '../src/compat/signature/routes.json' with { type: 'json' };
import { TestServer, type TestUser } from './helpers/server.js';

// Seed 002: the signature service and /im/group, spoken over HTTP to a real server.

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
  token?: string;
  auth?: string;
  json?: unknown;
  form?: Record<string, string>;
  raw?: string;
}

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

async function call(method: string, path: string, options: Options = {}) {
  const headers: Record<string, string> = {};
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  if (options.auth) headers['authorization'] = options.auth;
  let body: string | undefined;
  if (options.json !== undefined || options.raw !== undefined) {
    headers['content-type'] = 'application/json';
    body = options.raw ?? JSON.stringify(options.json);
  } else if (options.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(options.form).toString();
  }
  const res = await fetch(new URL(path, server.url), { method, headers, body });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** The signature recomputed from the app secret, independently of the server. */
const hmac = (fields: string[]) => createHmac('sha1', server.appSecret).update(fields.join(':')).digest('hex');

describe('signature service', () => {
  it('signs a login: app_id:client_id::timestamp:nonce', async () => {
    const res = await call('GET', `/signature/login/${server.appId}/alice`, { token: alice.token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ timestamp: expect.stringMatching(/^\d+\.\d+$/), signature: expect.stringMatching(/^[0-9a-f]{40}$/), nonce: expect.stringMatching(/^[A-Za-z0-9]{8}$/), app_id: server.appId, client_id: 'alice' });
    expect(res.body.signature).toBe(hmac([server.appId, 'alice', '', res.body.timestamp, res.body.nonce]));
    expect(Math.abs(Number(res.body.timestamp) - Date.now() / 1000)).toBeLessThan(60);
  });

  it('signs a conversation with the members sorted: app_id:client_id:sorted_member_ids:timestamp:nonce', async () => {
    const res = await call('GET', `/signature/conversion/${server.appId}/alice/carol:bob`, { token: alice.token });
    expect(res.status).toBe(200);
    expect(res.body.sorted_member_ids).toBe('bob:carol');
    expect(res.body.signature).toBe(hmac([server.appId, 'alice', 'bob:carol', res.body.timestamp, res.body.nonce]));
  });

  it('signs invite, join and kick: app_id:client_id:conversion_id:sorted_member_ids:timestamp:nonce:action', async () => {
    const invite = await call('GET', `/signature/invite/${server.appId}/alice/3/6:4:5`, { token: alice.token });
    expect(invite.body).toMatchObject({ action: 'invite', conversion_id: '3', sorted_member_ids: '4:5:6', app_id: server.appId, client_id: 'alice' });
    expect(invite.body.signature).toBe(hmac([server.appId, 'alice', '3', '4:5:6', invite.body.timestamp, invite.body.nonce, 'invite']));

    const join = await call('GET', `/signature/invite/${server.appId}/alice/3`, { token: alice.token });
    expect(join.body).toMatchObject({ action: 'invite', sorted_member_ids: '' });
    expect(join.body.signature).toBe(hmac([server.appId, 'alice', '3', '', join.body.timestamp, join.body.nonce, 'invite']));

    const kick = await call('GET', `/signature/kick/${server.appId}/alice/3/4:5:6`, { token: alice.token });
    expect(kick.body).toMatchObject({ action: 'kick', conversion_id: '3' });
    expect(kick.body.signature).toBe(hmac([server.appId, 'alice', '3', '4:5:6', kick.body.timestamp, kick.body.nonce, 'kick']));
    expect(kick.body.nonce).not.toBe(invite.body.nonce);
  });

  it("signs for the client id's own user, by username or user id, and for the app's credentials", async () => {
    const byId = await call('GET', `/signature/login/${server.appId}/${alice.id}`, { token: alice.token });
    expect(byId.body.signature).toBe(hmac([server.appId, alice.id, '', byId.body.timestamp, byId.body.nonce]));
    const asApp = await call('GET', `/signature/login/${server.appId}/bob`, { auth: basic(server.appId, server.appSecret) });
    expect(asApp.status).toBe(200);
    expect(asApp.body.signature).toBe(hmac([server.appId, 'bob', '', asApp.body.timestamp, asApp.body.nonce]));
  });

  it('refuses without credentials (401, 1005), for another user (403, 7005), another app (401) and an unknown client (404, 1001)', async () => {
    const none = await call('GET', `/signature/login/${server.appId}/alice`);
    expect(none).toEqual({ status: 401, body: { msg: expect.any(String), code: 1005, request: `GET /signature/login/${server.appId}/alice` } });
    expect((await call('GET', `/signature/login/${server.appId}/alice`, { token: 'forged' })).body.code).toBe(1005);
    expect((await call('GET', `/signature/login/${server.appId}/alice`, { auth: basic(server.appId, 'wrong-secret-000000') })).status).toBe(401);
    const other = await call('GET', `/signature/login/${server.appId}/bob`, { token: alice.token });
    expect(other.status).toBe(403);
    expect(other.body.code).toBe(7005);
    const app = await server.createApp('sigother');
    const wrongApp = await call('GET', `/signature/login/${app.appId}/alice`, { token: alice.token });
    expect(wrongApp.status).toBe(401);
    expect(wrongApp.body.code).toBe(1005);
    const nobody = await call('GET', `/signature/login/${server.appId}/nobody`, { auth: basic(server.appId, server.appSecret) });
    expect(nobody.status).toBe(404);
    expect(nobody.body.code).toBe(1001);
    const bad = await call('GET', `/signature/conversion/${server.appId}/alice/a::b`, { token: alice.token });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe(1000);
  });
});

const MEMBERS = `query($g: ID!) { group(id: $g) { name dissolved members { edges { node { user { username } } } } } }`;
const membersOf = async (groupId: number) => {
  const res = await server.gql(MEMBERS, { g: String(groupId) }, { token: alice.token });
  return res.data.group.members.edges.map((e: any) => e.node.user.username).sort();
};

describe('/im/group', () => {
  it('creates (201), renames (200), adds and removes members (201, 204) and deletes (204), with form or JSON bodies', async () => {
    const created = await call('POST', '/im/group', { token: alice.token, form: { group_name: '666', member_client_ids: 'bob' } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ group_id: expect.any(Number), group_name: '666', member_client_ids: 'bob' });
    const g = created.body.group_id;
    expect(await membersOf(g)).toEqual(['alice', 'bob']);

    const renamed = await call('PUT', `/im/group/${g}`, { token: alice.token, json: { group_name: 'g123' } });
    expect(renamed).toEqual({ status: 200, body: { group_name: 'g123' } });

    const added = await call('POST', `/im/group/${g}/member`, { token: alice.token, json: { member_client_ids: `carol` } });
    expect(added).toEqual({ status: 201, body: { group_id: g, member_client_ids: 'carol' } });
    expect(await membersOf(g)).toEqual(['alice', 'bob', 'carol']);

    const removed = await call('DELETE', `/im/group/${g}/member`, { token: alice.token, form: { member_client_ids: `bob:${carol.id}` } });
    expect(removed.status).toBe(204);
    expect(await membersOf(g)).toEqual(['alice']);

    expect((await call('DELETE', `/im/group/${g}`, { token: alice.token })).status).toBe(204);
    expect((await server.gql(MEMBERS, { g: String(g) }, { token: alice.token })).data.group.dissolved).toBe(true);
  });

  it('acts with the app credentials: as the named owner, and as the group admin', async () => {
    const auth = basic(server.appId, server.appSecret);
    const created = await call('POST', '/im/group', { auth, json: { group_name: 'app made', owner_client_id: 'bob', member_client_ids: 'carol' } });
    expect(created.status).toBe(201);
    expect(await membersOf(created.body.group_id).catch(() => [])).toEqual([]); // alice is no member: she may not list them
    const g = created.body.group_id;
    expect((await call('POST', `/im/group/${g}/member`, { auth, form: { member_client_ids: 'alice' } })).status).toBe(201);
    expect(await membersOf(g)).toEqual(['alice', 'bob', 'carol']);
    expect((await call('DELETE', `/im/group/${g}`, { auth })).status).toBe(204);
    expect((await call('POST', '/im/group', { auth, json: { group_name: 'no owner' } })).body.code).toBe(1000);
  });

  it('answers the documented codes: 1005, 1000, 1001 and the 700x of each operation', async () => {
    expect((await call('POST', '/im/group', { form: { group_name: 'x' } })).body.code).toBe(1005);
    expect((await call('POST', '/im/group', { token: 'forged', raw: '{not json' })).body.code).toBe(1005);
    const malformed = await call('POST', '/im/group', { token: alice.token, raw: '{not json' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe(1000);
    expect((await call('POST', '/im/group', { token: alice.token, form: { group_name: '' } })).body.code).toBe(1000);
    expect((await call('POST', '/im/group', { token: alice.token, form: { group_name: 'x', member_client_ids: 'bob::carol' } })).body.code).toBe(1000);
    const unknown = await call('POST', '/im/group', { token: alice.token, form: { group_name: 'x', member_client_ids: 'nobody' } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe(1001);
    expect((await call('PUT', '/im/group/abc', { token: alice.token, json: { group_name: 'x' } })).body.code).toBe(1000);
    expect((await call('PUT', '/im/group/999999', { token: alice.token, json: { group_name: 'x' } })).body.code).toBe(1001);

    // Ids are canonical, as everywhere: a leading zero names no group and no user (`0<id>` is not that id).
    const mine = (await call('POST', '/im/group', { token: alice.token, form: { group_name: 'zeros', member_client_ids: 'bob' } })).body.group_id;
    for (const path of [`/im/group/0${mine}`, '/im/group/00', '/im/group/0']) {
      const res = await call('PUT', path, { token: alice.token, json: { group_name: 'renamed?' } });
      expect(res.status, path).toBe(400);
      expect(res.body.code, path).toBe(1000);
    }
    expect((await call('DELETE', `/im/group/0${mine}/member`, { token: alice.token, form: { member_client_ids: 'bob' } })).body.code).toBe(1000);
    const padded = await call('POST', `/im/group/${mine}/member`, { token: alice.token, form: { member_client_ids: `0${carol.id}` } });
    expect(padded.status).toBe(404);
    expect(padded.body.code).toBe(1001);
    const kept = await server.gql(`query($g: ID!) { group(id: $g) { name memberCount } }`, { g: String(mine) }, { token: alice.token });
    expect(kept.data.group).toEqual({ name: 'zeros', memberCount: 2 });

    const g = (await call('POST', '/im/group', { token: alice.token, form: { group_name: 'rules', member_client_ids: 'bob' } })).body.group_id;
    const rename = await call('PUT', `/im/group/${g}`, { token: carol.token, json: { group_name: 'mine' } });
    expect(rename.status).toBe(403);
    expect(rename.body.code).toBe(7001);
    expect((await call('DELETE', `/im/group/${g}`, { token: bob.token })).body.code).toBe(7002);
    const again = await call('POST', `/im/group/${g}/member`, { token: alice.token, form: { member_client_ids: 'bob' } });
    expect(again.status).toBe(403);
    expect(again.body.code).toBe(7003);
    expect((await call('DELETE', `/im/group/${g}/member`, { token: bob.token, form: { member_client_ids: 'alice' } })).body.code).toBe(7004);
    expect((await call('POST', `/im/group/${g}/member`, { token: alice.token, form: {} })).body.code).toBe(1000);

    const other = await server.createApp('imother');
    const foreign = await call('PUT', `/im/group/${g}`, { auth: basic(other.appId, other.appSecret), json: { group_name: 'x' } });
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe(1001);
  });
});

describe('signature service and /im/group: coverage', () => {
  it('serves every documented route', async () => {
    let served = 0;
    for (const { method, path } of documented.routes) {
      const concrete = path.replace(':app_id', server.appId).replace(':client_id', 'alice').replace(':conversion_id', '3').replace(':sorted_member_ids', '4:5').replace(':group_id', '999999');
      const res = await call(method, concrete, { token: alice.token, form: method === 'GET' ? undefined : { group_name: 'cover', member_client_ids: 'bob' } });
      if (res.status !== 404 || res.body?.code === 1001) served++;
    }
    console.info(`signature/im-group coverage: ${served} of ${documented.routes.length} documented routes served`);
    expect(served).toBe(documented.routes.length);
  });
});
