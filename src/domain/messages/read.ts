import { and, asc, desc, eq, gt, lt, lte, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '../../db/client.js';
import { CONVERSATION, conversationMembers, conversations, groups, messages } from '../../db/schema/index.js';
import { userKey } from '../../realtime/events.js';
import type { Deps } from '../deps.js';
import { findGroup } from '../groups/access.js';
import { InvalidInputError, NotFoundError } from '../errors.js';
import { afterCommit, transaction } from '../transactions.js';
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
export async function listConversations(
  deps: Deps,
  viewer: Viewer,
  page: { after?: { at: number; id: number }; limit: number },
): Promise<ConversationSummary[]> {
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
        page.after
          ? or(
              lt(conversations.lastMessageAt, new Date(page.after.at)),
              and(eq(conversations.lastMessageAt, new Date(page.after.at)), lt(conversations.id, page.after.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(conversations.lastMessageAt), desc(conversations.id))
    .limit(page.limit);
  return rows.map((r) => ({ ...r, target: targetOf(r.conversation, me.userId) }));
}

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

export interface HistoryPage {
  messages: Message[];
  hasMore: boolean;
  member: ConversationMember;
  conversation: Conversation;
}

/**
 * Messages of a conversation the viewer may see, by seq: `limit` after `after` (forward), or
 * `limit` before `before` (backward; the newest when neither is given). Oldest first either way.
 */
export async function history(
  deps: Deps,
  viewer: Viewer,
  target: Target,
  page: { after?: number; before?: number; limit: number; backward: boolean },
): Promise<HistoryPage> {
  const me = requireUser(viewer);
  const view = await findMembership(deps.db, me, parseInput(targetInput, target, 'conversation'));
  if (!view) return { messages: [], hasMore: false, member: undefined as never, conversation: undefined as never };
  const floor = visibleAfter(view.member);
  const where = and(
    eq(messages.conversationId, view.conversation.id),
    gt(messages.seq, Math.max(floor, page.after ?? 0)),
    page.before === undefined ? undefined : lt(messages.seq, page.before),
  );
  const rows = await deps.db
    .select()
    .from(messages)
    .where(where)
    .orderBy(page.backward ? desc(messages.seq) : asc(messages.seq))
    .limit(page.limit + 1);
  const hasMore = rows.length > page.limit;
  const slice = rows.slice(0, page.limit);
  return { messages: page.backward ? slice.reverse() : slice, hasMore, ...view };
}

/** The seq of a message of the viewer's conversation with `target`. */
export async function seqOfMessage(deps: Deps, viewer: Viewer, target: Target, messageId: number | string): Promise<number | undefined> {
  const me = requireUser(viewer);
  const view = await findMembership(deps.db, me, target);
  if (!view) return undefined;
  const [row] = await deps.db
    .select({ seq: messages.seq })
    .from(messages)
    .where(and(eq(messages.conversationId, view.conversation.id), eq(messages.id, Number(messageId))));
  return row?.seq;
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
