import { and, eq, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { conversationMembers, conversations, messages, messageStreams } from '../../db/schema/index.js';
import { CONVERSATION, type MessageData } from './vocabulary.js';
import { conversationKey, userKey, type MessageEvent } from '../../realtime/events.js';
import type { Deps } from '../deps.js';

export type Message = typeof messages.$inferSelect;
export type Conversation = typeof conversations.$inferSelect;
export type ConversationMember = typeof conversationMembers.$inferSelect;

/** What publishing to a conversation needs to know of it. */
export type ConversationAddress = Pick<Conversation, 'id' | 'appId' | 'kind' | 'userLow' | 'userHigh' | 'groupId'>;

/** A conversation as a client names it: the other user, or the group. */
export interface Target {
  kind: typeof CONVERSATION.DIRECT | typeof CONVERSATION.GROUP;
  id: number;
}

export const toData = (m: Message): MessageData => ({
  id: m.id,
  appId: m.appId,
  conversationId: m.conversationId,
  seq: m.seq,
  sentPosition: m.sentPosition,
  position: m.position,
  fromUserId: m.fromUserId,
  fromDeviceSn: m.fromDeviceSn,
  toKind: m.toKind,
  toId: m.toId,
  contentType: m.contentType,
  content: m.content,
  attachment: m.attachment,
  config: m.config,
  ext: m.ext,
  mentions: m.mentions,
  mentionAll: m.mentionAll,
  system: m.system,
  fileRefId: m.fileRefId,
  createdAt: m.createdAt.getTime(),
  editedAt: m.editedAt?.getTime() ?? null,
  recalledAt: m.recalledAt?.getTime() ?? null,
});

/**
 * The next position of the app's message stream, for a change in a conversation, which then
 * records it as its latest change. The conversation is locked first and the stream-position row
 * last, in the order a batch of sends takes them, and both stay locked until the transaction ends:
 * positions are gap-free and in commit order. Take it just before committing.
 */
export async function nextPosition(tx: Queryable, conversation: Pick<Conversation, 'id' | 'appId'>): Promise<number> {
  await tx.select({ id: conversations.id }).from(conversations).where(eq(conversations.id, conversation.id)).for('no key update');
  const [row] = await tx
    .insert(messageStreams)
    .values({ appId: conversation.appId, position: 1 })
    .onConflictDoUpdate({ target: messageStreams.appId, set: { position: sql`${messageStreams.position} + 1` } })
    .returning({ position: messageStreams.position });
  await tx.update(conversations).set({ position: row!.position }).where(eq(conversations.id, conversation.id));
  return row!.position;
}

/** The current position of the app's message stream (everything at or below it has committed). */
export async function currentPosition(db: Queryable, appId: string): Promise<number> {
  const [row] = await db.select({ position: messageStreams.position }).from(messageStreams).where(eq(messageStreams.appId, appId));
  return row?.position ?? 0;
}

/**
 * The 1:1 conversation of two users, created (with both members) on first use. The conversation
 * and its members commit together: a conversation left without members by a failure in between
 * (a server stopped mid-send, say) would be found by every later send, which would then store
 * messages its users never see in history or on resume.
 */
export async function directConversation(db: Queryable, appId: string, a: number, b: number): Promise<Conversation> {
  const [userLow, userHigh] = a < b ? [a, b] : [b, a];
  const where = and(
    eq(conversations.appId, appId),
    eq(conversations.kind, CONVERSATION.DIRECT),
    eq(conversations.userLow, userLow),
    eq(conversations.userHigh, userHigh),
  );
  const [existing] = await db.select().from(conversations).where(where);
  if (existing) return existing;
  return db.transaction(async (tx) => {
    await tx.insert(conversations).values({ appId, kind: CONVERSATION.DIRECT, userLow, userHigh }).onConflictDoNothing();
    const [conversation] = await tx.select().from(conversations).where(where);
    await tx
      .insert(conversationMembers)
      .values([...new Set([a, b])].map((userId) => ({ appId, conversationId: conversation!.id, userId })))
      .onConflictDoNothing();
    return conversation!;
  });
}

/** Where a member's view of a conversation starts: nothing at or below this seq is theirs to see. */
export const visibleAfter = (member: Pick<ConversationMember, 'clearedSeq' | 'joinedSeq'>) =>
  Math.max(member.clearedSeq, member.joinedSeq);

/** The target of a conversation as seen by one of its members. */
export function targetOf(conversation: Conversation, viewerId: number): Target {
  if (conversation.kind === CONVERSATION.GROUP) return { kind: CONVERSATION.GROUP, id: conversation.groupId! };
  return { kind: CONVERSATION.DIRECT, id: conversation.userLow === viewerId ? conversation.userHigh! : conversation.userLow! };
}

/**
 * Publishes to everyone in a conversation: both users of a 1:1 conversation on their own
 * channels, a group once on its conversation channel, which its members' streams follow.
 */
export function publishToConversation(deps: Deps, conversation: ConversationAddress, event: MessageEvent) {
  if (conversation.kind === CONVERSATION.GROUP) {
    deps.events.publish('conversation', conversationKey(conversation.appId, conversation.id), event);
    return;
  }
  for (const userId of new Set([conversation.userLow!, conversation.userHigh!])) {
    deps.events.publish('user', userKey(conversation.appId, userId), event);
  }
}
