import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GroupClient } from './helpers/groups.js';
import { TestServer, type TestUser } from './helpers/server.js';

let server: TestServer;
let groups: GroupClient;
let owner: TestUser;
let member: TestUser;
let member2: TestUser;
let outsider: TestUser;
let groupId: string;
beforeAll(async () => {
  // No push worker: the statement count below is the send's alone.
  server = await TestServer.start({ env: { PUSH_WORKER: 'false' } });
  groups = new GroupClient(server);
  owner = await server.user('m_owner');
  member = await server.user('m_member');
  member2 = await server.user('m_member2');
  outsider = await server.user('m_outsider');
  groupId = await groups.group(owner, [member, member2]);
});
afterAll(() => server.close());

const SEND = `mutation($kind: TargetKind!, $to: ID!, $mentions: [ID!]) {
  sendMessage(input: { toKind: $kind, targets: [$to], contentType: TEXT, content: "hi @you", mentions: $mentions }) {
    __typename ... on SendMessagePayload { messages { mentions } } ... on InvalidInputError { code field message }
  }
}`;

const send = async (from: TestUser, kind: 'USER' | 'GROUP', to: string, mentions: string[]) =>
  (await server.gql(SEND, { kind, to, mentions }, { token: from.token })).data?.sendMessage;

describe('mentions in a group message', () => {
  it('name members of the group', async () => {
    const sent = await send(member, 'GROUP', groupId, [owner.id, member2.id, owner.id]);
    expect(sent.__typename).toBe('SendMessagePayload');
    expect(sent.messages[0].mentions).toEqual([owner.id, member2.id]);
  });

  it('refuse a user who is not a member, a user of another app and nobody, with INVALID_INPUT on `mentions`', async () => {
    const otherApp = await server.createApp('mentions');
    const stranger = await server.user('m_stranger', { appId: otherApp.appId });
    for (const id of [outsider.id, stranger.id, '999999999']) {
      const refused = await send(member, 'GROUP', groupId, [owner.id, id]);
      expect(refused).toEqual({ __typename: 'InvalidInputError', code: 'INVALID_INPUT', field: 'mentions', message: expect.stringContaining(`user ${id} is not a member of group ${groupId}`) });
    }
    // Nothing was sent: the group's history holds the one good message only.
    const history = await server.gql(`query($g: ID!) { messages(conversation: { groupId: $g }, last: 10) { edges { node { content } } } }`, { g: groupId }, { token: owner.token });
    expect(history.data.messages.edges).toHaveLength(1);
  });

  it('tell a non-member sender that they are not a member, not who is', async () => {
    const refused = (await server.gql(SEND, { kind: 'GROUP', to: groupId, mentions: [owner.id] }, { token: outsider.token })).data?.sendMessage;
    expect(refused.__typename).not.toBe('InvalidInputError');
    expect(refused.__typename).not.toBe('SendMessagePayload');
  });

  it('are checked in the target query: as many statements with five mentions as with one', async () => {
    // Each (sender, group, mentions) is checked once, then its check is cached: both sends here are checked.
    const one = await server.sqlDuring(() => send(owner, 'GROUP', groupId, [member2.id]));
    const five = await server.sqlDuring(() => send(owner, 'GROUP', groupId, [member.id, member2.id, owner.id, member.id, member2.id]));
    expect(five.length).toBe(one.length);
    expect(five.filter((q) => q.includes('unnest(t.mentions::bigint[])'))).toHaveLength(1);
  });
});

describe('mentions in a direct message', () => {
  it('name the two users of the conversation only', async () => {
    expect((await send(member, 'USER', outsider.id, [outsider.id, member.id])).__typename).toBe('SendMessagePayload');
    const refused = await send(member, 'USER', outsider.id, [owner.id]);
    expect(refused).toMatchObject({ __typename: 'InvalidInputError', field: 'mentions' });
  });
});

describe('mentions over REST', () => {
  it('are refused with the dialect’s invalid-input code when they name a non-member', async () => {
    const config = JSON.stringify({ mentionAll: false, mentionList: [Number(outsider.id)] });
    const res = await server.rest('POST', '/message/send', {
      token: member.token,
      json: { type: 2, targets: [Number(groupId)], content_type: 0, content: 'hi', config },
    });
    expect(res.body.code).toBe(10002);
    expect(res.body.message).toMatch(/mentions/);
    const ok = await server.rest('POST', '/message/send', {
      token: member.token,
      json: { type: 2, targets: [Number(groupId)], content_type: 0, content: 'hi', config: JSON.stringify({ mentionList: [Number(owner.id)] }) },
    });
    expect(ok.body.code).toBe(200);
  });
});
