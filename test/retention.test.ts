import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstIdAt } from '../src/domain/retention.js';
import { download, upload, type Slot } from './helpers/files.js';
import { TestServer, type TestUser } from './helpers/server.js';

const DAY = 86_400_000;
const SET = `mutation($days: Int) { setMessageRetention(days: $days) {
  __typename ... on SetMessageRetentionPayload { settings { messageRetentionDays } } ... on Error { code message } } }`;

let server: TestServer;
let admin: string;
beforeAll(async () => {
  server = await TestServer.start();
  admin = await server.adminToken();
});
afterAll(() => server.close());

let n = 0;
const person = () => server.user(`keep${++n}`);

async function sendText(from: TestUser, to: TestUser, content: string, appId = server.appId) {
  const res = await server.rest('POST', '/message/send', { appId, token: from.token, json: { type: 1, targets: [Number(to.id)], content_type: 0, content } });
  expect(res.body.code).toBe(200);
  return Number(res.body.msg_ids![0]);
}

/** Moves a message back in time: its id is time-ordered, so both its id and created_at change. */
async function age(messageId: number, days: number) {
  const { db } = server.running.database;
  const at = new Date(Date.now() - days * DAY);
  const newId = firstIdAt(at) + (messageId % 4096);
  await db.execute(sql`update messages set id = ${newId}, created_at = ${at.toISOString()} where id = ${messageId}`);
  return newId;
}

const history = async (viewer: TestUser, other: TestUser) =>
  (
    await server.gql(`query($u: ID!) { messages(conversation: { userId: $u }, last: 50) { edges { node { content } } } }`, { u: other.id }, { token: viewer.token })
  ).data.messages.edges.map((e: any) => e.node.content);

describe('message retention', () => {
  it('is set by admins only, within bounds, and read back', async () => {
    const user = await person();
    expect((await server.gql(SET, { days: 30 }, { token: user.token })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    for (const days of [0, -1, 36_501]) {
      const refused = (await server.gql(SET, { days }, { token: admin })).data.setMessageRetention;
      expect(refused).toMatchObject({ __typename: 'InvalidInputError', code: 'INVALID_INPUT' });
      expect(refused.message).toContain('1 to 36500');
    }
    expect((await server.gql(SET, { days: 30 }, { token: admin })).data.setMessageRetention.settings).toEqual({ messageRetentionDays: 30 });
    expect((await server.gql(`{ appSettings { messageRetentionDays } }`, {}, { token: admin })).data.appSettings).toEqual({ messageRetentionDays: 30 });
    expect((await server.gql(SET, { days: null }, { token: admin })).data.setMessageRetention.settings).toEqual({ messageRetentionDays: null });
  });

  it('deletes messages past it, with the files only they carried, and nothing of other apps or newer messages', async () => {
    const [alice, bob] = [await person(), await person()];
    const old = await age(await sendText(alice, bob, 'old news'), 40);
    // An old file message: the file goes with it.
    const slotRes = await server.rest('GET', '/file/upload/chat', { token: alice.token, query: { file_type: 100, to_type: 1, to_id: bob.id } });
    const slot = slotRes.body.data as Slot;
    const doc = Buffer.from('an old document\n'.repeat(50));
    expect((await upload(slot, doc, 'old.txt')).status).toBe(200);
    const attachment = JSON.stringify({ url: slot.download_url, dName: 'old.txt', fLen: doc.length });
    const withFile = await server.rest('POST', '/message/send', { token: alice.token, json: { type: 1, targets: [Number(bob.id)], content_type: 4, attachment } });
    await age(Number(withFile.body.msg_ids![0]), 35);
    await sendText(bob, alice, 'fresh');
    expect((await download(server, slot.download_url, bob)).status).toBe(200);

    // Another app, its message as old: it keeps everything.
    const other = await server.createApp('keeper');
    const otherAdmin = await server.adminToken(other.appId, other.appSecret);
    const carol = await server.user('carol', { appId: other.appId });
    const dave = await server.user('dave', { appId: other.appId });
    await age(await sendText(carol, dave, 'kept elsewhere', other.appId), 400);
    expect((await server.gql(SET, { days: null }, { token: otherAdmin })).data.setMessageRetention.__typename).toBe('SetMessageRetentionPayload');

    // Nothing happens before a retention is set.
    expect(await server.running.sweepExpiredMessages()).toEqual({ messages: 0, files: 0 });
    expect((await server.gql(SET, { days: 30 }, { token: admin })).data.setMessageRetention.__typename).toBe('SetMessageRetentionPayload');
    expect(await server.running.sweepExpiredMessages()).toEqual({ messages: 2, files: 1 });

    expect(await history(bob, alice)).toEqual(['fresh']);
    expect(await history(dave, carol)).toEqual(['kept elsewhere']);
    expect((await download(server, slot.download_url, bob)).status).toBe(404);
    const { db } = server.running.database;
    expect(await db.execute(sql`select 1 from messages where id = ${old}`).then(rowsOf)).toHaveLength(0);
    // The conversation keeps its seqs: the next message follows the last one.
    await sendText(alice, bob, 'after the sweep');
    const seqs = await server.gql(`query($u: ID!) { messages(conversation: { userId: $u }, last: 5) { edges { node { seq } } } }`, { u: alice.id }, { token: bob.token });
    expect(seqs.data.messages.edges.map((e: any) => e.node.seq)).toEqual([3, 4]);
    // A second sweep finds nothing more.
    expect(await server.running.sweepExpiredMessages()).toEqual({ messages: 0, files: 0 });
    await server.gql(SET, { days: null }, { token: admin });
  });

  it('deletes in batches of a thousand until none is left', async () => {
    const [erin, frank] = [await person(), await person()];
    const { db } = server.running.database;
    // 2,500 old messages of one conversation, written with SQL.
    const first = await sendText(erin, frank, 'seed');
    const [{ conversation_id: conversationId }] = rowsOf(await db.execute(sql`select conversation_id from messages where id = ${first}`)) as any[];
    const base = firstIdAt(new Date(Date.now() - 100 * DAY));
    await db.execute(sql`
      insert into messages (id, app_id, conversation_id, seq, sent_position, position, from_user_id, to_kind, to_id, content_type, content, created_at)
      select ${base}::bigint + i, ${server.appId}, ${conversationId}, 100 + i, 0, -i, ${Number(erin.id)}, 1, ${Number(frank.id)}, 0, 'bulk', now() - interval '100 days'
      from generate_series(1, 2500) as i`);
    await server.gql(SET, { days: 7 }, { token: admin });
    let report;
    const statements = await server.sqlDuring(async () => (report = await server.running.sweepExpiredMessages()));
    expect(report).toEqual({ messages: 2500, files: 0 });
    // 1,000 + 1,000 + 500: three short transactions, not one long one.
    expect(statements.filter((s) => /^delete from "messages"/.test(s))).toHaveLength(3);
    expect(await history(frank, erin)).toEqual(['seed']);
    await server.gql(SET, { days: null }, { token: admin });
  });
});

/** Rows of db.execute on either driver (postgres.js: an array; PGlite: { rows }). */
function rowsOf(result: unknown): unknown[] {
  return Array.isArray(result) ? result : (result as { rows: unknown[] }).rows;
}
