import { sql } from 'drizzle-orm';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GroupClient } from './helpers/groups.js';
import { collect, TestServer, type TestUser } from './helpers/server.js';

/**
 * The batched write path. This server writes a batch once it holds three sends (and waits a
 * minute for them otherwise), so every test here sends in threes, concurrently: each three is
 * exactly one batch, whatever the machine's speed.
 */
const BATCH = 3;
let server: TestServer;
beforeAll(async () => {
  server = await TestServer.start({ env: { MESSAGE_BATCH_SIZE: String(BATCH), MESSAGE_BATCH_DELAY_MS: '60000', STREAM_BUFFER: '4', PUSH_WORKER: 'false' } });
});
afterAll(() => server.close());

let n = 0;
const person = () => server.user(`mb${++n}`);

const SEND = `mutation($input: SendMessageInput!) {
  sendMessage(input: $input) {
    __typename
    ... on SendMessagePayload { messages { id seq content conversationId } }
    ... on Error { code message }
  }
}`;
interface Send {
  from: TestUser | string;
  to: string | string[];
  content: string;
  kind?: 'USER' | 'GROUP';
  transactionId?: string;
  fromUserId?: string;
}
async function send({ from, to, content, kind = 'USER', transactionId, fromUserId }: Send) {
  const input = { toKind: kind, targets: Array.isArray(to) ? to : [to], contentType: 'TEXT', content, transactionId, fromUserId };
  const res = await server.gql(SEND, { input }, { token: typeof from === 'string' ? from : from.token });
  return res.data?.sendMessage ?? { errors: res.errors };
}
/** Sends three messages at once: one batch. */
const three = (sends: [Send, Send, Send]) => Promise.all(sends.map(send));
const inserts = (statements: string[]) => statements.filter((s) => /^\s*with span as/.test(s)).length;

const EVENTS = `subscription($since: String) { events(since: $since) { __typename cursor ... on MessageEvent { message { seq content conversationId } } } }`;
async function listen(user: TestUser, since?: string) {
  const ws = server.ws({ token: user.token });
  const events = collect(ws.client, EVENTS, { since });
  const replayed: any[] = [];
  for (;;) {
    const e = (await events.next()).events;
    if (e.__typename === 'StreamReadyEvent') return { ...ws, replayed, cursor: e.cursor as string, next: async () => (await events.next()).events };
    replayed.push(e);
  }
}

describe('batches', () => {
  it('commit sends of several conversations and apps together: seqs gap-free, events in order, once', async () => {
    const [a, b, c] = [await person(), await person(), await person()];
    const other = await server.createApp('batchother');
    const [x, y] = [await server.user(`mbx${n}`, { appId: other.appId }), await server.user(`mby${n}`, { appId: other.appId })];
    const onB = await listen(b);
    const statements = await server.sqlDuring(async () => {
      for (let round = 0; round < 2; round++) {
        const sent = await three([
          { from: a, to: b.id, content: `a${round}` },
          { from: c, to: b.id, content: `c${round}` },
          { from: x, to: y.id, content: `x${round}` },
        ]);
        expect(sent.map((s) => s.__typename)).toEqual(Array(3).fill('SendMessagePayload'));
      }
    });
    expect(inserts(statements)).toBe(2);

    const received = [await onB.next(), await onB.next(), await onB.next(), await onB.next()].map((e) => e.message.content);
    expect([...received].sort()).toEqual(['a0', 'a1', 'c0', 'c1']);
    expect(received.filter((m) => m.startsWith('a'))).toEqual(['a0', 'a1']);
    const seqs = async (viewer: TestUser, peer: TestUser) =>
      (await server.gql(`query($u: ID!) { messages(conversation: { userId: $u }, last: 10) { edges { node { seq content } } } }`, { u: peer.id }, { token: viewer.token }))
        .data.messages.edges.map((e: any) => `${e.node.seq}:${e.node.content}`);
    expect(await seqs(b, a)).toEqual(['1:a0', '2:a1']);
    expect(await seqs(b, c)).toEqual(['1:c0', '2:c1']);
    expect(await seqs(y, x)).toEqual(['1:x0', '2:x1']);

    // Each app's stream positions are gap-free: a resume from the start replays all, in order.
    const db = server.running.database.db;
    const positions = await db.execute(sql`select app_id, array_agg(sent_position order by sent_position) as p from messages group by app_id`);
    for (const row of (positions as any).rows ?? positions) {
      const p = (row.p as unknown[]).map(Number);
      expect(p).toEqual(Array.from({ length: p.length }, (_, i) => p[0]! + i));
    }
    await onB.client.dispose();
  });

  it('split a send to more targets than a batch holds, and keep every message', async () => {
    const sender = await person();
    const receivers = [await person(), await person(), await person(), await person(), await person()];
    const onLast = await listen(receivers[4]!);
    const statements = await server.sqlDuring(async () => {
      // Five messages: a batch of three, then (the writer being busy meanwhile) one of two.
      const many = await send({ from: sender, to: receivers.map((r) => r.id), content: 'to five' });
      expect(many.messages.map((m: any) => m.seq)).toEqual([1, 1, 1, 1, 1]);
    });
    expect(inserts(statements)).toBe(2);
    expect((await onLast.next()).message).toMatchObject({ seq: 1, content: 'to five' });
    await onLast.client.dispose();
  });

  it('answer a retry racing its first attempt in the same batch with the one message', async () => {
    const [a, b] = [await person(), await person()];
    const statements = await server.sqlDuring(async () => {
      const results = await three([
        { from: a, to: b.id, content: 'once', transactionId: 'race' },
        { from: a, to: b.id, content: 'once', transactionId: 'race' },
        { from: a, to: b.id, content: 'once', transactionId: 'race' },
      ]);
      expect(new Set(results.map((r) => r.messages[0].id)).size).toBe(1);
      expect(results[0].messages[0].seq).toBe(1);
    });
    expect(inserts(statements)).toBe(1);
    // A later retry finds it in the table; the next message takes seq 2.
    const [again, next, other] = await three([
      { from: a, to: b.id, content: 'once', transactionId: 'race' },
      { from: a, to: b.id, content: 'then', transactionId: 'next' },
      { from: b, to: a.id, content: 'reply' },
    ]);
    expect(again.messages[0].seq).toBe(1);
    expect([next.messages[0].seq, other.messages[0].seq].sort()).toEqual([2, 3]);
  });

  it('fail only the message the database refuses: the batch is retried one by one', async () => {
    const [a, b, c] = [await person(), await person(), await person()];
    const onB = await listen(b);
    const db = server.running.database.db;
    await db.execute(sql`create function refuse_poison() returns trigger language plpgsql as $$
      begin if new.content = 'poison' then raise exception 'poisoned'; end if; return new; end $$`);
    await db.execute(sql`create trigger refuse_poison before insert on messages for each row execute function refuse_poison()`);
    try {
      const statements = await server.sqlDuring(async () => {
        const [first, poisoned, last] = await three([
          { from: a, to: b.id, content: 'fine' },
          { from: c, to: b.id, content: 'poison' },
          { from: a, to: b.id, content: 'fine too' },
        ]);
        expect(poisoned.errors?.[0]?.message ?? poisoned.message).toBeDefined();
        expect(poisoned.__typename).not.toBe('SendMessagePayload');
        expect([first.messages[0].seq, last.messages[0].seq].sort()).toEqual([1, 2]);
      });
      // The batch, then each message alone.
      expect(inserts(statements)).toBe(4);
      const received = [await onB.next(), await onB.next()].map((e) => e.message.content);
      expect([...received].sort()).toEqual(['fine', 'fine too']);
    } finally {
      await db.execute(sql`drop trigger refuse_poison on messages`);
      await db.execute(sql`drop function refuse_poison()`);
    }
    const [after, , reply] = await three([
      { from: c, to: b.id, content: 'cured' },
      { from: a, to: c.id, content: 'x' },
      { from: b, to: c.id, content: 'y' },
    ]);
    // The refused message took no seq: b and c's conversation starts at 1 (in whichever order the
    // two concurrent sends reached the writer).
    expect([after.messages[0].seq, reply.messages[0].seq].sort()).toEqual([1, 2]);
    await onB.client.dispose();
  });

  it('keep group and 1:1 sends of one batch apart', async () => {
    const [owner, m1, m2] = [await person(), await person(), await person()];
    const groupId = await new GroupClient(server).group(owner, [m1, m2]);
    const onM2 = await listen(m2);
    const [g1, g2, direct] = await three([
      { from: owner, to: groupId, kind: 'GROUP', content: 'g1' },
      { from: m1, to: groupId, kind: 'GROUP', content: 'g2' },
      { from: m1, to: m2.id, content: 'direct' },
    ]);
    expect([g1.messages[0].seq, g2.messages[0].seq].sort()).toEqual([1, 2]);
    expect(direct.messages[0].seq).toBe(1);
    const received = [await onM2.next(), await onM2.next(), await onM2.next()].map((e) => e.message.content);
    expect([...received].sort()).toEqual(['direct', 'g1', 'g2']);
    await onM2.client.dispose();
  });
});

describe('a slow subscriber', () => {
  it('is ended with RESYNC_REQUIRED once more events wait for it than the stream buffer holds', async () => {
    const [subscriber, a, b, c] = [await person(), await person(), await person(), await person()];
    const socket = new WebSocket(server.wsUrl, 'graphql-transport-ws');
    const frames: any[] = [];
    let wake: (() => void) | undefined;
    socket.on('message', (data) => {
      frames.push(JSON.parse(String(data)));
      wake?.();
    });
    const frame = async (match: (f: any) => boolean) => {
      for (;;) {
        const found = frames.find(match);
        if (found) return found;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    };
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { token: subscriber.token } }));
    await frame((f) => f.type === 'connection_ack');
    // Several streams on the one socket, so that their events together outgrow the kernel's buffers.
    const ids = Array.from({ length: 10 }, (_, i) => `s${i}`);
    for (const id of ids) {
      socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query: `subscription { events { __typename ... on MessageEvent { message { content } } } }` } }));
      await frame((f) => f.id === id && f.type === 'next' && f.payload.data.events.__typename === 'StreamReadyEvent');
    }

    // The client stops reading: the server's socket buffers fill, then the stream's four.
    (socket as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
    const big = 'x'.repeat(10_000);
    for (let round = 0; round < 40; round++) {
      await three([
        { from: a, to: subscriber.id, content: big },
        { from: b, to: subscriber.id, content: big },
        { from: c, to: subscriber.id, content: big },
      ]);
    }
    (socket as unknown as { _socket: { resume(): void } })._socket.resume();

    const ended = await frame((f) => f.type === 'error');
    // The operation's request id comes along (its log line's): the code is what a client acts on.
    expect(ended.payload).toEqual([expect.objectContaining({ extensions: { code: 'RESYNC_REQUIRED', requestId: expect.any(String) } })]);
    expect(ended.payload[0].message).toMatch(/resubscribe/);
    const delivered = frames.filter((f) => f.id === ended.id && f.type === 'next' && f.payload.data.events.__typename === 'MessageEvent').length;
    expect(delivered).toBeLessThan(120);
    socket.close();
  });
});
