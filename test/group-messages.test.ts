import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GroupClient } from './helpers/groups.js';
import { collect, TestServer, type TestUser } from './helpers/server.js';

let server: TestServer;
let groups: GroupClient;
beforeAll(async () => {
  server = await TestServer.start();
  groups = new GroupClient(server);
});
afterAll(() => server.close());

let n = 0;
const person = () => server.user(`gm${++n}`);

const SEND = `mutation($input: SendMessageInput!) {
  sendMessage(input: $input) { __typename ... on SendMessagePayload { messages { id seq } } ... on Error { code message } }
}`;
const send = async (from: TestUser | string, groupId: string, content: string) =>
  (await server.gql(SEND, { input: { toKind: 'GROUP', targets: [groupId], contentType: 'TEXT', content } }, { token: typeof from === 'string' ? from : from.token }))
    .data.sendMessage;
const history = async (viewer: TestUser, groupId: string) =>
  (await server.gql(`query($g: ID!) { messages(conversation: { groupId: $g }, last: 100) { edges { node { content } } } }`, { g: groupId }, { token: viewer.token }))
    .data.messages.edges.map((e: any) => e.node.content);
const mutate = (as: TestUser, query: string, vars: Record<string, unknown>) => server.gql(query, vars, { token: as.token });

const EVENTS = `subscription($since: String) {
  events(since: $since) {
    __typename cursor
    ... on MessageEvent { message { content to { kind id } } }
    ... on MessageReadEvent { reader { id } seq conversation { kind id } }
    ... on GroupMembersJoinedEvent { userIds }
    ... on GroupMembersRemovedEvent { userIds }
  }
}`;
async function listen(user: TestUser, since?: string) {
  const ws = server.ws({ token: user.token });
  const events = collect(ws.client, EVENTS, { since });
  const replayed: any[] = [];
  for (;;) {
    const e = (await events.next()).events;
    if (e.__typename === 'StreamReadyEvent') {
      return { ...ws, replayed, cursor: e.cursor as string, next: async () => (await events.next()).events };
    }
    replayed.push(e);
  }
}
/** The next message event, passing group events by. */
async function nextMessage(stream: { next: () => Promise<any> }) {
  for (;;) {
    const e = await stream.next();
    if (e.__typename === 'MessageEvent') return e.message;
  }
}

describe('group messages', () => {
  it('reach every member live, once, and only members may send', async () => {
    const [owner, a, b, outsider] = [await person(), await person(), await person(), await person()];
    const groupId = await groups.group(owner, [a, b]);
    const [onA, onB] = [await listen(a), await listen(b)];
    expect((await send(owner, groupId, 'welcome')).__typename).toBe('SendMessagePayload');
    expect(await nextMessage(onA)).toEqual({ content: 'welcome', to: { kind: 'GROUP', id: groupId } });
    expect((await nextMessage(onB)).content).toBe('welcome');
    await send(a, groupId, 'hi all');
    expect((await nextMessage(onB)).content).toBe('hi all');
    expect(await send(outsider, groupId, 'let me in')).toMatchObject({ code: 'NOT_GROUP_MEMBER' });
    expect(await send(a, '99999999999', 'nowhere')).toMatchObject({ code: 'GROUP_NOT_FOUND' });
    expect(await history(b, groupId)).toEqual(['welcome', 'hi all']);
    await Promise.all([onA.client.dispose(), onB.client.dispose()]);
  });

  it('refuse banned members and everyone but admins under ban-all; expired bans stop applying', async () => {
    const [owner, admin, member] = [await person(), await person(), await person()];
    const groupId = await groups.group(owner, [admin, member]);
    await mutate(owner, `mutation($g: ID!, $u: [ID!]!) { addGroupAdmins(groupId: $g, userIds: $u) { __typename } }`, { g: groupId, u: [admin.id] });
    await mutate(owner, `mutation($g: ID!, $u: [ID!]!) { banGroupMembers(groupId: $g, userIds: $u, minutes: 5) { __typename } }`, { g: groupId, u: [member.id] });
    expect(await send(member, groupId, 'muted?')).toMatchObject({ code: 'BANNED_IN_GROUP' });
    await mutate(owner, `mutation($g: ID!, $u: [ID!]!) { unbanGroupMembers(groupId: $g, userIds: $u) { __typename } }`, { g: groupId, u: [member.id] });
    expect((await send(member, groupId, 'free again')).__typename).toBe('SendMessagePayload');

    await mutate(owner, `mutation($g: ID!) { banAllGroupMembers(groupId: $g) { __typename } }`, { g: groupId });
    expect(await send(member, groupId, 'hello?')).toMatchObject({ code: 'BANNED_IN_GROUP' });
    expect((await send(admin, groupId, 'admins may')).__typename).toBe('SendMessagePayload');
    expect((await send(owner, groupId, 'owner may')).__typename).toBe('SendMessagePayload');
    await mutate(owner, `mutation($g: ID!) { unbanAllGroupMembers(groupId: $g) { __typename } }`, { g: groupId });
    expect((await send(member, groupId, 'all clear')).__typename).toBe('SendMessagePayload');
  });

  it('take nothing once the group is dissolved', async () => {
    const [owner, member] = [await person(), await person()];
    const groupId = await groups.group(owner, [member]);
    await send(member, groupId, 'before');
    await mutate(owner, `mutation($g: ID!) { destroyGroup(groupId: $g) { __typename } }`, { g: groupId });
    expect(await send(owner, groupId, 'after')).toMatchObject({ code: 'GROUP_NOT_FOUND' });
    expect(await history(member, groupId)).toEqual(['before']);
  });

  it('show later members only what came after they joined, unless history is visible', async () => {
    const [owner, early, late, later] = [await person(), await person(), await person(), await person()];
    const groupId = await groups.group(owner, [early]);
    await send(owner, groupId, 'old');
    await mutate(owner, `mutation($g: ID!, $u: [ID!]!) { inviteGroupMembers(groupId: $g, userIds: $u) { __typename } }`, { g: groupId, u: [late.id] });
    await send(owner, groupId, 'new');
    expect(await history(early, groupId)).toEqual(['old', 'new']);
    expect(await history(late, groupId)).toEqual(['new']);

    const open = await groups.group(owner, [early], { historyVisible: true });
    await send(owner, open, 'archive');
    await mutate(owner, `mutation($g: ID!, $u: [ID!]!) { inviteGroupMembers(groupId: $g, userIds: $u) { __typename } }`, { g: open, u: [later.id] });
    expect(await history(later, open)).toEqual(['archive']);
  });

  it('deliver nothing to a member who mutes the group completely (msg_mute_mode 2)', async () => {
    const [owner, quiet, loud] = [await person(), await person(), await person()];
    const groupId = await groups.group(owner, [quiet, loud]);
    const res = await mutate(quiet, `mutation($g: ID!) { updateGroupMembership(groupId: $g, input: { msgMuteMode: BLOCKED }) { __typename } }`, { g: groupId });
    expect(res.data.updateGroupMembership.__typename).not.toContain('Error');
    const [onQuiet, onLoud] = [await listen(quiet), await listen(loud)];
    await send(owner, groupId, 'shh');
    expect((await nextMessage(onLoud)).content).toBe('shh');
    // A direct message after it proves the quiet stream is live, and that the group message never came.
    await server.gql(`mutation($u: ID!) { sendMessage(input: { toKind: USER, targets: [$u], contentType: TEXT, content: "direct" }) { __typename } }`, { u: quiet.id }, { token: owner.token });
    expect((await nextMessage(onQuiet)).content).toBe('direct');
    await Promise.all([onQuiet.client.dispose(), onLoud.client.dispose()]);
  });

  it('reach a member who joins while connected, and stop reaching one who leaves', async () => {
    const [owner, joiner, leaver] = [await person(), await person(), await person()];
    const groupId = await groups.group(owner, [leaver]);
    const [onJoiner, onLeaver] = [await listen(joiner), await listen(leaver)];
    await mutate(owner, `mutation($g: ID!, $u: [ID!]!) { inviteGroupMembers(groupId: $g, userIds: $u) { __typename } }`, { g: groupId, u: [joiner.id] });
    await send(owner, groupId, 'hello newcomer');
    expect((await nextMessage(onJoiner)).content).toBe('hello newcomer');

    await mutate(leaver, `mutation($g: ID!) { leaveGroup(groupId: $g) { __typename } }`, { g: groupId });
    await send(owner, groupId, 'after you left');
    await server.gql(`mutation($u: ID!) { sendMessage(input: { toKind: USER, targets: [$u], contentType: TEXT, content: "direct" }) { __typename } }`, { u: leaver.id }, { token: owner.token });
    expect((await nextMessage(onLeaver)).content).toBe('hello newcomer');
    expect((await nextMessage(onLeaver)).content).toBe('direct');
    await Promise.all([onJoiner.client.dispose(), onLeaver.client.dispose()]);
  });

  it('send read receipts to the senders when read_ack is on', async () => {
    const [owner, reader] = [await person(), await person()];
    const groupId = await groups.group(owner, [reader]);
    await mutate(owner, `mutation($g: ID!) { updateGroupSettings(groupId: $g, input: { readAck: true }) { __typename } }`, { g: groupId });
    await send(owner, groupId, 'please read');
    const onOwner = await listen(owner);
    await mutate(reader, `mutation($g: ID!) { markRead(conversation: { groupId: $g }) { __typename } }`, { g: groupId });
    expect(await onOwner.next()).toMatchObject({ __typename: 'MessageReadEvent', reader: { id: reader.id }, seq: 1, conversation: { kind: 'GROUP', id: groupId } });
    await onOwner.client.dispose();
  });

  it('let group admins recall any message at any time; members only their own', async () => {
    const [owner, member, other] = [await person(), await person(), await person()];
    const groupId = await groups.group(owner, [member, other]);
    const m = (await send(member, groupId, 'oops')).messages[0];
    const RECALL = `mutation($id: ID!) { recallMessage(messageId: $id) { __typename ... on RecallMessagePayload { message { recalled } } ... on Error { code } } }`;
    expect((await mutate(other, RECALL, { id: m.id })).data.recallMessage.code).toBe('MESSAGE_NOT_FOUND');
    expect((await mutate(owner, RECALL, { id: m.id })).data.recallMessage).toEqual({ __typename: 'RecallMessagePayload', message: { recalled: true } });
  });

  it('count unread per member and replay missed group messages on resume', async () => {
    const [owner, member] = [await person(), await person()];
    const groupId = await groups.group(owner, [member]);
    const first = await listen(member);
    await send(owner, groupId, 'g1');
    const seen = await first.next();
    await first.client.dispose();
    await first.closed;
    for (const c of ['g2', 'g3']) await send(owner, groupId, c);
    const conversations = await server.gql(`{ conversations { edges { node { unreadCount target { kind id } } } } }`, {}, { token: member.token });
    expect(conversations.data.conversations.edges.map((e: any) => e.node)).toEqual([{ unreadCount: 3, target: { kind: 'GROUP', id: groupId } }]);
    const resumed = await listen(member, seen.cursor);
    expect(resumed.replayed.map((e) => e.message.content)).toEqual(['g2', 'g3']);
    await resumed.client.dispose();
  });
});

describe('group messages over REST', () => {
  it('POST /message/send with type 2, and the history by group id', async () => {
    const [owner, member] = [await person(), await person()];
    const groupId = await groups.group(owner, [member]);
    const res = await server.rest('POST', '/message/send', { token: owner.token, json: { type: 2, targets: [Number(groupId)], content_type: 0, content: 'via rest' } });
    expect(res.body).toMatchObject({ code: 200, data: true });
    const history = await server.rest('GET', '/message/conversation', { token: member.token, query: { opposite_id: groupId } });
    expect(history.body.data.messages.map((m: any) => [m.content, m.to_xid.uid])).toEqual([['via rest', Number(groupId)]]);
    const outsider = await person();
    const refused = await server.rest('POST', '/message/send', { token: outsider.token, json: { type: 2, targets: [Number(groupId)], content_type: 0, content: 'x' } });
    expect(refused.body.code).toBe(20002);
  });
});
