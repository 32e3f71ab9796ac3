import type { Tx } from '../../db/client.js';
import { runPrepared, toNumber, toNumberOrNull } from '../../db/raw.js';
import type { Deps } from '../deps.js';
import { isUniqueViolation } from '../errors.js';
import { enqueueMessages } from '../push/outbox.js';
import { afterCommit, transaction } from '../transactions.js';
import type { MessageData } from './vocabulary.js';
import { publishToConversation, toData, type ConversationAddress, type Message } from './model.js';

/** A send that passed validation and authorisation: one message to one conversation. */
export interface Admitted
  extends Pick<
    MessageData,
    'fromUserId' | 'fromDeviceSn' | 'toKind' | 'toId' | 'contentType' | 'content' | 'attachment' | 'config' | 'ext' | 'mentions' | 'mentionAll' | 'system' | 'fileRefId'
  > {
  conversation: ConversationAddress;
  transactionId: string | null;
}

/**
 * Rows written with a batch, in its transaction: each hook receives the messages the batch
 * inserted (not those a transaction id answered from an earlier send), in position order, and
 * may write with `tx` (for example a push outbox row per message) or register afterCommit work.
 * A hook that throws fails the batch, which is then retried message by message.
 */
export type BatchHook = (tx: Tx, inserted: readonly Message[]) => Promise<void>;

/**
 * What every batch writes besides its messages, in the same transaction. The place for rows that
 * must commit exactly when the messages do (a push outbox, say).
 */
const BATCH_HOOKS: readonly BatchHook[] = [enqueueMessages];

export interface WriterOptions {
  /** Most messages in one transaction. */
  maxBatch: number;
  /** How long a batch waits for more sends when the writer is idle (0: it starts at once). */
  delayMs: number;
  hooks?: readonly BatchHook[];
}

const writers = new WeakMap<Deps, MessageWriter>();

/** The writer of a server (one per set of deps). */
export function writerOf(deps: Deps): MessageWriter {
  let writer = writers.get(deps);
  if (!writer) {
    const { batchSize, batchDelayMs } = deps.config.messages;
    writers.set(deps, (writer = createMessageWriter(deps, { maxBatch: batchSize, delayMs: batchDelayMs, hooks: BATCH_HOOKS })));
  }
  return writer;
}

interface Pending {
  item: Admitted;
  resolve(message: Message): void;
  reject(error: unknown): void;
}

export interface MessageWriter {
  /** Commits the messages (each on its own terms: one may fail while others succeed) and publishes them. */
  write(items: readonly Admitted[]): Promise<Message>[];
}

/**
 * Group commit. Sends that arrive while a batch is being written wait and are written together in
 * the next transaction, so one commit (one WAL flush, one stream-position lock) serves many
 * messages. One batch is in flight at a time per process: its messages' positions are taken last
 * and publishing follows commit order.
 */
export function createMessageWriter(deps: Deps, options: WriterOptions): MessageWriter {
  const queue: Pending[] = [];
  let writing = false;
  let timer: NodeJS.Timeout | undefined;
  let scheduled = false;

  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    scheduled = false;
    if (writing || queue.length === 0) return;
    writing = true;
    const batch = queue.splice(0, options.maxBatch);
    void writeBatch(deps, batch, options.hooks ?? []).finally(() => {
      writing = false;
      if (queue.length > 0) flush();
    });
  };

  return {
    write(items) {
      const promises = items.map((item) => new Promise<Message>((resolve, reject) => queue.push({ item, resolve, reject })));
      if (writing) return promises;
      if (queue.length >= options.maxBatch) flush();
      else if (!scheduled) {
        // Sends of the same tick (and, with a delay, of the next few milliseconds) join one batch.
        scheduled = true;
        if (options.delayMs > 0) timer = setTimeout(flush, options.delayMs);
        else setImmediate(flush);
      }
      return promises;
    },
  };
}

/** Writes a batch in one transaction; if that fails, each message on its own, so one bad message fails alone. */
async function writeBatch(deps: Deps, batch: Pending[], hooks: readonly BatchHook[]) {
  deps.metrics.batchSize.observe(batch.length);
  const timer = deps.metrics.batchSeconds.startTimer();
  try {
    const written = await commit(deps, batch.map((p) => p.item), hooks);
    batch.forEach((p, i) => p.resolve(written[i]!));
  } catch (error) {
    if (batch.length === 1) return settleAlone(deps, batch[0]!, hooks, error);
    for (const pending of batch) {
      try {
        pending.resolve((await commit(deps, [pending.item], hooks))[0]!);
      } catch (alone) {
        await settleAlone(deps, pending, hooks, alone);
      }
    }
  } finally {
    timer();
  }
}

/** A message that failed on its own: a transaction id that won a race elsewhere answers the first send. */
async function settleAlone(deps: Deps, pending: Pending, hooks: readonly BatchHook[], error: unknown) {
  const { item } = pending;
  if (item.transactionId !== null && isUniqueViolation(error, 'messages_transaction_key')) {
    try {
      return pending.resolve((await commit(deps, [item], hooks))[0]!);
    } catch (again) {
      return pending.reject(again);
    }
  }
  pending.reject(error);
}

const LOCK = `select id, last_seq, position from conversations where id = any($1::bigint[]) order by id for no key update`;

const COLUMNS = `id, app_id, conversation_id, seq, sent_position, position, from_user_id, from_device_sn, to_kind, to_id,
  content_type, content, attachment, config, ext, mentions, mention_all, system, transaction_id, file_ref_id, created_at, edited_at, recalled_at`;
export const MESSAGE_COLUMNS = COLUMNS.replace(/\s+/g, ' ');
const qualified = (alias: string) => MESSAGE_COLUMNS.split(', ').map((c) => `${alias}.${c}`).join(', ');

// Matches the messages_transaction_key index: (conversation_id, coalesce(from_user_id, 0), transaction_id).
const FIND_SENT = `select ${qualified('m')} from messages m
  join unnest($1::bigint[], $2::bigint[], $3::text[]) as t(conversation_id, from_user_id, transaction_id)
    on m.conversation_id = t.conversation_id and coalesce(m.from_user_id, 0) = t.from_user_id and m.transaction_id = t.transaction_id`;

/**
 * Takes each app's range of stream positions (apps in a fixed order), advances the conversations'
 * seqs and positions, and inserts every message: one statement, the last before commit, so the
 * stream-position row locks are held only for this statement and the commit.
 */
const INSERT = `with span as (
    insert into message_streams (app_id, position) select * from unnest($1::text[], $2::bigint[])
    on conflict (app_id) do update set position = message_streams.position + excluded.position
    returning app_id, position
  ), base as (
    select s.app_id, s.position - n.count as base from span s join unnest($1::text[], $2::bigint[]) as n(app_id, count) on n.app_id = s.app_id
  ), advanced as (
    update conversations c set last_seq = u.last_seq, position = b.base + u.k, last_message_at = now()
    from unnest($3::bigint[], $4::bigint[], $5::text[], $6::bigint[]) as u(id, last_seq, app_id, k)
    join base b on b.app_id = u.app_id
    where c.id = u.id
  )
  insert into messages (app_id, conversation_id, seq, sent_position, position, from_user_id, from_device_sn, to_kind, to_id,
    content_type, content, attachment, config, ext, mentions, mention_all, system, transaction_id, file_ref_id)
  select r.app_id, r.conversation_id, r.seq, b.base + r.k, b.base + r.k, r.from_user_id, r.from_device_sn, r.to_kind, r.to_id,
    r.content_type, r.content, r.attachment, r.config, r.ext, r.mentions::bigint[], r.mention_all <> 0, r.system <> 0, r.transaction_id,
    r.file_ref_id
  from unnest($7::text[], $8::bigint[], $9::bigint[], $10::bigint[], $11::bigint[], $12::int[], $13::int[], $14::bigint[],
    $15::int[], $16::text[], $17::text[], $18::text[], $19::text[], $20::text[], $21::int[], $22::int[], $23::text[], $24::bigint[])
    as r(app_id, k, conversation_id, seq, from_user_id, from_device_sn, to_kind, to_id, content_type, content, attachment, config, ext,
      mentions, mention_all, system, transaction_id, file_ref_id)
  join base b on b.app_id = r.app_id
  order by r.app_id, r.k
  returning ${MESSAGE_COLUMNS}`;

const txKey = (conversationId: number, fromUserId: number | null, transactionId: string) => `${conversationId}:${fromUserId ?? 0}:${transactionId}`;

/**
 * One transaction: lock the conversations in id order, answer transaction ids already used (in
 * the table, or earlier in the batch), assign seqs, then take positions and insert (INSERT above).
 * After commit, the new messages are published in position order. Answers a message per item.
 */
async function commit(deps: Deps, items: readonly Admitted[], hooks: readonly BatchHook[]): Promise<Message[]> {
  return transaction(deps.batchDb, async (tx) => {
    const conversationIds = [...new Set(items.map((i) => i.conversation.id))].sort((a, b) => a - b);
    const locked = await runPrepared<{ id: unknown; last_seq: unknown; position: unknown }>(tx, LOCK, [conversationIds]);
    const seqs = new Map(locked.map((r) => [toNumber(r.id), toNumber(r.last_seq)]));
    const positionOf = new Map(locked.map((r) => [toNumber(r.id), toNumber(r.position)]));

    const answered = new Map<string, Message>();
    const withTransaction = items.filter((i) => i.transactionId !== null);
    if (withTransaction.length > 0) {
      const found = await runPrepared(tx, FIND_SENT, [
        withTransaction.map((i) => i.conversation.id),
        withTransaction.map((i) => i.fromUserId ?? 0),
        withTransaction.map((i) => i.transactionId),
      ]);
      for (const row of found.map(messageFromRow)) answered.set(txKey(row.conversationId, row.fromUserId, row.transactionId!), row);
    }

    // New messages, each with its seq and its order (k) within its app's range of positions.
    const fresh: { item: Admitted; seq: number; k: number }[] = [];
    const firstOf = new Map<string, number>(); // transaction key → index in fresh
    const indexOf: (number | Message)[] = []; // per item: its index in fresh, or the message answered
    const lastSeq = new Map<number, number>();
    const countOf = new Map<string, number>();
    for (const item of items) {
      const key = item.transactionId === null ? undefined : txKey(item.conversation.id, item.fromUserId, item.transactionId);
      const earlier = key === undefined ? undefined : (answered.get(key) ?? firstOf.get(key));
      if (earlier !== undefined) {
        indexOf.push(earlier);
        continue;
      }
      const seq = (lastSeq.get(item.conversation.id) ?? seqs.get(item.conversation.id)!) + 1;
      lastSeq.set(item.conversation.id, seq);
      const k = (countOf.get(item.conversation.appId) ?? 0) + 1;
      countOf.set(item.conversation.appId, k);
      if (key !== undefined) firstOf.set(key, fresh.length);
      indexOf.push(fresh.length);
      fresh.push({ item, seq, k });
    }

    const inserted = fresh.length > 0 ? (await runPrepared(tx, INSERT, insertParams(fresh, lastSeq, countOf))).map(messageFromRow) : [];
    inserted.sort((a, b) => (a.appId === b.appId ? a.position - b.position : a.appId < b.appId ? -1 : 1));
    for (const hook of hooks) await hook(tx, inserted);

    // Published in position order, each event naming the conversation's position before it.
    const byKey = new Map(inserted.map((m) => [`${m.conversationId}:${m.seq}`, m]));
    const written = fresh.map(({ item, seq }) => ({ item, message: byKey.get(`${item.conversation.id}:${seq}`)! }));
    afterCommit(tx, () => {
      const at = Date.now();
      for (const { item, message } of [...written].sort((a, b) => a.message.position - b.message.position)) {
        const previous = positionOf.get(message.conversationId)!;
        positionOf.set(message.conversationId, message.position);
        publishToConversation(deps, item.conversation, { type: 'MESSAGE', at, message: toData(message), previous });
      }
    });
    return indexOf.map((entry) => (typeof entry === 'number' ? written[entry]!.message : entry));
  });
}

function insertParams(fresh: { item: Admitted; seq: number; k: number }[], lastSeq: Map<number, number>, countOf: Map<string, number>) {
  const apps = [...countOf.keys()].sort();
  // Each conversation's position becomes that of its last message in the batch.
  const lastK = new Map<number, { appId: string; k: number }>();
  for (const { item, k } of fresh) lastK.set(item.conversation.id, { appId: item.conversation.appId, k });
  const conversations = [...lastK.keys()];
  const column = <T>(f: (x: { item: Admitted; seq: number; k: number }) => T) => fresh.map(f);
  return [
    apps,
    apps.map((a) => countOf.get(a)!),
    conversations,
    conversations.map((id) => lastSeq.get(id)!),
    conversations.map((id) => lastK.get(id)!.appId),
    conversations.map((id) => lastK.get(id)!.k),
    column((x) => x.item.conversation.appId),
    column((x) => x.k),
    column((x) => x.item.conversation.id),
    column((x) => x.seq),
    column((x) => x.item.fromUserId),
    column((x) => x.item.fromDeviceSn),
    column((x) => x.item.toKind),
    column((x) => x.item.toId),
    column((x) => x.item.contentType),
    column((x) => x.item.content),
    column((x) => x.item.attachment),
    column((x) => x.item.config),
    column((x) => x.item.ext),
    column((x) => `{${x.item.mentions.join(',')}}`),
    // Booleans travel as 0/1: postgres.js would declare an array of booleans as one boolean.
    column((x) => (x.item.mentionAll ? 1 : 0)),
    column((x) => (x.item.system ? 1 : 0)),
    column((x) => x.item.transactionId),
    column((x) => x.item.fileRefId),
  ];
}

const date = (value: unknown) => (value instanceof Date ? value : new Date(value as string));

/** A row of MESSAGE_COLUMNS, as drizzle would map it. */
export function messageFromRow(r: Record<string, unknown>): Message {
  return {
    id: toNumber(r['id']),
    appId: r['app_id'] as string,
    conversationId: toNumber(r['conversation_id']),
    seq: toNumber(r['seq']),
    sentPosition: toNumber(r['sent_position']),
    position: toNumber(r['position']),
    fromUserId: toNumberOrNull(r['from_user_id']),
    fromDeviceSn: toNumberOrNull(r['from_device_sn']),
    toKind: toNumber(r['to_kind']),
    toId: toNumber(r['to_id']),
    contentType: toNumber(r['content_type']),
    content: r['content'] as string,
    attachment: r['attachment'] as string,
    config: r['config'] as string,
    ext: r['ext'] as string,
    mentions: (r['mentions'] as unknown[]).map(toNumber),
    mentionAll: r['mention_all'] as boolean,
    system: r['system'] as boolean,
    transactionId: (r['transaction_id'] as string | null) ?? null,
    fileRefId: toNumberOrNull(r['file_ref_id']),
    createdAt: date(r['created_at']),
    editedAt: r['edited_at'] === null ? null : date(r['edited_at']),
    recalledAt: r['recalled_at'] === null ? null : date(r['recalled_at']),
  };
}
