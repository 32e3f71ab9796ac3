import { and, eq, inArray } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { conversationMembers, conversations } from '../../db/schema/index.js';
import { CONVERSATION } from './vocabulary.js';
import type { Conversation } from './model.js';

/** The conversation of a group, created on first use. */
export async function groupConversation(db: Queryable, appId: string, groupId: number): Promise<Conversation> {
  const where = and(eq(conversations.appId, appId), eq(conversations.kind, CONVERSATION.GROUP), eq(conversations.groupId, groupId));
  const [existing] = await db.select().from(conversations).where(where);
  if (existing) return existing;
  await db.insert(conversations).values({ appId, kind: CONVERSATION.GROUP, groupId }).onConflictDoNothing();
  const [created] = await db.select().from(conversations).where(where);
  return created!;
}

/**
 * New members take part in the group's conversation. Without visible history they see only what
 * is sent after they joined.
 */
export async function joinGroupConversation(
  db: Queryable,
  group: { appId: string; id: number; historyVisible: boolean },
  userIds: number[],
) {
  if (userIds.length === 0) return;
  const conversation = await groupConversation(db, group.appId, group.id);
  const joinedSeq = group.historyVisible ? 0 : conversation.lastSeq;
  await db
    .insert(conversationMembers)
    .values(userIds.map((userId) => ({ appId: group.appId, conversationId: conversation.id, userId, joinedSeq, readSeq: joinedSeq })))
    .onConflictDoUpdate({
      target: [conversationMembers.conversationId, conversationMembers.userId],
      set: { joinedSeq, readSeq: joinedSeq, clearedSeq: 0, active: true },
    });
}

/** Former members no longer take part in the group's conversation. */
export async function leaveGroupConversation(db: Queryable, group: { appId: string; id: number }, userIds: number[]) {
  if (userIds.length === 0) return;
  const conversation = await groupConversation(db, group.appId, group.id);
  await db
    .delete(conversationMembers)
    .where(and(eq(conversationMembers.conversationId, conversation.id), inArray(conversationMembers.userId, userIds)));
}

/** The group conversations the user takes part in, with their group ids. */
export async function groupConversationsOf(db: Queryable, appId: string, userId: number) {
  return db
    .select({ conversationId: conversations.id, groupId: conversations.groupId })
    .from(conversationMembers)
    .innerJoin(conversations, eq(conversations.id, conversationMembers.conversationId))
    .where(and(eq(conversationMembers.appId, appId), eq(conversationMembers.userId, userId), eq(conversations.kind, CONVERSATION.GROUP)));
}
