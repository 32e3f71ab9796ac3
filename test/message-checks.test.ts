import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usingPostgres } from './helpers/database.js';
import { GroupClient } from './helpers/groups.js';
import { collect, TestServer, type TestUser } from './helpers/server.js';

/**
 * The target checks of sends are cached per process (domain/messages/check-cache.ts); every
 * change that refuses (or allows) a send must take effect at the next send all the same.
 */
const SEND = `mutation($input: SendMessageInput!) {
  sendMessage(input: $input) { __typename ... on SendMessagePayload { messages { seq } } ... on Error { code } }
}`;
const sendVia = async (server: TestServer, from: TestUser, toKind: 'USER' | 'GROUP', target: string, content = 'hi') => {
  const res = await server.gql(SEND, { input: { toKind, targets: [target], contentType: 'TEXT', content } }, { token: from.token });
  const payload = res.data?.sendMessage;
  return payload?.__typename === 'SendMessagePayload' ? 'SENT' : (payload?.code ?? JSON.stringify(res.errors));
};
// The statements of a send's target checks: one per kind of target.
const isCheck = (sql: string) => /unnest\(\$1::text\[\], \$2::bigint\[\], \$3::bigint\[\]\) with ordinality/.test(sql) || /with ordinality as t\(app_id, sender, target, mentions, i\)/.test(sql);

describe('cached target checks, one server', () => {
  let server: TestServer;
  let groups: GroupClient;
  let admin: string;
  beforeAll(async () => {
    server = await TestServer.start();
    groups = new GroupClient(server);
    admin = await server.adminToken();
  });
  afterAll(() => server.close());

  let n = 0;
  const person = () => server.user(`cc${++n}`);
  const send = (from: TestUser, toKind: 'USER' | 'GROUP', target: string) => sendVia(server, from, toKind, target);
  const op = (as: TestUser | string, query: string, variables: Record<string, unknown>) =>
    server.gql(query, variables, { token: typeof as === 'string' ? as : as.token });

  it('a send to a known conversation runs no check statement once its check is cached', async () => {
    const [a, b] = [await person(), await person()];
    expect(await send(a, 'USER', b.id)).toBe('SENT'); // creates the conversation
    expect(await send(a, 'USER', b.id)).toBe('SENT'); // checks it and keeps the check
    const statements = await server.sqlDuring(async () => expect(await send(a, 'USER', b.id)).toBe('SENT'));
    expect(statements.filter(isCheck)).toEqual([]);
    // The other direction is another pair: checked.
    const back = await server.sqlDuring(async () => expect(await send(b, 'USER', a.id)).toBe('SENT'));
    expect(back.filter(isCheck)).toHaveLength(1);
  });

  it('blocks, the stranger policy and friendships take effect at the next send', async () => {
    const [a, b] = [await person(), await person()];
    await op(b, `mutation($input: UpdateSettingsInput!) { updateSettings(input: $input) { __typename } }`, { input: { authMode: 'ANYONE' } });
    for (let i = 0; i < 2; i++) expect(await send(a, 'USER', b.id)).toBe('SENT');

    await op(b, `mutation($u: ID!) { blockUser(userId: $u) { __typename } }`, { u: a.id });
    expect(await send(a, 'USER', b.id)).toBe('BLOCKED');
    await op(b, `mutation($u: ID!) { unblockUser(userId: $u) { __typename } }`, { u: a.id });
    expect(await send(a, 'USER', b.id)).toBe('SENT');

    const strangers = (allowed: boolean) => op(admin, `mutation($a: Boolean!) { setStrangerMessages(allowed: $a) { __typename } }`, { a: allowed });
    try {
      await strangers(false);
      expect(await send(a, 'USER', b.id)).toBe('STRANGERS_NOT_ALLOWED');
      const applied = await op(a, `mutation($input: ApplyFriendInput!) { applyFriend(input: $input) { ... on ApplyFriendPayload { status } } }`, {
        input: { userId: b.id },
      });
      expect(applied.data.applyFriend.status).toBe('FRIENDS');
      expect(await send(a, 'USER', b.id)).toBe('SENT');
      await op(a, `mutation($u: ID!) { removeFriend(userId: $u) { __typename } }`, { u: b.id });
      expect(await send(a, 'USER', b.id)).toBe('STRANGERS_NOT_ALLOWED');
    } finally {
      await strangers(true);
    }
    expect(await send(a, 'USER', b.id)).toBe('SENT');
  });

  it('bans, leaving, kicking, joining and dissolving take effect at the next send', async () => {
    const [owner, m1, m2, late] = [await person(), await person(), await person(), await person()];
    const g = await groups.group(owner, [m1, m2]);
    for (const m of [m1, m2, m1, m2]) expect(await send(m, 'GROUP', g)).toBe('SENT');
    expect(await send(late, 'GROUP', g)).toBe('NOT_GROUP_MEMBER');
    expect(await send(late, 'GROUP', g)).toBe('NOT_GROUP_MEMBER');

    expect((await groups.batch(owner, 'banGroupMembers', g, [m1.id], ', minutes: $m', { m: 10 })).__typename).toBe('BanGroupMembersPayload');
    expect(await send(m1, 'GROUP', g)).toBe('BANNED_IN_GROUP');
    expect(await send(m2, 'GROUP', g)).toBe('SENT');
    await groups.batch(owner, 'unbanGroupMembers', g, [m1.id]);
    expect(await send(m1, 'GROUP', g)).toBe('SENT');

    await op(owner, `mutation($g: ID!) { banAllGroupMembers(groupId: $g) { __typename } }`, { g });
    expect(await send(m2, 'GROUP', g)).toBe('BANNED_IN_GROUP');
    expect(await send(owner, 'GROUP', g)).toBe('SENT');
    await op(owner, `mutation($g: ID!) { unbanAllGroupMembers(groupId: $g) { __typename } }`, { g });
    expect(await send(m2, 'GROUP', g)).toBe('SENT');

    await op(m1, `mutation($g: ID!) { leaveGroup(groupId: $g) { __typename } }`, { g });
    expect(await send(m1, 'GROUP', g)).toBe('NOT_GROUP_MEMBER');
    await groups.batch(owner, 'kickGroupMembers', g, [m2.id]);
    expect(await send(m2, 'GROUP', g)).toBe('NOT_GROUP_MEMBER');
    await groups.batch(owner, 'inviteGroupMembers', g, [late.id]);
    expect(await send(late, 'GROUP', g)).toBe('SENT');

    await op(owner, `mutation($g: ID!) { destroyGroup(groupId: $g) { __typename } }`, { g });
    expect(await send(late, 'GROUP', g)).toBe('GROUP_NOT_FOUND');
    expect(await send(owner, 'GROUP', g)).toBe('GROUP_NOT_FOUND');
  });
});

describe.runIf(process.env['REDIS_URL'] && usingPostgres)('cached target checks, two servers (REDIS_URL and DATABASE_URL)', () => {
  it('a ban or a block through one server refuses the next send through the other', async () => {
    const env = { REDIS_URL: process.env['REDIS_URL']! };
    const one = await TestServer.start({ env });
    const two = await TestServer.start({ database: one.database, env });
    try {
      const groups = new GroupClient(one);
      const [owner, member, friend] = [await one.user('cx1'), await one.user('cx2'), await one.user('cx3')];
      const g = await groups.group(owner, [member]);
      // The owner listens on server two: when a message sent through one after a change reaches
      // it, server two has heard everything one published before it, the change included.
      const ws = two.ws({ token: owner.token });
      const events = collect(ws.client, `subscription { events { __typename ... on MessageEvent { message { content } } } }`);
      expect((await events.next()).events.__typename).toBe('StreamReadyEvent');
      const heard = async (content: string) => {
        for (;;) if ((await events.next()).events.message?.content === content) return;
      };
      for (let i = 0; i < 2; i++) expect(await sendVia(two, member, 'GROUP', g)).toBe('SENT');
      for (let i = 0; i < 2; i++) expect(await sendVia(two, member, 'USER', owner.id)).toBe('SENT');
      expect(await sendVia(two, friend, 'USER', owner.id)).toBe('SENT');

      await groups.batch(owner, 'banGroupMembers', g, [member.id], ', minutes: $m', { m: 10 });
      await one.gql(`mutation($u: ID!) { blockUser(userId: $u) { __typename } }`, { u: member.id }, { token: owner.token });
      expect(await sendVia(one, friend, 'USER', owner.id, 'after the changes')).toBe('SENT');
      await heard('after the changes');

      expect(await sendVia(two, member, 'GROUP', g)).toBe('BANNED_IN_GROUP');
      expect(await sendVia(two, member, 'USER', owner.id)).toBe('BLOCKED');
      expect(await sendVia(two, friend, 'USER', owner.id)).toBe('SENT');
      ws.client.dispose();
    } finally {
      await two.close();
      await one.close();
    }
  });
});
