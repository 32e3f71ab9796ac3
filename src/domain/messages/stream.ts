import { and, asc, eq, gt, lt, notInArray, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '../../db/client.js';
import { CONVERSATION, conversationMembers, conversations, groupMembers, messages } from '../../db/schema/index.js';
import { conversationKey, userKey, type MessageData, type UserEvent } from '../../realtime/events.js';
import type { LiveStream } from '../../realtime/pubsub.js';
import type { Deps } from '../deps.js';
import { InvalidInputError } from '../errors.js';
import { requireUser, type UserViewer, type Viewer } from '../viewer.js';
import { currentPosition, toData, type Message } from './model.js';

/**
 * Where a client is in its live stream: every message sent at or below stream position `p` it
 * has (or fetched), and in each conversation of `c` every message up to that seq.
 */
export interface Cursor {
  p: number;
  c: Map<number, number>;
}

const cursorShape = z.object({ p: z.number().int().min(0), c: z.record(z.string().regex(/^\d+$/), z.number().int().min(0)) });
const MAX_TRACKED = 2000;

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

const REPLAY_BATCH = 500;

/**
 * A user's live stream: their own channel and the channels of their groups' conversations. It
 * listens first, then replays from the database what the client missed since `since` (every
 * message, in order, once), then says READY, then goes live, dropping what the replay covered
 * and filling any gap from the database: within a conversation, messages always arrive in seq
 * order, each once. Groups the user mutes completely (msg_mute_mode 2) deliver nothing.
 */
export async function* userStream(deps: Deps, viewer: Viewer, since?: string): AsyncGenerator<StreamItem> {
  const me = requireUser(viewer);
  const cursor = since === undefined ? undefined : decodeCursor(since);
  const live = await deps.events.subscribe('user', userKey(me.appId, me.userId));
  try {
    const groups = new GroupChannels(deps, me, live);
    await groups.sync();
    const state: Cursor = cursor ?? { p: await currentPosition(deps.db, me.appId), c: new Map() };
    const stamp = () => encodeCursor(state);
    const delivered = (m: MessageData): StreamItem => {
      state.c.set(m.conversationId, m.seq);
      return { event: { type: 'MESSAGE', at: m.createdAt, message: m }, cursor: stamp() };
    };

    if (cursor) {
      for await (const { message, changed } of replay(deps.db, me.userId, cursor, groups.mutedConversations())) {
        yield changed
          ? { event: { type: 'MESSAGE_CHANGED', at: message.createdAt, message }, cursor: stamp() }
          : delivered(message);
      }
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
      if (m.sentPosition <= state.p) continue; // the replay, or the client's own fetch, has it
      const last = state.c.get(m.conversationId);
      if (last !== undefined && m.seq <= last) continue; // delivered already (a gap fill took it)
      if (last === undefined || m.seq > last + 1) {
        for (const missing of await unseen(deps.db, me.userId, m.conversationId, state, m.seq)) yield delivered(missing);
      }
      if (state.c.size >= MAX_TRACKED && !state.c.has(m.conversationId)) {
        throw new InvalidInputError('since', 'too many conversations since this stream began: resubscribe without a cursor and refetch');
      }
      yield delivered(m);
    }
  } finally {
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

  follows = (conversationId: number) => this.followed.has(conversationId);
  mutedConversations = () => [...this.muted];

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

/** Messages of the user's conversations changed after the cursor, by stream position. */
async function* replay(db: Queryable, userId: number, cursor: Cursor, muted: number[]) {
  let after = cursor.p;
  for (;;) {
    const rows = await visibleTo(
      db,
      userId,
      and(gt(messages.position, after), muted.length > 0 ? notInArray(messages.conversationId, muted) : undefined),
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
