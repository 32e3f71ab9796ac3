import { and, asc, eq, gt, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import { conversationMembers, messages } from '../../db/schema/index.js';
import { userKey, type MessageData, type UserEvent } from '../../realtime/events.js';
import type { Deps } from '../deps.js';
import { InvalidInputError } from '../errors.js';
import { requireUser, type Viewer } from '../viewer.js';
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
 * A user's live stream. It listens first, then replays from the database what the client missed
 * since `since` (every message, in order, once), then says READY, then goes live, dropping what
 * the replay covered and filling any gap from the database: within a conversation, messages
 * always arrive in seq order, each once.
 */
export async function* userStream(deps: Deps, viewer: Viewer, since?: string): AsyncGenerator<StreamItem> {
  const me = requireUser(viewer);
  const cursor = since === undefined ? undefined : decodeCursor(since);
  const live = await deps.events.subscribe('user', userKey(me.appId, me.userId));
  try {
    const state: Cursor = cursor ?? { p: await currentPosition(deps.db, me.appId), c: new Map() };
    const stamp = () => encodeCursor(state);
    const delivered = (m: MessageData): StreamItem => {
      state.c.set(m.conversationId, m.seq);
      return { event: { type: 'MESSAGE', at: m.createdAt, message: m }, cursor: stamp() };
    };

    if (cursor) {
      for await (const { message, changed } of replay(deps, me.userId, cursor)) {
        yield changed
          ? { event: { type: 'MESSAGE_CHANGED', at: message.createdAt, message }, cursor: stamp() }
          : delivered(message);
      }
    }
    yield { event: { type: 'READY', at: Date.now() }, cursor: stamp() };

    for await (const event of live) {
      if (event.type !== 'MESSAGE') {
        yield { event, cursor: null };
        continue;
      }
      const m = event.message;
      if (m.sentPosition <= state.p) continue; // the replay, or the client's own fetch, has it
      const last = state.c.get(m.conversationId);
      if (last !== undefined && m.seq <= last) continue; // delivered already (a gap fill took it)
      if (last === undefined || m.seq > last + 1) {
        for (const missing of await gap(deps, me.userId, m, state.p, last)) yield delivered(missing);
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

/** Messages of the user's conversations changed after the cursor, by stream position. */
async function* replay(deps: Deps, userId: number, cursor: Cursor) {
  let after = cursor.p;
  for (;;) {
    const rows = await deps.db
      .select({ message: messages })
      .from(messages)
      .innerJoin(
        conversationMembers,
        and(eq(conversationMembers.conversationId, messages.conversationId), eq(conversationMembers.userId, userId)),
      )
      .where(
        and(
          gt(messages.position, after),
          gt(messages.seq, sql`greatest(${conversationMembers.clearedSeq}, ${conversationMembers.joinedSeq})`),
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

/** Messages of `m`'s conversation the stream has not delivered and that come before `m`. */
async function gap(deps: Deps, userId: number, m: MessageData, p: number, last: number | undefined): Promise<MessageData[]> {
  const rows = await deps.db
    .select({ message: messages })
    .from(messages)
    .innerJoin(
      conversationMembers,
      and(eq(conversationMembers.conversationId, messages.conversationId), eq(conversationMembers.userId, userId)),
    )
    .where(
      and(
        eq(messages.conversationId, m.conversationId),
        lt(messages.seq, m.seq),
        last === undefined ? gt(messages.sentPosition, p) : gt(messages.seq, last),
        gt(messages.seq, sql`greatest(${conversationMembers.clearedSeq}, ${conversationMembers.joinedSeq})`),
      ),
    )
    .orderBy(asc(messages.seq));
  return rows.map((r: { message: Message }) => toData(r.message));
}

