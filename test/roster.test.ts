import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { friendRequests } from '../src/db/schema/index.js';
import { collect, TestServer, type TestUser } from './helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await TestServer.start({ env: { FRIEND_REQUEST_TTL_SECONDS: '60', PUSH_WORKER: 'false' } });
});
afterAll(() => server.close());

let n = 0;
const AUTH_MODES = ['ANYONE', 'APPROVAL', 'QUESTION', 'NOBODY'] as const;

/** A fresh user whose friend-request policy is `authMode` (0–3: ANYONE, APPROVAL, QUESTION, NOBODY). */
async function person(authMode = 1, answer?: { question: string; answer: string }): Promise<TestUser> {
  const user = await server.user(`p${++n}_${authMode}`);
  await server.gql(
    `mutation($input: UpdateSettingsInput!) { updateSettings(input: $input) { __typename } }`,
    { input: { authMode: AUTH_MODES[authMode], ...(answer && { authQuestion: answer.question, authAnswer: answer.answer }) } },
    { token: user.token },
  );
  return user;
}

const APPLY = `mutation($input: ApplyFriendInput!) {
  applyFriend(input: $input) {
    __typename
    ... on ApplyFriendPayload { status request { id status reason expired } }
    ... on Error { code message }
    ... on InvalidInputError { field }
  }
}`;
const apply = async (from: TestUser, to: TestUser, extra: Record<string, unknown> = {}) =>
  (await server.gql(APPLY, { input: { userId: to.id, ...extra } }, { token: from.token })).data.applyFriend;

const RELATION = `query($ids: [ID!]!) { contacts(userIds: $ids) { relation alias user { id } } }`;
const relation = async (viewer: TestUser, other: TestUser) =>
  (await server.gql(RELATION, { ids: [other.id] }, { token: viewer.token })).data.contacts[0]?.relation;

const accept = async (viewer: TestUser, applicant: TestUser) =>
  (await server.gql(`mutation($id: ID!) { acceptFriendRequest(userId: $id) { __typename ... on Error { code } } }`, { id: applicant.id }, { token: viewer.token })).data.acceptFriendRequest;

describe('applying follows the target’s auth mode', () => {
  it('0: friends at once, on both sides', async () => {
    const [a, b] = [await person(), await person(0)];
    expect(await apply(a, b, { alias: 'Bee' })).toEqual({ __typename: 'ApplyFriendPayload', status: 'FRIENDS', request: null });
    expect(await relation(a, b)).toBe('FRIEND');
    expect(await relation(b, a)).toBe('FRIEND');
    const alias = await server.gql(RELATION, { ids: [b.id] }, { token: a.token });
    expect(alias.data.contacts[0].alias).toBe('Bee');
  });

  it('1: a pending request the target accepts', async () => {
    const [a, b] = [await person(), await person(1)];
    const res = await apply(a, b, { reason: 'hi, it is me' });
    expect(res).toMatchObject({ status: 'PENDING', request: { status: 'PENDING', reason: 'hi, it is me', expired: false } });
    expect(await relation(a, b)).toBe('STRANGER');
    const list = await server.gql(`{ friendRequests { edges { node { from { id } status reason } } } }`, {}, { token: b.token });
    expect(list.data.friendRequests.edges.map((e: any) => e.node)).toEqual([{ from: { id: a.id }, status: 'PENDING', reason: 'hi, it is me' }]);
    expect(await accept(b, a)).toEqual({ __typename: 'AcceptFriendRequestPayload' });
    const contact = await server.gql(`mutation($id: ID!) { acceptFriendRequest(userId: $id) { __typename ... on Error { code } } }`, { id: a.id }, { token: b.token });
    expect(contact.data.acceptFriendRequest.__typename).not.toBe('AcceptFriendRequestPayload');
    expect(await relation(a, b)).toBe('FRIEND');
    expect(await relation(b, a)).toBe('FRIEND');
    expect(await accept(b, a)).toEqual({ __typename: 'NotFoundError', code: 'FRIEND_REQUEST_NOT_FOUND' });
  });

  it('1: or declines, with a reason the applicant sees', async () => {
    const [a, b] = [await person(), await person(1)];
    await apply(a, b);
    const res = await server.gql(`mutation($id: ID!) { declineFriendRequest(userId: $id, reason: "do I know you?") { __typename } }`, { id: a.id }, { token: b.token });
    expect(res.data.declineFriendRequest.__typename).toBe('DeclineFriendRequestPayload');
    const sent = await server.gql(`{ friendRequests(direction: SENT) { totalCount edges { node { status declineReason } } } }`, {}, { token: a.token });
    expect(sent.data.friendRequests.edges[0].node).toEqual({ status: 'DECLINED', declineReason: 'do I know you?' });
    expect(sent.data.friendRequests.totalCount).toBe(1);
    expect(await relation(a, b)).toBe('STRANGER');
    expect((await apply(a, b)).status).toBe('PENDING');
  });

  it('2: friends at once with the right answer, refused otherwise', async () => {
    const [a, b] = [await person(), await person(2, { question: 'Favourite colour?', answer: 'Blue' })];
    const seen = await server.gql(`query($id: ID!) { user(id: $id) { authPolicy { mode question } settings { authAnswer } } }`, { id: b.id }, { token: a.token });
    expect(seen.data.user).toEqual({ authPolicy: { mode: 'QUESTION', question: 'Favourite colour?' }, settings: null });
    expect(await apply(a, b, { authAnswer: 'red' })).toMatchObject({ __typename: 'ForbiddenError', code: 'WRONG_AUTH_ANSWER' });
    expect(await apply(a, b)).toMatchObject({ code: 'WRONG_AUTH_ANSWER' });
    expect(await apply(a, b, { authAnswer: ' blue ' })).toMatchObject({ status: 'FRIENDS' });
  });

  it('3: refused', async () => {
    const [a, b] = [await person(), await person(3)];
    expect(await apply(a, b)).toMatchObject({ __typename: 'ForbiddenError', code: 'REJECTS_FRIEND_REQUESTS' });
  });

  it('a request to someone who already asked makes both friends', async () => {
    const [a, b] = [await person(1), await person(1)];
    await apply(a, b);
    expect(await apply(b, a)).toMatchObject({ status: 'FRIENDS' });
    expect(await relation(a, b)).toBe('FRIEND');
    const received = await server.gql(`{ friendRequests { edges { node { status } } } }`, {}, { token: b.token });
    expect(received.data.friendRequests.edges[0].node.status).toBe('ACCEPTED');
  });
});

describe('applying is refused', () => {
  it('twice, to yourself, to a friend, to an unknown user', async () => {
    const [a, b, c] = [await person(), await person(1), await person(0)];
    await apply(a, b);
    expect(await apply(a, b)).toMatchObject({ __typename: 'ConflictError', code: 'ALREADY_APPLIED' });
    expect(await apply(a, a)).toMatchObject({ __typename: 'InvalidInputError', field: 'userId' });
    await apply(a, c);
    expect(await apply(a, c)).toMatchObject({ __typename: 'ConflictError', code: 'ALREADY_FRIENDS' });
    expect((await server.gql(APPLY, { input: { userId: '99999999999' } }, { token: a.token })).data.applyFriend.code).toBe('USER_NOT_FOUND');
  });

  it('to someone who blocked you, whatever their auth mode', async () => {
    const [a, b] = [await person(), await person(0)];
    await server.gql(`mutation($id: ID!) { blockUser(userId: $id) { __typename } }`, { id: a.id }, { token: b.token });
    expect(await apply(a, b)).toMatchObject({ __typename: 'ForbiddenError', code: 'BLOCKED' });
    expect(await relation(b, a)).toBe('BLOCKED');
    await server.gql(`mutation($id: ID!) { unblockUser(userId: $id) { __typename } }`, { id: a.id }, { token: b.token });
    expect((await apply(a, b)).status).toBe('FRIENDS');
  });

  it('across apps: the other app’s users do not exist here', async () => {
    const other = await server.createApp('rosterother');
    const outsider = await server.user(`outsider${++n}`, { appId: other.appId });
    const local = await person(0);
    expect((await server.gql(APPLY, { input: { userId: local.id } }, { token: outsider.token })).data.applyFriend.code).toBe('USER_NOT_FOUND');
    const contacts = await server.gql(RELATION, { ids: [local.id] }, { token: outsider.token });
    expect(contacts.data.contacts).toEqual([]);
    const search = await server.gql(`query($id: ID!) { searchUser(userId: $id) { relation } }`, { id: local.id }, { token: outsider.token });
    expect(search.data.searchUser).toBeNull();
  });
});

describe('expiry', () => {
  it('an expired request cannot be accepted, and may be renewed', async () => {
    // Requests live a minute on this server; this one's stored expiry is moved back rather than waited for.
    const a = await server.user('early');
    const b = await server.user('late');
    const res = await server.gql(APPLY, { input: { userId: b.id } }, { token: a.token });
    expect(res.data.applyFriend.status).toBe('PENDING');
    const expired = async () =>
      (await server.gql(`{ friendRequests { edges { node { expired } } } }`, {}, { token: b.token })).data.friendRequests.edges[0].node.expired;
    expect(await expired()).toBe(false);
    await server.running.database.db
      .update(friendRequests)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(and(eq(friendRequests.fromUserId, Number(a.id)), eq(friendRequests.toUserId, Number(b.id))));
    expect(await expired()).toBe(true);
    const late = await server.gql(`mutation($id: ID!) { acceptFriendRequest(userId: $id) { ... on Error { code } } }`, { id: a.id }, { token: b.token });
    expect(late.data.acceptFriendRequest.code).toBe('FRIEND_REQUEST_EXPIRED');
    expect((await server.gql(APPLY, { input: { userId: b.id } }, { token: a.token })).data.applyFriend.status).toBe('PENDING');
    expect(await expired()).toBe(false);
  });
});

describe('batch apply', () => {
  it('answers per user', async () => {
    const [a, open, closed, strict] = [await person(), await person(0), await person(3), await person(1)];
    const res = await server.gql(
      `mutation($input: [ApplyFriendInput!]!) { applyFriends(input: $input) { ... on ApplyFriendsPayload { succeeded failed { userId reason } } } }`,
      { input: [{ userId: open.id }, { userId: closed.id }, { userId: strict.id, reason: 'hello' }, { userId: a.id }, { userId: 'x' }] },
      { token: a.token },
    );
    const result = res.data.applyFriends;
    expect(result.succeeded).toEqual([open.id, strict.id]);
    expect(result.failed.map((f: any) => f.userId)).toEqual([closed.id, a.id, '0']);
    expect(result.failed[0].reason).toBe('this user accepts no friend requests');
    expect(await relation(a, open)).toBe('FRIEND');
  });
});

describe('friends', () => {
  it('are listed page by page, with details loaded in one batch', async () => {
    const me = await person();
    const friends = [];
    for (let i = 0; i < 5; i++) {
      const f = await person(0);
      await apply(me, f, { alias: `friend ${i}` });
      friends.push(f);
    }
    const PAGE = `query($after: String) { friends(first: 2, after: $after) { totalCount edges { node { alias user { id username nickName } } } pageInfo { hasNextPage endCursor } } }`;
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const res = await server.gql(PAGE, { after }, { token: me.token });
      seen.push(...res.data.friends.edges.map((e: any) => e.node.user.id));
      expect(res.data.friends.totalCount).toBe(friends.length);
      after = res.data.friends.pageInfo.hasNextPage ? res.data.friends.pageInfo.endCursor : undefined;
      pages++;
    } while (after);
    expect(pages).toBe(3);
    expect(seen).toEqual(friends.map((f) => f.id).sort());

    const ids = friends.map((f) => f.id);
    const sql = await server.sqlDuring(() =>
      server.gql(`query($ids: [ID!]!) { contacts(userIds: $ids) { relation alias user { username authPolicy { mode } } } }`, { ids }, { token: me.token }),
    );
    // token lookup, roster rows, blocks, users, settings: the same few queries for 5 friends or 200.
    expect(sql.length).toBeLessThanOrEqual(5);
  });

  it('keep per-side alias, ext and mute flag', async () => {
    const [a, b] = [await person(), await person(0)];
    await apply(a, b);
    const res = await server.gql(
      `mutation($id: ID!) { updateFriend(userId: $id, alias: "Bobby", ext: { tag: 1 }, muteNotification: true) { ... on UpdateFriendPayload { contact { alias ext muteNotification relation } } } }`,
      { id: b.id },
      { token: a.token },
    );
    expect(res.data.updateFriend.contact).toEqual({ alias: 'Bobby', ext: { tag: 1 }, muteNotification: true, relation: 'FRIEND' });
    const theirs = await server.gql(`query($ids: [ID!]!) { contacts(userIds: $ids) { alias muteNotification } }`, { ids: [a.id] }, { token: b.token });
    expect(theirs.data.contacts[0]).toEqual({ alias: '', muteNotification: false });
    const stranger = await person();
    const notFriend = await server.gql(`mutation($id: ID!) { updateFriend(userId: $id, alias: "x") { ... on Error { code } } }`, { id: stranger.id }, { token: a.token });
    expect(notFriend.data.updateFriend.code).toBe('NOT_FRIEND');
    const badExt = await server.gql(
      `mutation($id: ID!, $ext: JSON) { updateFriend(userId: $id, ext: $ext) { ... on InvalidInputError { field } } }`,
      { id: b.id, ext: { big: 'x'.repeat(4100) } },
      { token: a.token },
    );
    expect(badExt.data.updateFriend.field).toBe('ext');
  });

  it('removed on one side are removed on both, and show as deleted', async () => {
    const [a, b] = [await person(), await person(0)];
    await apply(a, b);
    const res = await server.gql(`mutation($id: ID!) { removeFriend(userId: $id) { __typename } }`, { id: a.id }, { token: b.token });
    expect(res.data.removeFriend.__typename).toBe('RemoveFriendPayload');
    expect(await relation(a, b)).toBe('DELETED');
    expect(await relation(b, a)).toBe('DELETED');
    expect((await server.gql(`{ friends { edges { node { user { id } } } } }`, {}, { token: a.token })).data.friends.edges).toEqual([]);
    const again = await server.gql(`mutation($id: ID!) { removeFriend(userId: $id) { ... on Error { code } } }`, { id: a.id }, { token: b.token });
    expect(again.data.removeFriend.code).toBe('NOT_FRIEND');
  });
});

describe('search and privacy', () => {
  it('finds by id, username and mobile, showing only public fields and the relation', async () => {
    const target = await person(2, { question: 'Q?', answer: 'secret answer' });
    await server.gql(
      `mutation { updateProfile(input: { mobile: "13912340000", privateInfo: "private!", publicInfo: "public" }) { __typename } }`,
      {},
      { token: target.token },
    );
    const me = await person();
    const SEARCH = `query($id: ID, $name: String, $mobile: String) {
      searchUser(userId: $id, username: $name, mobile: $mobile) { relation user { id username publicInfo privateInfo mobile email settings { authAnswer } authPolicy { question } } }
    }`;
    for (const by of [{ id: target.id }, { name: target.username }, { mobile: '13912340000' }]) {
      const res = await server.gql(SEARCH, by, { token: me.token });
      expect(res.data.searchUser).toEqual({
        relation: 'STRANGER',
        user: { id: target.id, username: target.username, publicInfo: 'public', privateInfo: null, mobile: null, email: null, settings: null, authPolicy: { question: 'Q?' } },
      });
    }
    expect((await server.gql(SEARCH, { name: 'no-such-user' }, { token: me.token })).data.searchUser).toBeNull();
    const ambiguous = await server.gql(SEARCH, { id: target.id, name: target.username }, { token: me.token });
    expect(ambiguous.errors![0]!.extensions!.code).toBe('INVALID_INPUT');
  });
});

describe('may message', () => {
  const MAY = `query($to: ID!, $from: ID) { mayMessage(userId: $to, fromUserId: $from) }`;

  it('honours blocks and the app’s stranger policy', async () => {
    const [a, b, c] = [await person(), await person(0), await person()];
    await apply(a, b);
    expect((await server.gql(MAY, { to: c.id }, { token: a.token })).data.mayMessage).toBe(true);
    await server.gql(`mutation($id: ID!) { blockUser(userId: $id) { __typename } }`, { id: a.id }, { token: c.token });
    expect((await server.gql(MAY, { to: c.id }, { token: a.token })).data.mayMessage).toBe(false);
    expect((await server.gql(MAY, { to: a.id }, { token: c.token })).data.mayMessage).toBe(true);

    const admin = await server.adminToken();
    await server.gql(`mutation { setStrangerMessages(allowed: false) { __typename } }`, {}, { token: admin });
    try {
      expect((await server.gql(MAY, { to: b.id }, { token: a.token })).data.mayMessage).toBe(true);
      expect((await server.gql(MAY, { to: a.id }, { token: c.token })).data.mayMessage).toBe(false);
      expect((await server.gql(MAY, { to: b.id, from: a.id }, { token: admin })).data.mayMessage).toBe(true);
    } finally {
      await server.gql(`mutation { setStrangerMessages(allowed: true) { __typename } }`, {}, { token: admin });
    }
    const forOthers = await server.gql(MAY, { to: b.id, from: c.id }, { token: a.token });
    expect(forOthers.errors![0]!.extensions!.code).toBe('FORBIDDEN');
  });
});

describe('live events', () => {
  const EVENTS = `subscription {
    events {
      __typename
      ... on FriendRequestReceivedEvent { user { id } request { reason } }
      ... on FriendRequestAcceptedEvent { user { id } }
      ... on FriendRequestDeclinedEvent { user { id } request { declineReason } }
      ... on FriendAddedEvent { user { id } }
      ... on FriendRemovedEvent { user { id } }
      ... on BlocklistChangedEvent { user { id } blocked }
    }
  }`;

  async function listen(user: TestUser) {
    const ws = server.ws({ token: user.token });
    const events = collect(ws.client, EVENTS);
    expect((await events.next()).events.__typename).toBe('StreamReadyEvent');
    return { close: () => ws.client.dispose(), next: async () => (await events.next()).events };
  }

  it('tell each side of requests, answers and friendships', async () => {
    const [a, b] = [await person(), await person(1)];
    const [onA, onB] = [await listen(a), await listen(b)];

    await apply(a, b, { reason: 'knock knock' });
    expect(await onB.next()).toEqual({ __typename: 'FriendRequestReceivedEvent', user: { id: a.id }, request: { reason: 'knock knock' } });

    await accept(b, a);
    expect(await onA.next()).toEqual({ __typename: 'FriendRequestAcceptedEvent', user: { id: b.id } });
    expect(await onA.next()).toEqual({ __typename: 'FriendAddedEvent', user: { id: b.id } });
    expect(await onB.next()).toEqual({ __typename: 'FriendAddedEvent', user: { id: a.id } });

    await server.gql(`mutation($id: ID!) { removeFriend(userId: $id) { __typename } }`, { id: b.id }, { token: a.token });
    expect(await onA.next()).toEqual({ __typename: 'FriendRemovedEvent', user: { id: b.id } });
    expect(await onB.next()).toEqual({ __typename: 'FriendRemovedEvent', user: { id: a.id } });

    await apply(a, b);
    expect((await onB.next()).__typename).toBe('FriendRequestReceivedEvent');
    await server.gql(`mutation($id: ID!) { declineFriendRequest(userId: $id, reason: "no") { __typename } }`, { id: a.id }, { token: b.token });
    expect(await onA.next()).toEqual({ __typename: 'FriendRequestDeclinedEvent', user: { id: b.id }, request: { declineReason: 'no' } });

    await server.gql(`mutation($id: ID!) { blockUser(userId: $id) { __typename } }`, { id: a.id }, { token: b.token });
    expect(await onB.next()).toEqual({ __typename: 'BlocklistChangedEvent', user: { id: a.id }, blocked: true });
    await Promise.all([onA.close(), onB.close()]);
  });
});

describe('blocklist', () => {
  it('lists, ignores repeats, refuses yourself', async () => {
    const [me, x, y] = [await person(), await person(), await person()];
    for (const target of [y, x, x]) {
      await server.gql(`mutation($id: ID!) { blockUser(userId: $id) { __typename } }`, { id: target.id }, { token: me.token });
    }
    const list = await server.gql(`{ blockedUsers { totalCount edges { node { id } } } }`, {}, { token: me.token });
    expect(list.data.blockedUsers.edges.map((e: any) => e.node.id)).toEqual([x.id, y.id].sort());
    expect(list.data.blockedUsers.totalCount).toBe(2);
    const unblocked = await server.gql(`mutation($id: ID!) { unblockUser(userId: $id) { ... on UnblockUserPayload { contact { relation user { id } } } } }`, { id: x.id }, { token: me.token });
    expect(unblocked.data.unblockUser.contact).toEqual({ relation: 'STRANGER', user: { id: x.id } });
    const self = await server.gql(`mutation($id: ID!) { blockUser(userId: $id) { ... on InvalidInputError { field } } }`, { id: me.id }, { token: me.token });
    expect(self.data.blockUser.field).toBe('userId');
  });
});
