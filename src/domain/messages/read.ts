import { and, asc, desc, eq, gt, inArray, lt, lte, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '../../db/client.js';
import { runPrepared } from '../../db/raw.js';
import { MESSAGE_COLUMNS, messageFromRow } from './writer.js';
import { conversationMembers, conversations, groups, messages } from '../../db/schema/index.js';
import { CONVERSATION } from './vocabulary.js';
import { userKey } from '../../realtime/events.js';
import type { Deps } from '../deps.js';
import { findGroup } from '../groups/access.js';
import { InvalidInputError, NotFoundError } from '../errors.js';
import { afterCommit, transaction } from '../transactions.js';
import { afterTimeId, timeIdCursor, type Page } from '../paging.js';
import { entityId, parseInput } from '../validation.js';
import { requireUser, type UserViewer, type Viewer } from '../viewer.js';
import { targetOf, visibleAfter, type Conversation, type ConversationMember, type Message, type Target } from './model.js';

export interface MemberView {
  conversation: Conversation;
  member: ConversationMember;
}

/** The viewer's membership of the conversation with `target`, or undefined if they never talked. */
export async function findMembership(db: Queryable, viewer: UserViewer, target: Target): Promise<MemberView | undefined> {
  const match =
    target.kind === CONVERSATION.GROUP
      ? and(eq(conversations.kind, CONVERSATION.GROUP), eq(conversations.groupId, target.id))
      : and(
          eq(conversations.kind, CONVERSATION.DIRECT),
          eq(conversations.userLow, Math.min(viewer.userId, target.id)),
          eq(conversations.userHigh, Math.max(viewer.userId, target.id)),
        );
  const [row] = await db
    .select({ conversation: conversations, member: conversationMembers })
    .from(conversations)
    .innerJoin(conversationMembers, eq(conversationMembers.conversationId, conversations.id))
    .where(and(eq(conversations.appId, viewer.appId), match, eq(conversationMembers.userId, viewer.userId)));
  return row;
}

/** Unread messages of a member: after what they read and can see, not their own, not recalled. */
const unread = sql<number>`(
  select count(*)::int from ${messages} x
  where x.conversation_id = ${conversations.id}
    and x.seq > greatest(${conversationMembers.readSeq}, ${conversationMembers.clearedSeq}, ${conversationMembers.joinedSeq})
    and x.from_user_id is distinct from ${conversationMembers.userId}
    and x.recalled_at is null
)`;

export interface ConversationSummary extends MemberView {
  target: Target;
  lastMessage: Message | null;
  unread: number;
}

/**
 * The viewer's conversations, most recent activity first, each with its last message and unread
 * count: one query, whatever the number of conversations. Deleted conversations come back when
 * a new message arrives.
 */
export async function listConversations(deps: Deps, viewer: Viewer, page: Page): Promise<ConversationSummary[]> {
  const me = requireUser(viewer);
  const rows = await deps.db
    .select({
      conversation: conversations,
      member: conversationMembers,
      lastMessage: messages,
      unread,
    })
    .from(conversationMembers)
    .innerJoin(conversations, eq(conversations.id, conversationMembers.conversationId))
    .leftJoin(messages, and(eq(messages.conversationId, conversations.id), eq(messages.seq, conversations.lastSeq)))
    .where(
      and(
        eq(conversationMembers.userId, me.userId),
        eq(conversationMembers.appId, me.appId),
        gt(conversations.lastSeq, sql`greatest(${conversationMembers.clearedSeq}, ${conversationMembers.joinedSeq})`),
        afterTimeId(page.after, conversations.lastMessageAt, conversations.id, true),
      ),
    )
    .orderBy(desc(conversations.lastMessageAt), desc(conversations.id))
    .limit(page.limit);
  return rows.map((r) => ({ ...r, target: targetOf(r.conversation, me.userId) }));
}

/** How many conversations listConversations lists for the viewer (one join over their memberships). */
export async function countConversations(deps: Deps, viewer: Viewer): Promise<number> {
  const me = requireUser(viewer);
  const [row] = await deps.db
    .select({ n: sql<number>`count(*)::int` })
    .from(conversationMembers)
    .innerJoin(conversations, eq(conversations.id, conversationMembers.conversationId))
    .where(
      and(
        eq(conversationMembers.userId, me.userId),
        eq(conversationMembers.appId, me.appId),
        gt(conversations.lastSeq, sql`greatest(${conversationMembers.clearedSeq}, ${conversationMembers.joinedSeq})`),
      ),
    );
  return row!.n;
}

/** The cursor of a conversation in listConversations. */
export const conversationCursor = (c: ConversationSummary) => timeIdCursor(c.conversation.lastMessageAt ?? new Date(0), c.conversation.id);

const targetInput = z.object({
  kind: z.union([z.literal(CONVERSATION.DIRECT), z.literal(CONVERSATION.GROUP)]),
  id: entityId,
});

async function requireMembership(deps: Deps, me: UserViewer, target: Target): Promise<MemberView> {
  const view = await findMembership(deps.db, me, parseInput(targetInput, target, 'conversation'));
  if (!view) throw new NotFoundError('MESSAGE_NOT_FOUND', 'there is no such conversation of yours');
  return view;
}

/**
 * Marks the conversation read up to a message (seq or message id); read positions only move
 * forward. The viewer's other devices hear it; so does the other side in 1:1 (a read receipt).
 */
export async function markRead(
  deps: Deps,
  viewer: Viewer,
  target: Target,
  upTo: { seq?: number; messageId?: number | string },
): Promise<number> {
  const me = requireUser(viewer);
  const { conversation, member } = await requireMembership(deps, me, target);
  let seq = upTo.seq ?? conversation.lastSeq;
  if (upTo.messageId !== undefined) {
    const id = parseInput(entityId, upTo.messageId, 'messageId');
    const [row] = await deps.db
      .select({ seq: messages.seq })
      .from(messages)
      .where(and(eq(messages.id, id), eq(messages.conversationId, conversation.id)));
    if (!row) throw new NotFoundError('MESSAGE_NOT_FOUND', `message ${id} is not in this conversation`);
    seq = row.seq;
  }
  if (!Number.isSafeInteger(seq) || seq < 0 || seq > conversation.lastSeq) throw new InvalidInputError('seq', 'is not a message of this conversation');
  if (seq <= member.readSeq) return member.readSeq;
  const [updated] = await deps.db
    .update(conversationMembers)
    .set({ readSeq: sql`greatest(${conversationMembers.readSeq}, ${seq})`, updatedAt: new Date() })
    .where(and(eq(conversationMembers.conversationId, conversation.id), eq(conversationMembers.userId, me.userId)))
    .returning({ readSeq: conversationMembers.readSeq });
  const at = Date.now();
  const peer = targetOf(conversation, me.userId);
  deps.events.publish('user', userKey(me.appId, me.userId), {
    type: 'READ_POSITION',
    at,
    conversationId: conversation.id,
    toKind: peer.kind,
    toId: peer.id,
    seq: updated!.readSeq,
  });
  if (conversation.kind === CONVERSATION.GROUP) {
    await sendGroupReceipts(deps, me, conversation, member.readSeq, updated!.readSeq, at);
  } else if (peer.id !== me.userId) {
    deps.events.publish('user', userKey(me.appId, peer.id), {
      type: 'MESSAGE_READ',
      at,
      conversationId: conversation.id,
      toKind: CONVERSATION.DIRECT,
      toId: me.userId,
      readerId: me.userId,
      seq: updated!.readSeq,
    });
  }
  return updated!.readSeq;
}

/** With read_ack on, the senders of the messages just read hear who read them. */
async function sendGroupReceipts(deps: Deps, me: UserViewer, conversation: Conversation, from: number, to: number, at: number) {
  const group = await findGroup(deps.db, me.appId, conversation.groupId!, { dissolved: true });
  if (!group.readAck) return;
  const senders = await deps.db
    .selectDistinct({ userId: messages.fromUserId })
    .from(messages)
    .where(and(eq(messages.conversationId, conversation.id), gt(messages.seq, from), lte(messages.seq, to)));
  for (const { userId } of senders) {
    if (userId === null || userId === me.userId) continue;
    deps.events.publish('user', userKey(me.appId, userId), {
      type: 'MESSAGE_READ',
      at,
      conversationId: conversation.id,
      toKind: CONVERSATION.GROUP,
      toId: group.id,
      readerId: me.userId,
      seq: to,
    });
  }
}

/** Deletes a conversation for the viewer only: what came before is hidden from them, and read. */
export async function deleteConversation(deps: Deps, viewer: Viewer, target: Target): Promise<boolean> {
  const me = requireUser(viewer);
  const { conversation } = await requireMembership(deps, me, target);
  await transaction(deps.db, async (tx) => {
    // Locks the conversation: no message slips in between reading last_seq and clearing up to it.
    const [locked] = await tx
      .select({ lastSeq: conversations.lastSeq })
      .from(conversations)
      .where(eq(conversations.id, conversation.id))
      .for('update');
    await tx
      .update(conversationMembers)
      .set({ clearedSeq: locked!.lastSeq, readSeq: sql`greatest(${conversationMembers.readSeq}, ${locked!.lastSeq})`, updatedAt: new Date() })
      .where(and(eq(conversationMembers.conversationId, conversation.id), eq(conversationMembers.userId, me.userId)));
    const peer = targetOf(conversation, me.userId);
    afterCommit(tx, () =>
      deps.events.publish('user', userKey(me.appId, me.userId), {
        type: 'CONVERSATION_DELETED',
        at: Date.now(),
        conversationId: conversation.id,
        toKind: peer.kind,
        toId: peer.id,
      }),
    );
  });
  return true;
}

/** Which page of a conversation's history: relay arguments, cursors being seqs. */
export interface HistoryArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
  /** Like `before`, naming a message by id instead of seq. */
  beforeMessageId?: string | number | null;
  /** Only messages sent after this time. */
  sentAfter?: Date | null;
}

export interface HistoryPage {
  messages: Message[];
  hasPreviousPage: boolean;
  hasNextPage: boolean;
}

const PAGE = 50;
const MAX_PAGE = 100;

/**
 * Messages of a conversation the viewer may see, oldest first within a page: `last`/`before`
 * page back from the newest (the default), `first`/`after` page forward. Cursors are seqs.
 */
export async function history(deps: Deps, viewer: Viewer, target: Target, args: HistoryArgs): Promise<HistoryPage> {
  const me = requireUser(viewer);
  const backward = args.first == null;
  const limit = (backward ? args.last : args.first) ?? PAGE;
  if (limit < 0 || limit > MAX_PAGE) throw new InvalidInputError(backward ? 'last' : 'first', `must be 0 to ${MAX_PAGE}`);
  const seqOf = (cursor: string | null | undefined, field: string) => (cursor == null ? undefined : parseInput(entityId, cursor, field));
  const after = seqOf(args.after, 'after');
  let before = seqOf(args.before, 'before');
  const where = parseInput(targetInput, target, 'conversation');
  if (args.beforeMessageId == null && args.sentAfter == null) {
    // The usual page: the membership and the page in one round trip (a prepared statement).
    const rows = await runPrepared(deps.db, PAGE_OF[`${where.kind}:${backward ? 'desc' : 'asc'}`]!, [
      me.appId,
      me.userId,
      where.id,
      after ?? 0,
      before ?? null,
      limit + 1,
    ]);
    if (rows.length === 0) return { messages: [], hasPreviousPage: false, hasNextPage: false };
    return paged(rows.filter((r) => r['id'] !== null).map(messageFromRow), limit, backward, after, before);
  }
  const view = await findMembership(deps.db, me, where);
  if (args.beforeMessageId != null) {
    const id = parseInput(entityId, args.beforeMessageId, 'beforeMessageId');
    const [row] = view
      ? await deps.db
          .select({ seq: messages.seq })
          .from(messages)
          .where(and(eq(messages.conversationId, view.conversation.id), eq(messages.id, id)))
      : [];
    if (!row) throw new NotFoundError('MESSAGE_NOT_FOUND', `message ${id} is not in this conversation`);
    before = row.seq;
  }
  if (!view) return { messages: [], hasPreviousPage: false, hasNextPage: false };
  const rows = await deps.db
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.conversationId, view.conversation.id),
        gt(messages.seq, Math.max(visibleAfter(view.member), after ?? 0)),
        before === undefined ? undefined : lt(messages.seq, before),
        // Clients see times in milliseconds; PostgreSQL keeps microseconds: compare what clients see,
        // so passing a message's own time never answers that message.
        args.sentAfter == null ? undefined : sql`date_trunc('milliseconds', ${messages.createdAt}) > ${args.sentAfter.toISOString()}::timestamptz`,
      ),
    )
    .orderBy(backward ? desc(messages.seq) : asc(messages.seq))
    .limit(limit + 1);
  return paged(rows, limit, backward, after, before);
}

function paged(rows: Message[], limit: number, backward: boolean, after: number | undefined, before: number | undefined): HistoryPage {
  const hasMore = rows.length > limit;
  const slice = rows.slice(0, limit);
  return backward
    ? { messages: slice.reverse(), hasPreviousPage: hasMore, hasNextPage: before !== undefined }
    : { messages: slice, hasPreviousPage: after !== undefined, hasNextPage: hasMore };
}

/**
 * A page of history with the viewer's membership, by kind of conversation and direction: no row
 * when the viewer is not a member, one row without a message when the page is empty. The bounds
 * are plain index conditions on (conversation_id, seq) even in a generic plan (no `$n is null or`).
 */
const PAGE_OF: Record<string, string> = {};
for (const [kind, match] of [
  [CONVERSATION.DIRECT, 'c.kind = 1 and c.user_low = least($2::bigint, $3::bigint) and c.user_high = greatest($2::bigint, $3::bigint)'],
  [CONVERSATION.GROUP, 'c.kind = 2 and c.group_id = $3::bigint'],
] as const) {
  for (const order of ['asc', 'desc']) {
    PAGE_OF[`${kind}:${order}`] = `select ${MESSAGE_COLUMNS.split(', ').map((c) => `m.${c}`).join(', ')}
  from (
    select c.id, greatest(cm.cleared_seq, cm.joined_seq) as visible_after
    from conversations c join conversation_members cm on cm.conversation_id = c.id and cm.user_id = $2::bigint
    where c.app_id = $1 and ${match}
  ) me left join lateral (
    select m.* from messages m
    where m.conversation_id = me.id and m.seq > greatest(me.visible_after, $4::bigint)
      and m.seq < coalesce($5::bigint, 9223372036854775807)
    order by m.seq ${order} limit $6
  ) m on true`;
  }
}

/** Read positions of the members of some conversations of an app: conversation id → user id → read seq. */
export async function readPositions(db: Queryable, appId: string, conversationIds: readonly number[]): Promise<Map<number, Map<number, number>>> {
  const byConversation = new Map(conversationIds.map((id) => [id, new Map<number, number>()]));
  if (conversationIds.length === 0) return byConversation;
  const rows = await db
    .select({ conversationId: conversationMembers.conversationId, userId: conversationMembers.userId, readSeq: conversationMembers.readSeq })
    .from(conversationMembers)
    .where(and(eq(conversationMembers.appId, appId), inArray(conversationMembers.conversationId, [...conversationIds])));
  for (const row of rows) byConversation.get(row.conversationId)!.set(row.userId, row.readSeq);
  return byConversation;
}

export type MessageStatus = 'UNREAD' | 'DELIVERED' | 'READ';

/**
 * A message's read status as the viewer sees it, from its conversation's read positions: their
 * own messages are DELIVERED until everyone else read them (READ); others' are UNREAD or READ.
 */
export function messageStatus(viewer: Viewer, message: Pick<Message, 'fromUserId' | 'seq'>, reads: Map<number, number>): MessageStatus | null {
  if (viewer.kind !== 'user') return null;
  if (message.fromUserId !== viewer.userId) return (reads.get(viewer.userId) ?? 0) >= message.seq ? 'READ' : 'UNREAD';
  const others = [...reads].filter(([userId]) => userId !== viewer.userId);
  return others.length > 0 && others.every(([, read]) => read >= message.seq) ? 'READ' : 'DELIVERED';
}

/** Users and groups share one id space: which one an id names, in the viewer's app. */
export async function resolveTarget(deps: Deps, viewer: Viewer, id: number): Promise<Target> {
  const me = requireUser(viewer);
  const [group] = await deps.db
    .select({ id: groups.id })
    .from(groups)
    .where(and(eq(groups.appId, me.appId), eq(groups.id, id)));
  return { kind: group ? CONVERSATION.GROUP : CONVERSATION.DIRECT, id };
}
