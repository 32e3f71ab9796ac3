import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, TestServer, type TestUser } from './helpers/server.js';

// One app spoken to through every dialect at once: a message sent through each arrives live on a
// GraphQL subscription and in 004's history; a group made through one is seen through the others.
let server: TestServer;
let alice: TestUser;
let bob: { id: string; username: string };
let admin: string;

type Json = Record<string, any>;
const basic = () => `Basic ${Buffer.from(`${server.appId}:${server.appSecret}`).toString('base64')}`;

async function call(method: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}${path}`, { method, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Json) : undefined };
}
const action = (name: string, username: string, param: Json, top: Json = {}) =>
  call('POST', '/action', { action: name, param: { appId: server.appId, appSecretKey: server.appSecret, username, platformId: 'web', ...param }, ...top });

beforeAll(async () => {
  server = await TestServer.start();
  alice = await server.user('crossalice');
  admin = await server.adminToken();
  // Bob is a user code of the action protocol (named c_bob); the others reach him by id or name.
  const login = await action('login', 'bob', { nickName: 'Bob' });
  bob = { id: login.body!.data[0].clientId, username: 'c_bob' };
});
afterAll(() => server?.close());

describe('across dialects', () => {
  it('a message sent through each dialect arrives live on GraphQL and in the 004 history, once', async () => {
    // Bob listens over graphql-ws, through an admin token acting as him.
    const { client } = server.ws({ token: admin, actAsUserId: bob.id });
    const events = collect(client, `subscription { events { __typename ... on MessageEvent { message { content from { id } } } } }`);
    expect((await events.next()).events.__typename).toBe('StreamReadyEvent');
    const nextMessage = async () => {
      for (;;) {
        const { events: event } = await events.next();
        if (event.__typename === 'MessageEvent') return event.message;
      }
    };

    const sends: [string, () => Promise<unknown>][] = [
      ['graphql', () => server.gql(`mutation($to: ID!) { sendMessage(input: { toKind: USER, targets: [$to], contentType: TEXT, content: "via graphql" }) { __typename } }`, { to: bob.id }, { token: alice.token })],
      ['004', () => server.rest('POST', '/message/send', { token: alice.token, json: { type: 1, targets: [Number(bob.id)], content: 'via 004', content_type: 0 } })],
      ['003', () => call('POST', '/v1/messages', { version: 1, target_type: 'single', target_id: bob.username, from_type: 'user', from_id: alice.username, msg_type: 'text', msg_body: { text: 'via 003' } }, { authorization: basic() })],
      ['000', async () => {
        // The action protocol names codes only: alice's side is a code too.
        return action('sendMessage', 'alicecode', { to: 'bob' }, { content: 'via 000' });
      }],
    ];
    const alicecode = (await action('login', 'alicecode', {})).body!.data[0].clientId as string;
    for (const [name, send] of sends) {
      await send();
      const message = await nextMessage();
      expect([name, message.content]).toEqual([name, `via ${name}`]);
      expect(message.from.id).toBe(name === '000' ? alicecode : alice.id);
    }

    // 004's history, read as bob (an admin acting as him), holds each once.
    const history = await server.rest('GET', '/message/conversation', { token: admin, headers: { user_id: bob.id }, query: { opposite_id: alice.id, msg_id_start: 0, limit: 20 } });
    expect(history.body.code).toBe(200);
    expect(history.body.data.messages.map((m: Json) => m.content).sort()).toEqual(['via 003', 'via 004', 'via graphql']);
    const fromCode = await server.rest('GET', '/message/conversation', { token: admin, headers: { user_id: bob.id }, query: { opposite_id: alicecode, msg_id_start: 0, limit: 20 } });
    expect(fromCode.body.data.messages.map((m: Json) => m.content)).toEqual(['via 000']);
    events.dispose();
    client.dispose();
  });

  it('a group made through one dialect is seen and used through the others', async () => {
    // 003 creates it, owned by alice, with bob in it.
    const created = await call('POST', '/v1/groups/', { owner_username: alice.username, name: 'Everywhere', members_username: [bob.username] }, { authorization: basic() });
    expect(created.status).toBe(201);
    const gid = String(created.body!.gid);

    // 004 shows it to bob; 001 lists it for alice; 002 adds a member to it.
    const info = await server.rest('GET', '/group/info', { token: admin, headers: { user_id: bob.id }, query: { group_id: gid } });
    expect(info.body.data).toMatchObject({ group_id: Number(gid), name: 'Everywhere' });
    const listed = await call('POST', '/chat/group!groupList', {}, { uid: alice.id, accessToken: alice.token });
    expect(listed.body!.groupList.map((g: Json) => g.groupId)).toContain(gid);
    const carol = await server.user('crosscarol');
    const added = await call('POST', `/im/group/${gid}/member`, { member_client_ids: carol.username }, { authorization: `Bearer ${alice.token}` });
    expect(added.status).toBe(201);

    // 000: bob (a code) sends to it; GraphQL and 004 see it.
    expect((await action('sendMessage', 'bob', { groupId: gid }, { content: 'hello everyone' })).body!.code).toBe(0);
    const history = await server.gql(`query($g: ID!) { group(id: $g) { memberCount } messages(conversation: { groupId: $g }, last: 5) { edges { node { content from { id } } } } }`, { g: gid }, { token: carol.token });
    expect(history.data.group.memberCount).toBe(3);
    expect(history.data.messages.edges.map((e: Json) => e.node)).toEqual([{ content: 'hello everyone', from: { id: bob.id } }]);
    const maxim = await server.rest('GET', '/message/conversation', { token: alice.token, query: { opposite_id: gid, msg_id_start: 0, limit: 5 } });
    expect(maxim.body.data.messages.map((m: Json) => m.content)).toEqual(['hello everyone']);
  });
});
