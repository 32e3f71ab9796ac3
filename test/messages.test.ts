import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { later } from './helpers/clock.js';
import { collect, TestServer, type TestUser } from './helpers/server.js';

// Long enough for any machine between sending and recalling; the window is passed by moving the clock.
const RECALL_SECONDS = 600;

let server: TestServer;
beforeAll(async () => {
  // The push worker stays off here: it would run its own statements while a send's are counted.
  // The per-user send budget (50 a second, test/rate-limits.test.ts) is not what these tests are
  // about: a 101-target send would be refused as RATE_LIMITED before its input is judged.
  server = await TestServer.start({ env: { MESSAGE_RECALL_SECONDS: String(RECALL_SECONDS), PUSH_WORKER: 'false', RATE_LIMIT_SENDS: '100000' } });
});
afterAll(() => server.close());

let n = 0;
const person = (deviceGuid?: string) => server.user(`m${++n}`, { deviceGuid });

const SEND = `mutation($input: SendMessageInput!) {
  sendMessage(input: $input) {
    __typename
    ... on SendMessagePayload { messages { id seq content conversationId } }
    ... on Error { code message }
    ... on InvalidInputError { field }
  }
}`;
async function send(from: TestUser | string, to: TestUser | string[], content: string, extra: Record<string, unknown> = {}) {
  const token = typeof from === 'string' ? from : from.token;
  const targets = Array.isArray(to) ? to : [to.id];
  const res = await server.gql(SEND, { input: { toKind: 'USER', targets, contentType: 'TEXT', content, ...extra } }, { token });
  return res.data.sendMessage;
}
const text = async (from: TestUser, to: TestUser, content: string) => (await send(from, to, content)).messages[0];

const HISTORY = `query($u: ID!, $last: Int, $before: String, $first: Int, $after: String) {
  messages(conversation: { userId: $u }, last: $last, before: $before, first: $first, after: $after) {
    edges { node { id seq content recalled status from { id } } }
    pageInfo { hasPreviousPage hasNextPage startCursor endCursor }
  }
}`;
const historyOf = async (viewer: TestUser, peer: TestUser, vars: Record<string, unknown> = {}) =>
  (await server.gql(HISTORY, { u: peer.id, ...vars }, { token: viewer.token })).data.messages;
const contents = async (viewer: TestUser, peer: TestUser) => (await historyOf(viewer, peer, { last: 100 })).edges.map((e: any) => e.node.content);

const CONVERSATIONS = `{ conversations { edges { node { unreadCount readSeq lastSeq target { id } lastMessage { content } } } } }`;
const conversationsOf = async (user: TestUser) =>
  (await server.gql(CONVERSATIONS, {}, { token: user.token })).data.conversations.edges.map((e: any) => e.node);

const EVENTS = `subscription($since: String) {
  events(since: $since) {
    __typename cursor
    ... on MessageEvent { message { id seq content from { id } } }
    ... on MessageChangedEvent { message { id content recalled } }
    ... on ReadPositionEvent { conversation { id } seq }
    ... on MessageReadEvent { conversation { id } reader { id } seq }
    ... on TypingEvent { from { id } }
  }
}`;
async function listen(token: string, since?: string) {
  const ws = server.ws({ token });
  const events = collect(ws.client, EVENTS, { since });
  const ready: any[] = [];
  for (;;) {
    const e = (await events.next()).events;
    if (e.__typename === 'StreamReadyEvent') return { ...ws, next: async () => (await events.next()).events, replayed: ready, cursor: e.cursor as string, done: events.done };
    ready.push(e);
  }
}

describe('sending and reading', () => {
  it('delivers live, keeps history, counts unread from read positions', async () => {
    const [a, b] = [await person(), await person()];
    const onB = await listen(b.token);
    const first = await text(a, b, 'hello');
    expect(first).toMatchObject({ seq: 1, content: 'hello' });
    expect(await onB.next()).toMatchObject({ __typename: 'MessageEvent', message: { seq: 1, content: 'hello', from: { id: a.id } } });
    await text(a, b, 'how are you');
    await text(b, a, 'fine');
    expect((await onB.next()).message.content).toBe('how are you');
    expect((await onB.next()).message.content).toBe('fine'); // their own message, from another device's view

    expect(await contents(b, a)).toEqual(['hello', 'how are you', 'fine']);
    expect(await conversationsOf(b)).toEqual([{ unreadCount: 2, readSeq: 0, lastSeq: 3, target: { id: a.id }, lastMessage: { content: 'fine' } }]);
    expect((await conversationsOf(a))[0].unreadCount).toBe(1);
    await onB.client.dispose();
  });

  it('acknowledging moves the read position, syncs the other devices and sends a receipt', async () => {
    const a = await person('phone');
    const bPhone = await person('phone');
    const bTablet = await server.login(bPhone.username, { deviceGuid: 'tablet' });
    for (const content of ['one', 'two', 'three']) await text(a, bPhone, content);
    const onTablet = await listen(bTablet);
    const onA = await listen(a.token);

    const MARK = `mutation($u: ID!, $seq: Int) { markRead(conversation: { userId: $u }, seq: $seq) { ... on MarkReadPayload { readSeq } ... on Error { code } } }`;
    expect((await server.gql(MARK, { u: a.id, seq: 2 }, { token: bPhone.token })).data.markRead.readSeq).toBe(2);
    expect(await onTablet.next()).toMatchObject({ __typename: 'ReadPositionEvent', conversation: { id: a.id }, seq: 2 });
    expect(await onA.next()).toMatchObject({ __typename: 'MessageReadEvent', conversation: { id: bPhone.id }, reader: { id: bPhone.id }, seq: 2 });
    expect((await conversationsOf({ ...bPhone, token: bTablet }))[0]).toMatchObject({ unreadCount: 1, readSeq: 2 });
    const seenByA = (await historyOf(a, bPhone, { last: 10 })).edges.map((e: any) => e.node.status);
    expect(seenByA).toEqual(['READ', 'READ', 'DELIVERED']);

    // Read positions never move back.
    expect((await server.gql(MARK, { u: a.id, seq: 1 }, { token: bPhone.token })).data.markRead.readSeq).toBe(2);
    expect((await server.gql(MARK, { u: a.id, seq: 9 }, { token: bPhone.token })).data.markRead.code).toBe('INVALID_INPUT');
    expect((await server.gql(MARK, { u: a.id }, { token: bPhone.token })).data.markRead.readSeq).toBe(3);
    expect((await conversationsOf(bPhone))[0].unreadCount).toBe(0);
    await Promise.all([onTablet.client.dispose(), onA.client.dispose()]);
  });

  it('lists conversations with last message and unread count in the same few queries, however many there are', async () => {
    const me = await person();
    // Not counting the token's lookup: the server caches it for a few seconds.
    const queriesFor = async () =>
      (await server.sqlDuring(() =>
        server.gql(`{ conversations { edges { node { unreadCount lastMessage { content from { username } } target { user { username } } } } } }`, {}, { token: me.token }),
      )).filter((sql) => !sql.includes('"access_tokens"')).length;
    const peers = [await person(), await person()];
    for (const peer of peers) await text(peer, me, `from ${peer.username}`);
    const few = await queriesFor();
    for (let i = 0; i < 4; i++) {
      const peer = await person();
      await text(peer, me, `from ${peer.username}`);
    }
    expect(await queriesFor()).toBe(few);
    expect(few).toBeLessThanOrEqual(4);
    expect((await conversationsOf(me)).length).toBe(6);
  });

  it('pages history both ways', async () => {
    const [a, b] = [await person(), await person()];
    for (let i = 1; i <= 7; i++) await text(a, b, `#${i}`);
    const newest = await historyOf(b, a, { last: 3 });
    expect(newest.edges.map((e: any) => e.node.content)).toEqual(['#5', '#6', '#7']);
    expect(newest.pageInfo.hasPreviousPage).toBe(true);
    const older = await historyOf(b, a, { last: 3, before: newest.pageInfo.startCursor });
    expect(older.edges.map((e: any) => e.node.content)).toEqual(['#2', '#3', '#4']);
    const oldest = await historyOf(b, a, { last: 3, before: older.pageInfo.startCursor });
    expect(oldest.edges.map((e: any) => e.node.content)).toEqual(['#1']);
    expect(oldest.pageInfo.hasPreviousPage).toBe(false);
    const forward = await historyOf(b, a, { first: 4, after: '2' });
    expect(forward.edges.map((e: any) => e.node.content)).toEqual(['#3', '#4', '#5', '#6']);
    expect(forward.pageInfo.hasNextPage).toBe(true);
  });

  it('deleting a conversation hides what came before, for the viewer only', async () => {
    const [a, b] = [await person(), await person()];
    await text(a, b, 'old news');
    const res = await server.gql(`mutation($u: ID!) { deleteConversation(conversation: { userId: $u }) { __typename } }`, { u: a.id }, { token: b.token });
    expect(res.data.deleteConversation.__typename).toBe('DeleteConversationPayload');
    expect(await contents(b, a)).toEqual([]);
    expect(await conversationsOf(b)).toEqual([]);
    expect(await contents(a, b)).toEqual(['old news']);
    await text(a, b, 'fresh');
    expect(await contents(b, a)).toEqual(['fresh']);
    expect((await conversationsOf(b))[0]).toMatchObject({ unreadCount: 1, lastMessage: { content: 'fresh' } });
  });
});

describe('who may send', () => {
  it('not to someone who blocked you; not when the app wants friends and you are not', async () => {
    const [a, b] = [await person(), await person()];
    await server.gql(`mutation($id: ID!) { blockUser(userId: $id) { __typename } }`, { id: a.id }, { token: b.token });
    expect(await send(a, b, 'hi')).toMatchObject({ __typename: 'ForbiddenError', code: 'BLOCKED' });
    expect(await send(b, a, 'I can still write')).toMatchObject({ __typename: 'SendMessagePayload' });

    const admin = await server.adminToken();
    const c = await person();
    await server.gql(`mutation { setStrangerMessages(allowed: false) { __typename } }`, {}, { token: admin });
    try {
      expect(await send(a, c, 'stranger')).toMatchObject({ code: 'STRANGERS_NOT_ALLOWED' });
      await server.gql(`mutation { updateSettings(input: { authMode: ANYONE }) { __typename } }`, {}, { token: c.token });
      await server.gql(`mutation($id: ID!) { applyFriend(input: { userId: $id }) { __typename } }`, { id: c.id }, { token: a.token });
      expect(await send(a, c, 'friend now')).toMatchObject({ __typename: 'SendMessagePayload' });
      // Admins are not held to the policy.
      const asAdmin = await send(admin, [b.id], 'from the admin', { fromUserId: c.id });
      expect(asAdmin, JSON.stringify(asAdmin)).toMatchObject({ __typename: 'SendMessagePayload' });
    } finally {
      await server.gql(`mutation { setStrangerMessages(allowed: true) { __typename } }`, {}, { token: admin });
    }
  });

  it('checks every target before sending any', async () => {
    const [a, b, blocker] = [await person(), await person(), await person()];
    await server.gql(`mutation($id: ID!) { blockUser(userId: $id) { __typename } }`, { id: a.id }, { token: blocker.token });
    expect(await send(a, [b.id, blocker.id], 'to both')).toMatchObject({ code: 'BLOCKED' });
    expect(await contents(b, a)).toEqual([]);
  });

  it.each([
    [{ content: '' }, 'content'],
    [{ content: 'x'.repeat(10_001) }, 'content'],
    [{ ext: { big: 'x'.repeat(8200) } }, 'ext'],
    [{ config: { big: 'x'.repeat(8200) } }, 'config'],
    [{ attachment: { big: 'x'.repeat(8200) } }, 'attachment'],
    [{ transactionId: 't'.repeat(65) }, 'transactionId'],
  ])('refuses bad input %j naming the field', async (extra, field) => {
    const [a, b] = [await person(), await person()];
    expect(await send(a, b, 'hello', extra)).toMatchObject({ __typename: 'InvalidInputError', field });
  });

  it('refuses yourself, repeats, unknown users, other apps, too many targets, and users without a user token', async () => {
    const [a, b] = [await person(), await person()];
    expect(await send(a, a, 'me')).toMatchObject({ field: 'targets' });
    expect(await send(a, [b.id, b.id], 'twice')).toMatchObject({ field: 'targets' });
    expect(await send(a, ['99999999999'], 'ghost')).toMatchObject({ code: 'USER_NOT_FOUND' });
    expect(await send(a, Array.from({ length: 101 }, (_, i) => String(10 ** 10 + i)), 'many')).toMatchObject({ field: 'targets' });
    const other = await server.createApp('msgother');
    const outsider = await server.user(`out${++n}`, { appId: other.appId });
    expect(await send(outsider, b, 'across apps')).toMatchObject({ code: 'USER_NOT_FOUND' });
    const admin = await server.adminToken();
    expect(await send(admin, b, 'as whom?')).toMatchObject({ field: 'fromUserId' });
  });

  it('not as a disabled user, even through an admin', async () => {
    const [a, b] = [await person(), await person()];
    const admin = await server.adminToken();
    await server.gql(`mutation($ids: [ID!]!) { disableUsers(userIds: $ids) { __typename } }`, { ids: [a.id] }, { token: admin });
    expect(await send(admin, b, 'ghost writer', { fromUserId: a.id })).toMatchObject({ code: 'USER_DISABLED' });
  });
});

describe('a first message that fails half-way', () => {
  it('leaves no conversation without its members: the next message reaches history and the conversation list', async () => {
    const [a, b] = [await person(), await person()];
    const { db } = server.running.database;
    // The database refuses b as a member once, between the conversation's row and its members',
    // as a server stopped mid-send would leave it.
    await db.execute(sql.raw(`create function refuse_member_once() returns trigger language plpgsql as $$ begin raise exception 'refused'; end $$`));
    await db.execute(
      sql.raw(`create trigger refuse_member_once before insert on conversation_members for each row when (new.user_id = ${Number(b.id)}) execute function refuse_member_once()`),
    );
    try {
      const failed = await server.gql(SEND, { input: { toKind: 'USER', targets: [b.id], contentType: 'TEXT', content: 'lost' } }, { token: a.token });
      expect(failed.data?.sendMessage?.__typename).not.toBe('SendMessagePayload');
    } finally {
      await db.execute(sql.raw('drop trigger refuse_member_once on conversation_members'));
      await db.execute(sql.raw('drop function refuse_member_once()'));
    }
    await text(a, b, 'kept');
    expect(await contents(b, a)).toEqual(['kept']);
    expect(await contents(a, b)).toEqual(['kept']);
    expect((await conversationsOf(b)).map((c: any) => c.lastMessage?.content)).toEqual(['kept']);
  });
});

describe('the cost of a send', () => {
  const SQL_SEND = `mutation($input: SendMessageInput!) { sendMessage(input: $input) { __typename } }`;
  const input = (to: string, kind = 'USER') => ({ input: { toKind: kind, targets: [to], contentType: 'TEXT', content: 'counted' } });
  // Besides BEGIN and COMMIT: the target check (one query; none once the check is cached), then the batch: lock, insert, and
  // the push outbox row of each message of the batch (one statement per batch).
  const SEND_STATEMENTS = 4;

  it('is four statements to a known conversation over HTTP, besides the token lookup the server caches', async () => {
    const [a, b] = [await person(), await person()];
    await text(a, b, 'first');
    const statements = await server.sqlDuring(() => server.gql(SQL_SEND, input(b.id), { token: a.token }));
    expect(statements.filter((q) => !q.includes('"access_tokens"'))).toHaveLength(SEND_STATEMENTS);
    expect(statements.filter((q) => q.includes('"access_tokens"')).length).toBeLessThanOrEqual(1);
  });

  it('is three statements over graphql-ws once the check is cached, the connection authenticated once', async () => {
    const [owner, member] = [await person(), await person()];
    const created = await server.gql(
      `mutation($m: [ID!]!) { createGroup(input: { name: "g", memberIds: $m }) { ... on CreateGroupPayload { group { id } } } }`,
      { m: [member.id] },
      { token: owner.token },
    );
    const groupId = created.data.createGroup.group.id;
    const ws = server.ws({ token: owner.token });
    const sendOverSocket = (variables: Record<string, unknown>) =>
      new Promise<any>((resolve, reject) => ws.client.subscribe({ query: SQL_SEND, variables }, { next: resolve, error: reject, complete: () => {} }));
    expect((await sendOverSocket(input(groupId, 'GROUP'))).data.sendMessage.__typename).toBe('SendMessagePayload');
    // The group's check was kept by the first send (domain/messages/check-cache.ts): no check statement.
    expect(await server.sqlDuring(() => sendOverSocket(input(groupId, 'GROUP')))).toHaveLength(SEND_STATEMENTS - 1);
    // The first 1:1 message is checked, and creates its conversation: four statements more, once.
    const statements = await server.sqlDuring(() => sendOverSocket(input(member.id)));
    expect(statements.some((q) => q.startsWith('insert into "conversations"'))).toBe(true);
    expect(statements).toHaveLength(SEND_STATEMENTS + 4);
    await ws.client.dispose();
  });

  it('checks the targets of sends arriving together in one statement, each send judged on its own', async () => {
    const [a, b, blocker, c] = [await person(), await person(), await person(), await person()];
    await server.gql(`mutation($id: ID!) { blockUser(userId: $id) { __typename } }`, { id: a.id }, { token: blocker.token });
    for (const peer of [b, c]) await text(a, peer, 'first');
    const ws = server.ws({ token: a.token });
    const sendOverSocket = (to: TestUser) =>
      new Promise<any>((resolve, reject) =>
        ws.client.subscribe({ query: SEND, variables: { input: { toKind: 'USER', targets: [to.id], contentType: 'TEXT', content: 'together' } } }, { next: resolve, error: reject, complete: () => {} }),
      );
    await sendOverSocket(b); // the connection is up and authenticated
    let answers: any[] = [];
    // Three operations written in one turn of the client's event loop reach the server together.
    const statements = await server.sqlDuring(async () => (answers = await Promise.all([b, blocker, c].map(sendOverSocket))));
    expect(answers.map((r) => r.data.sendMessage.code ?? r.data.sendMessage.__typename)).toEqual(['SendMessagePayload', 'BLOCKED', 'SendMessagePayload']);
    expect(statements.filter((q) => q.includes('unnest($1::text[], $2::bigint[], $3::bigint[]) with ordinality'))).toHaveLength(1);
    expect((await contents(b, a)).at(-1)).toBe('together');
    expect((await contents(c, a)).at(-1)).toBe('together');
    expect(await contents(blocker, a)).toEqual([]);
    await ws.client.dispose();
  });
});

describe('idempotent send', () => {
  it('a retry answers the original message', async () => {
    const [a, b] = [await person(), await person()];
    const first = await send(a, b, 'once', { transactionId: 'tx-1' });
    const retry = await send(a, b, 'once', { transactionId: 'tx-1' });
    expect(retry.messages).toEqual(first.messages);
    expect(await contents(b, a)).toEqual(['once']);
  });

  it('concurrent retries make one message', async () => {
    const [a, b] = [await person(), await person()];
    const results = await Promise.all(Array.from({ length: 8 }, () => send(a, b, 'only one', { transactionId: 'tx-race' })));
    expect(new Set(results.map((r) => r.messages[0].id)).size).toBe(1);
    expect(await contents(b, a)).toEqual(['only one']);
    const next = await text(a, b, 'after');
    expect(next.seq).toBe(2);
  });
});

describe('ordering', () => {
  it('concurrent senders get gap-free seqs, each sender’s messages in its order', async () => {
    const [a, b] = [await person(), await person()];
    const burst = async (from: TestUser, to: TestUser, tag: string) => {
      for (let i = 0; i < 15; i++) await text(from, to, `${tag}${i}`);
    };
    await Promise.all([burst(a, b, 'a'), burst(b, a, 'b')]);
    const page = await historyOf(a, b, { last: 100 });
    const nodes = page.edges.map((e: any) => e.node);
    expect(nodes.map((m: any) => m.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    for (const tag of ['a', 'b']) {
      const mine = nodes.filter((m: any) => m.content.startsWith(tag)).map((m: any) => m.content);
      expect(mine).toEqual(Array.from({ length: 15 }, (_, i) => `${tag}${i}`));
    }
    const ids = nodes.map((m: any) => BigInt(m.id));
    expect([...ids].sort((x, y) => (x < y ? -1 : 1))).toEqual(ids);
  });
});

describe('edit, recall, typing', () => {
  it('edits and recalls reach the conversation live; recalled content is gone', async () => {
    const [a, b] = [await person(), await person()];
    const m = await text(a, b, 'typo');
    const onB = await listen(b.token);
    const edited = await server.gql(`mutation($id: ID!) { editMessage(messageId: $id, content: "fixed") { ... on EditMessagePayload { message { content } } } }`, { id: m.id }, { token: a.token });
    expect(edited.data.editMessage.message.content).toBe('fixed');
    expect(await onB.next()).toMatchObject({ __typename: 'MessageChangedEvent', message: { id: m.id, content: 'fixed', recalled: false } });
    const notMine = await server.gql(`mutation($id: ID!) { recallMessage(messageId: $id) { ... on Error { code } } }`, { id: m.id }, { token: b.token });
    expect(notMine.data.recallMessage.code).toBe('MESSAGE_NOT_FOUND');
    await server.gql(`mutation($id: ID!) { recallMessage(messageId: $id) { __typename } }`, { id: m.id }, { token: a.token });
    expect(await onB.next()).toMatchObject({ message: { id: m.id, content: '', recalled: true } });
    expect((await historyOf(b, a, { last: 5 })).edges[0].node).toMatchObject({ content: '', recalled: true });
    await onB.client.dispose();
  });

  it('a recall after the window is refused', async () => {
    const [a, b] = [await person(), await person()];
    const m = await text(a, b, 'too late');
    const recall = () => server.gql(`mutation($id: ID!) { recallMessage(messageId: $id) { __typename ... on Error { code } } }`, { id: m.id }, { token: a.token });
    const res = await later((RECALL_SECONDS + 1) * 1000, recall);
    expect(res.data.recallMessage.code).toBe('RECALL_EXPIRED');
    expect(await contents(b, a)).toEqual(['too late']);
  });

  it('typing reaches the other side and is not stored', async () => {
    const [a, b] = [await person(), await person()];
    await text(a, b, 'hi');
    const onB = await listen(b.token);
    await server.gql(`mutation($u: ID!) { sendTyping(conversation: { userId: $u }) { __typename } }`, { u: b.id }, { token: a.token });
    expect(await onB.next()).toMatchObject({ __typename: 'TypingEvent', from: { id: a.id } });
    expect(await contents(b, a)).toEqual(['hi']);
    await onB.client.dispose();
  });
});

describe('system notices', () => {
  it('come from nobody, admin only', async () => {
    const b = await person();
    const admin = await server.adminToken();
    const res = await server.gql(
      `mutation($i: SendMessageInput!) { sendNotice(input: $i) { ... on SendNoticePayload { messages { system from { id } content } } } }`,
      { i: { toKind: 'USER', targets: [b.id], contentType: 'TEXT', content: 'maintenance tonight' } },
      { token: admin },
    );
    expect(res.data.sendNotice.messages).toEqual([{ system: true, from: null, content: 'maintenance tonight' }]);
    const asUser = await server.gql(`mutation($i: SendMessageInput!) { sendNotice(input: $i) { __typename } }`, { i: { toKind: 'USER', targets: [b.id], contentType: 'TEXT', content: 'x' } }, { token: b.token });
    expect(asUser.errors![0]!.extensions!.code).toBe('FORBIDDEN');
  });
});

describe('live delivery across a disconnect', () => {
  it('replays every message missed, in order, once, then goes live — even while messages keep coming', async () => {
    const [a, b, c] = [await person(), await person(), await person()];
    let session = await listen(b.token);
    await text(a, b, 'a1');
    const firstEvent = await session.next();
    expect(firstEvent.message.content).toBe('a1');
    const cursor = firstEvent.cursor as string;
    await session.client.dispose();
    await session.closed;

    // Messages sent while b is away, from two conversations, and more while b reconnects.
    for (let i = 2; i <= 5; i++) await text(a, b, `a${i}`);
    for (let i = 1; i <= 3; i++) await text(c, b, `c${i}`);
    const during = (async () => {
      for (let i = 6; i <= 15; i++) await text(a, b, `a${i}`);
    })();
    session = await listen(b.token, cursor);
    await during;
    await text(c, b, 'c4');

    const received = session.replayed.map((e) => e.message.content);
    while (!received.includes('a15') || !received.includes('c4')) received.push((await session.next()).message.content);
    const expected = [...Array.from({ length: 14 }, (_, i) => `a${i + 2}`), 'c1', 'c2', 'c3', 'c4'];
    expect([...received].sort()).toEqual([...expected].sort());
    expect(new Set(received).size).toBe(received.length);
    const order = (tag: string) => received.filter((m) => m.startsWith(tag)).map((m) => Number(m.slice(1)));
    expect(order('a')).toEqual(Array.from({ length: 14 }, (_, i) => i + 2));
    expect(order('c')).toEqual([1, 2, 3, 4]);
    await session.client.dispose();
  });

  it('keeps its cursor small however many conversations it delivers, and resumes exactly', async () => {
    const b = await person();
    const peers = await Promise.all(Array.from({ length: 20 }, () => person()));
    const session = await listen(b.token);
    const cursors: string[] = [];
    for (const peer of peers) {
      await text(peer, b, `hi from ${peer.username}`);
      const event = await session.next();
      expect(event.message.content).toBe(`hi from ${peer.username}`);
      cursors.push(event.cursor);
    }
    // 20 conversations delivered; no cursor named more than 17 of them (peeking into the format).
    const named = cursors.map((c) => Object.keys(JSON.parse(Buffer.from(c, 'base64url').toString()).c).length);
    expect(Math.max(...named)).toBeLessThanOrEqual(17);
    expect(named.at(-1)).toBeLessThan(named.length);
    await session.client.dispose();
    await session.closed;

    // Missed meanwhile: one more message from every second peer, then a resume from the last cursor.
    const missed = peers.filter((_, i) => i % 2 === 0);
    for (const peer of missed) await text(peer, b, `again from ${peer.username}`);
    const resumed = await listen(b.token, cursors.at(-1));
    expect(resumed.replayed.map((e) => e.message.content)).toEqual(missed.map((p) => `again from ${p.username}`));
    expect(resumed.replayed.map((e) => e.message.seq)).toEqual(missed.map(() => 2));
    await resumed.client.dispose();
  }, 120_000);

  it('refuses a cursor it did not make', async () => {
    const b = await person();
    const { client } = server.ws({ token: b.token });
    const result = await new Promise<any>((resolve) =>
      client.subscribe({ query: EVENTS, variables: { since: 'garbage' } }, { next: resolve, error: resolve, complete: () => {} }),
    );
    expect(result.errors?.[0]?.extensions?.code ?? result[0]?.extensions?.code).toBe('INVALID_INPUT');
    await client.dispose();
  });
});
