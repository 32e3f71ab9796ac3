import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '../../db/client.js';
import { conversations, messages } from '../../db/schema/index.js';
import { CONVERSATION } from './vocabulary.js';
import { userKey } from '../../realtime/events.js';
import type { Deps } from '../deps.js';
import { ForbiddenError, InvalidInputError, NotFoundError } from '../errors.js';
import { hasBlocked } from '../roster/relations.js';
import { afterCommit, transaction } from '../transactions.js';
import { entityId, parseInput } from '../validation.js';
import { requireUser, type UserViewer, type Viewer } from '../viewer.js';
import { atLeast, findGroup, findMember, roleOf } from '../groups/access.js';
import { nextPosition, publishToConversation, toData, type Conversation, type Message, type Target } from './model.js';
import { findMembership } from './read.js';
import { emitEvent } from '../push/outbox.js';

/** A message, locked for change, and its conversation. */
async function lockedMessage(tx: Queryable, me: UserViewer, messageId: string | number) {
  const id = parseInput(entityId, messageId, 'messageId');
  const [row] = await tx
    .select({ message: messages, conversation: conversations })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(and(eq(messages.id, id), eq(messages.appId, me.appId)))
    .for('update', { of: messages });
  if (!row) throw new NotFoundError('MESSAGE_NOT_FOUND', `message ${id} does not exist`);
  if (row.message.recalledAt) throw new InvalidInputError('messageId', 'the message was recalled');
  return row;
}

/** The viewer's own message, locked for change. */
async function ownMessage(tx: Queryable, me: UserViewer, messageId: string | number) {
  const row = await lockedMessage(tx, me, messageId);
  if (row.message.fromUserId !== me.userId) throw new NotFoundError('MESSAGE_NOT_FOUND', `message ${row.message.id} is not yours`);
  return row;
}

/** Whether the viewer is an owner or admin of the group of a group conversation. */
async function isGroupAdmin(tx: Queryable, me: UserViewer, conversation: Conversation): Promise<boolean> {
  if (conversation.kind !== CONVERSATION.GROUP) return false;
  const group = await findGroup(tx, me.appId, conversation.groupId!, { dissolved: true });
  return atLeast(roleOf(group, await findMember(tx, group.id, me.userId)), 'ADMIN');
}

const editInput = z.string().trim().min(1, 'must not be empty').max(10_000, 'must be at most 10000 characters');

/** Edits the viewer's own text message; everyone in the conversation sees the new text. */
export async function editMessage(deps: Deps, viewer: Viewer, messageId: string | number, content: string): Promise<Message> {
  const me = requireUser(viewer);
  const text = parseInput(editInput, content, 'content');
  return transaction(deps.db, async (tx) => {
    const { message, conversation } = await ownMessage(tx, me, messageId);
    if (message.contentType !== 0) throw new InvalidInputError('messageId', 'only text messages can be edited');
    const [edited] = await tx
      .update(messages)
      .set({ content: text, editedAt: new Date(), position: await nextPosition(tx, conversation) })
      .where(eq(messages.id, message.id))
      .returning();
    publishChange(deps, tx, conversation, edited!);
    await emitEvent(tx, me.appId, 'message.edited', edited!.id, { ...changedData(edited!), content: text, editedByUserId: String(me.userId) });
    return edited!;
  });
}

/**
 * Recalls a message: its content is erased for everyone. Senders may recall their own within the
 * recall window; group owners and admins any message of their group, at any time.
 */
export async function recallMessage(deps: Deps, viewer: Viewer, messageId: string | number): Promise<Message> {
  const me = requireUser(viewer);
  return transaction(deps.db, async (tx) => {
    const { message, conversation } = await lockedMessage(tx, me, messageId);
    const admin = await isGroupAdmin(tx, me, conversation);
    if (!admin && message.fromUserId !== me.userId) throw new NotFoundError('MESSAGE_NOT_FOUND', `message ${message.id} is not yours`);
    const windowMs = deps.config.messageRecallSeconds * 1000;
    if (!admin && Date.now() - message.createdAt.getTime() > windowMs) {
      throw new ForbiddenError(`messages can be recalled for ${deps.config.messageRecallSeconds} seconds`, 'RECALL_EXPIRED');
    }
    const [recalled] = await tx
      .update(messages)
      .set({ content: '', attachment: '', config: '', ext: '', recalledAt: new Date(), position: await nextPosition(tx, conversation) })
      .where(eq(messages.id, message.id))
      .returning();
    publishChange(deps, tx, conversation, recalled!);
    // Besides the app server's webhook, this event withdraws the message's offline notifications.
    await emitEvent(tx, me.appId, 'message.recalled', recalled!.id, { ...changedData(recalled!), recalledByUserId: String(me.userId) });
    return recalled!;
  });
}

/** What a webhook hears of a changed message (ids as decimal strings: they are 64-bit). */
function changedData(m: Message) {
  return {
    messageId: String(m.id),
    conversationId: String(m.conversationId),
    fromUserId: m.fromUserId === null ? null : String(m.fromUserId),
    toKind: m.toKind === CONVERSATION.GROUP ? 'GROUP' : 'USER',
    toId: String(m.toId),
  };
}

function publishChange(deps: Deps, tx: Queryable, conversation: Conversation, message: Message) {
  afterCommit(tx, () => publishToConversation(deps, conversation, { type: 'MESSAGE_CHANGED', at: Date.now(), message: toData(message) }));
}

/** Tells the other side (or the group) the viewer is typing. Never stored. */
export async function sendTyping(deps: Deps, viewer: Viewer, target: Target): Promise<boolean> {
  const me = requireUser(viewer);
  if (target.kind === CONVERSATION.GROUP) {
    const view = await findMembership(deps.db, me, target);
    if (!view) throw new ForbiddenError(`you are not a member of group ${target.id}`, 'NOT_GROUP_MEMBER');
    publishToConversation(deps, view.conversation, { type: 'TYPING', at: Date.now(), fromUserId: me.userId, toKind: CONVERSATION.GROUP, toId: target.id });
    return true;
  }
  const peer = parseInput(entityId, target.id, 'conversation.id');
  if (peer === me.userId) throw new InvalidInputError('conversation.id', 'you cannot type to yourself');
  // Nobody hears typing through a block; the viewer is not told, as with a sent message.
  if (await hasBlocked(deps.db, peer, me.userId)) return true;
  if (!(await findMembership(deps.db, me, { kind: CONVERSATION.DIRECT, id: peer }))) return true;
  deps.events.publish('user', userKey(me.appId, peer), {
    type: 'TYPING',
    at: Date.now(),
    fromUserId: me.userId,
    toKind: CONVERSATION.DIRECT,
    toId: me.userId,
  });
  return true;
}
