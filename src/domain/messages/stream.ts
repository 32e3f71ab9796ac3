import { and, asc, eq, gt, lt, notInArray, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '../../db/client.js';
import { runPrepared, toNumber } from '../../db/raw.js';
import { conversationMembers, conversations, groupMembers, messages } from '../../db/schema/index.js';
import { CONVERSATION, type MessageData } from './vocabulary.js';
import { conversationKey, userKey, type UserEvent } from '../../realtime/events.js';
import { StreamOverflowError, type LiveStream } from '../../realtime/pubsub.js';
import type { Deps } from '../deps.js';
import { InvalidInputError, ResyncRequiredError } from '../errors.js';
import { requireUser, type UserViewer, type Viewer } from '../viewer.js';
import { currentPosition, toData, type Message } from './model.js';
import { MESSAGE_COLUMNS, messageFromRow } from './writer.js';

/**
 * Where a client is in its live stream: every message it may see sent at or below stream position
 * `p` it has (or fetched), and in each conversation of `c` every message up to that seq. `c` only
 * names conversations with messages delivered past `p`, and the stream moves `p` forward (emptying
 * `c`) whenever `c` grows past a few entries or grows old: the cursor stays small however many
 * conversations a stream has seen.
 */
export interface Cursor {
  p: number;
  c: Map<number, number>;
}

const cursorShape = z.object({ p: z.number().int().min(0), c: z.record(z.string().regex(/^\d+$/), z.number().int().min(0)) });
/** Conversations a cursor names before the stream moves its position forward. */
const TRACKED = 16;
/** How old the cursor's oldest entry may grow before the stream moves its position forward. */
const ADVANCE_AFTER_MS = 30_000;

export const encodeCursor = (cursor: Cursor) =>
  Buffer.from(JSON.stringify({ p: cursor.p, c: Object.fromEntries(cursor.c) })).toString('base64url');

export function decodeCursor(text: string): Cursor {
  try {
    const raw = cursorShape.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    return { p: raw.p, c: new Map(Object.entries(raw.c).map(([k, v]) => [Number(k), v])) };
  } catch {
    throw new InvalidInputError('since', 'is not a cursor this server gave');
  }
}

export type StreamItem = { event: UserEvent | { type: 'READY'; at: number }; cursor: string | null };

/**
 * Lets a stream's owner end it while it waits for an event (return() on an async generator that
 * is waiting only takes effect after that event): userStream sets `end` once it listens. Lighter
 * than an AbortSignal for a stream that lives as long as its connection.
 */
export interface StreamEnd {
  end?: () => void;
}

const REPLAY_BATCH = 500;

/**
 * A user's live stream: their own channel and the channels of their groups' conversations. It
 * listens first, then replays from the database what the client missed since `since` (every
 * message, in order, once), then says READY, then goes live, dropping what the replay covered
 * and filling any gap from the database: within a conversation, messages always arrive in seq
 * order, each once. Groups the user mutes completely (msg_mute_mode 2) deliver nothing. A consumer
 * that falls more than the stream buffer behind ends it with a ResyncRequiredError; `until`
 * ends it (the session ended, the client left, the server is stopping).
 */
export async function* userStream(deps: Deps, viewer: Viewer, since?: string, until?: AbortSignal | StreamEnd): AsyncGenerator<StreamItem> {
  const me = requireUser(viewer);
  const cursor = since === undefined ? undefined : decodeCursor(since);
  const live = await deps.events.subscribe('user', userKey(me.appId, me.userId), { buffer: deps.config.messages.streamBuffer });
  // Ending the live stream still hands out what it holds (a revocation's TokenRevokedEvent, say), then ends.
  const signal = until instanceof AbortSignal ? until : undefined;
  const end = () => live.close();
  if (signal?.aborted) end();
  signal?.addEventListener('abort', end, { once: true });
  if (until && !signal) (until as StreamEnd).end = end;
  try {
    const groups = new GroupChannels(deps, me, live);
    await groups.sync();
    const state: Cursor = cursor ?? { p: await currentPosition(deps.db, me.appId), c: new Map() };
    let advancedAt = Date.now();
    const stamp = () => encodeCursor(state);
    const delivered = (m: MessageData): StreamItem => {
      if (state.c.size === 0) advancedAt = Date.now();
      state.c.set(m.conversationId, m.seq);
      return { event: { type: 'MESSAGE', at: m.createdAt, message: m }, cursor: stamp() };
    };

    if (cursor) {
      // Everything committed by now is at or below this position: once replayed, the cursor moves there.
      const watermark = await currentPosition(deps.db, me.appId);
      const past = new Map<number, number>();
      for await (const { message, changed } of replay(deps.db, me, cursor, groups.mutedConversations())) {
        if (changed) {
          yield { event: { type: 'MESSAGE_CHANGED', at: message.createdAt, message }, cursor: stamp() };
          continue;
        }
        if (message.sentPosition > watermark) past.set(message.conversationId, message.seq);
        yield delivered(message);
      }
      state.p = Math.max(state.p, watermark);
      state.c = past;
    }
    yield { event: { type: 'READY', at: Date.now() }, cursor: stamp() };

    for await (const event of live) {
      if ('groupId' in event && 'type' in event && event.type.startsWith('GROUP_')) {
        // Memberships or mute modes may have changed: follow them, and catch up on any group
        // conversation the stream now follows.
        for (const conversationId of await groups.sync()) {
          for (const missing of await unseen(deps.db, me.userId, conversationId, state)) yield delivered(missing);
        }
        yield { event, cursor: null };
        continue;
      }
      if (event.type === 'TYPING' && event.fromUserId === me.userId) continue;
      if (event.type !== 'MESSAGE') {
        const message = event.type === 'MESSAGE_CHANGED' ? event.message : undefined;
        if (message?.toKind === CONVERSATION.GROUP && !groups.follows(message.conversationId)) continue;
        yield { event, cursor: null };
        continue;
      }
      const m = event.message;
      // Queued before the stream stopped following the group (the member left, or muted it).
      if (m.toKind === CONVERSATION.GROUP && !groups.follows(m.conversationId)) continue;
      if (m.sentPosition <= state.p) continue; // the replay, a catch-up or the client's own fetch has it
      const last = state.c.get(m.conversationId);
      if (last !== undefined && m.seq <= last) continue; // delivered already (a gap fill took it)
      // The next message of its conversation, unless one is missing between: with no entry for the
      // conversation, everything of it up to `p` was delivered, and `previous` says whether an
      // earlier message came after that.
      const next = last === undefined ? event.previous !== undefined && event.previous <= state.p : m.seq === last + 1;
      if (!next) {
        for (const missing of await unseen(deps.db, me.userId, m.conversationId, state, m.seq)) yield delivered(missing);
      }
      yield delivered(m);
      if (state.c.size > TRACKED || Date.now() - advancedAt > ADVANCE_AFTER_MS) {
        const caught = await catchUp(deps.db, me, state, groups.mutedConversations());
        for (const missing of caught.missed) yield delivered(missing);
        state.p = caught.watermark;
        state.c = new Map();
      }
    }
  } catch (error) {
    if (error instanceof StreamOverflowError) throw new ResyncRequiredError(error.message);
    throw error;
  } finally {
    signal?.removeEventListener('abort', end);
    live.close();
  }
}

/** The group conversation channels a stream follows, kept in step with memberships and mute modes. */
class GroupChannels {
  private followed = new Set<number>();
  private muted = new Set<number>();

  constructor(
    private readonly deps: Deps,
    private readonly me: UserViewer,
    private readonly live: LiveStream<UserEvent>,
  ) {}

  follows(conversationId: number) {
    return this.followed.has(conversationId);
  }

  mutedConversations() {
    return [...this.muted];
  }

  /** Follows the user's group conversations now; answers those newly followed. */
  async sync(): Promise<number[]> {
    const rows = await this.deps.db
      .select({ conversationId: conversations.id, muteMode: groupMembers.msgMuteMode })
      .from(conversationMembers)
      .innerJoin(conversations, eq(conversations.id, conversationMembers.conversationId))
      .innerJoin(groupMembers, and(eq(groupMembers.groupId, conversations.groupId), eq(groupMembers.userId, conversationMembers.userId)))
      .where(
        and(
          eq(conversationMembers.appId, this.me.appId),
          eq(conversationMembers.userId, this.me.userId),
          eq(conversations.kind, CONVERSATION.GROUP),
        ),
      );
    const wanted = new Set(rows.filter((r) => r.muteMode !== 2).map((r) => r.conversationId));
    this.muted = new Set(rows.filter((r) => r.muteMode === 2).map((r) => r.conversationId));
    for (const id of this.followed) if (!wanted.has(id)) this.live.remove('conversation', conversationKey(this.me.appId, id));
    const added = [...wanted].filter((id) => !this.followed.has(id));
    await Promise.all(added.map((id) => this.live.add('conversation', conversationKey(this.me.appId, id))));
    this.followed = wanted;
    return added;
  }
}

/** Messages of the user's conversations that they may see (after what they deleted, after they joined). */
function visibleTo(db: Queryable, userId: number, condition: SQL | undefined) {
  return db
    .select({ message: messages })
    .from(messages)
    .innerJoin(
      conversationMembers,
      and(eq(conversationMembers.conversationId, messages.conversationId), eq(conversationMembers.userId, userId)),
    )
    .where(and(gt(messages.seq, sql`greatest(${conversationMembers.clearedSeq}, ${conversationMembers.joinedSeq})`), condition));
}

/**
 * Messages of the user's conversations changed after the cursor, by stream position: only
 * conversations whose latest change is past the cursor are searched.
 */
async function* replay(db: Queryable, me: UserViewer, cursor: Cursor, muted: number[]) {
  let after = cursor.p;
  for (;;) {
    const rows = await db
      .select({ message: messages })
      .from(conversationMembers)
      .innerJoin(conversations, and(eq(conversations.id, conversationMembers.conversationId), gt(conversations.position, cursor.p)))
      .innerJoin(
        messages,
        and(
          eq(messages.conversationId, conversations.id),
          gt(messages.position, after),
          gt(messages.seq, sql`greatest(${conversationMembers.clearedSeq}, ${conversationMembers.joinedSeq})`),
        ),
      )
      .where(
        and(
          eq(conversationMembers.appId, me.appId),
          eq(conversationMembers.userId, me.userId),
          muted.length > 0 ? notInArray(conversationMembers.conversationId, muted) : undefined,
        ),
      )
      .orderBy(asc(messages.position))
      .limit(REPLAY_BATCH);
    for (const { message } of rows) {
      after = message.position;
      const known = cursor.c.get(message.conversationId);
      const isNew = message.sentPosition > cursor.p && (known === undefined || message.seq > known);
      if (isNew) yield { message: toData(message), changed: false };
      else if (message.position > message.sentPosition) yield { message: toData(message), changed: true };
    }
    if (rows.length < REPLAY_BATCH) return;
  }
}

// The app's committed position, and (in the same snapshot) the messages of the user's followed
// conversations sent after the cursor's position that the cursor does not have.
const CATCH_UP = `select w.position as watermark, ${MESSAGE_COLUMNS.split(', ').map((c) => `m.${c}`).join(', ')}
  from (select coalesce((select position from message_streams where app_id = $1), 0) as position) w
  left join lateral (
    select m.* from conversation_members cm
    join conversations c on c.id = cm.conversation_id and c.position > $3
    join messages m on m.conversation_id = c.id and m.sent_position > $3 and m.sent_position <= w.position
      and m.seq > greatest(cm.cleared_seq, cm.joined_seq)
    left join unnest($4::bigint[], $5::bigint[]) as d(id, seq) on d.id = c.id
    where cm.app_id = $1 and cm.user_id = $2 and m.seq > coalesce(d.seq, 0) and c.id <> all($6::bigint[])
  ) m on true
  order by m.sent_position`;

/**
 * Moves a stream's position up to the app's committed position: answers that position and what
 * the stream had not delivered up to it (normally nothing: live events brought it all).
 */
async function catchUp(db: Queryable, me: UserViewer, state: Cursor, muted: number[]) {
  const rows = await runPrepared<Record<string, unknown>>(db, CATCH_UP, [
    me.appId,
    me.userId,
    state.p,
    [...state.c.keys()],
    [...state.c.values()],
    muted,
  ]);
  return {
    watermark: toNumber(rows[0]!['watermark']),
    missed: rows.filter((r) => r['id'] !== null).map((r) => toData(messageFromRow(r))),
  };
}

/**
 * Messages of a conversation the stream has not delivered (those sent after its start position,
 * past the last seq it delivered there), before seq `before` when given.
 */
async function unseen(db: Queryable, userId: number, conversationId: number, state: Cursor, before?: number): Promise<MessageData[]> {
  const last = state.c.get(conversationId);
  const rows = await visibleTo(
    db,
    userId,
    and(
      eq(messages.conversationId, conversationId),
      before === undefined ? undefined : lt(messages.seq, before),
      last === undefined ? gt(messages.sentPosition, state.p) : gt(messages.seq, last),
    ),
  ).orderBy(asc(messages.seq));
  return rows.map((r: { message: Message }) => toData(r.message));
}
