import { and, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '../../db/client.js';
import { CONVERSATION, conversations, messages, users } from '../../db/schema/index.js';
import type { Deps } from '../deps.js';
import { AuthenticationError, ForbiddenError, InvalidInputError, NotFoundError, isUniqueViolation } from '../errors.js';
import { getUser } from '../accounts/users.js';
import { messagingRefusal } from '../roster/relations.js';
import { afterCommit, transaction } from '../transactions.js';
import * as v from '../validation.js';
import { entityId, parseInput } from '../validation.js';
import type { Viewer } from '../viewer.js';
import { checkAttachment } from '../files/attachment.js';
import { findGroup, findMember, maySend } from '../groups/access.js';
import { groupConversation } from './groups.js';
import { directConversation, nextPosition, publishToConversation, toData, type Conversation, type Message, type Target } from './model.js';

const MAX_CONTENT = 10_000;
const MAX_JSON = 8_192;

const sendInput = z
  .object({
    toKind: z.union([z.literal(CONVERSATION.DIRECT), z.literal(CONVERSATION.GROUP)], { error: 'must be 1 (users) or 2 (groups)' }),
    targets: z.array(entityId).min(1, 'must name at least one target').max(100, 'must have at most 100 targets'),
    contentType: z.number().int().min(0, 'must be 0 to 7').max(7, 'must be 0 to 7'),
    content: z.string().max(MAX_CONTENT, `must be at most ${MAX_CONTENT} characters`).default(''),
    attachment: v.jsonText(MAX_JSON).default(''),
    config: v.jsonText(MAX_JSON).default(''),
    ext: v.jsonText(MAX_JSON).default(''),
    mentions: z.array(entityId).max(100, 'must have at most 100 users').default([]),
    mentionAll: z.boolean().default(false),
    transactionId: z.string().min(1, 'must not be empty').max(64, 'must be at most 64 characters').optional(),
    /** A file reference (signature or download URL) for IMAGE, AUDIO, VIDEO and FILE messages. */
    file: z.string().min(1, 'must not be empty').max(4096, 'must be at most 4096 characters').optional(),
  })
  .refine((m) => m.contentType !== 0 || m.content.trim() !== '', { path: ['content'], message: 'a text message needs content' })
  .refine((m) => new Set(m.targets).size === m.targets.length, { path: ['targets'], message: 'must not repeat a target' });
export type SendInput = z.input<typeof sendInput>;
type Parsed = z.output<typeof sendInput> & { fileRefId?: number | null };

/** Who a send is from, and whether the rules between users apply to it. */
export interface Sender {
  appId: string;
  userId: number | null;
  deviceSn: number | null;
  /** Admins (and system notices) are not held to blocks and the stranger policy. */
  privileged: boolean;
}

/**
 * Sends one message to each target (users, or groups: never both). Every target is checked
 * before anything is sent; each message then commits on its own. With a transaction id, a retry
 * answers the messages of the first attempt instead of sending again, even when concurrent.
 */
export async function sendMessage(deps: Deps, viewer: Viewer, input: SendInput & { fromUserId?: string | number }): Promise<Message[]> {
  const message = parseInput(sendInput, input);
  const sender = await senderOf(deps, viewer, input.fromUserId);
  return deliver(deps, sender, message);
}

/** Admin: a system notice, from nobody (or from `fromUserId`), to users or groups. */
export async function sendNotice(deps: Deps, viewer: Viewer, input: SendInput & { fromUserId?: string | number }): Promise<Message[]> {
  if (viewer.kind !== 'admin') throw new ForbiddenError('system notices need an admin token');
  const message = parseInput(sendInput, input);
  const fromUserId = input.fromUserId === undefined ? null : parseInput(entityId, input.fromUserId, 'fromUserId');
  if (fromUserId !== null) await requireSender(deps, viewer.appId, fromUserId);
  return deliver(deps, { appId: viewer.appId, userId: fromUserId, deviceSn: null, privileged: true }, message, true);
}

async function deliver(deps: Deps, sender: Sender, message: Parsed, system = false): Promise<Message[]> {
  const targets = message.targets.map((id): Target => ({ kind: message.toKind, id }));
  const files: (number | null)[] = [];
  for (const target of targets) {
    await checkTarget(deps, sender, target);
    files.push(await checkAttachment(deps, sender, target, message));
  }
  const sent: Message[] = [];
  for (const [i, target] of targets.entries()) sent.push(await sendOne(deps, sender, target, { ...message, fileRefId: files[i] }, system));
  return sent;
}

export async function senderOf(deps: Deps, viewer: Viewer, fromUserId: string | number | undefined): Promise<Sender> {
  if (viewer.kind === 'anonymous') throw new AuthenticationError('TOKEN_MISSING', 'an access token is required');
  if (viewer.kind === 'admin') {
    if (fromUserId === undefined) throw new InvalidInputError('fromUserId', 'an admin sends as a user: name the user');
    const userId = parseInput(entityId, fromUserId, 'fromUserId');
    await requireSender(deps, viewer.appId, userId);
    return { appId: viewer.appId, userId, deviceSn: null, privileged: true };
  }
  if (fromUserId !== undefined && Number(fromUserId) !== viewer.userId) {
    throw new ForbiddenError('only an admin token may send as another user');
  }
  if (viewer.viaAdmin) await requireSender(deps, viewer.appId, viewer.userId);
  return { appId: viewer.appId, userId: viewer.userId, deviceSn: viewer.deviceSn, privileged: viewer.viaAdmin };
}

async function requireSender(deps: Deps, appId: string, userId: number) {
  const [user] = await deps.db
    .select({ disabledAt: users.disabledAt })
    .from(users)
    .where(and(eq(users.appId, appId), eq(users.id, userId)));
  if (!user) throw new NotFoundError('USER_NOT_FOUND', `user ${userId} does not exist`);
  if (user.disabledAt) throw new AuthenticationError('USER_DISABLED', `user ${userId} is disabled`);
}

export async function checkTarget(deps: Deps, sender: Sender, target: Target) {
  if (target.kind === CONVERSATION.GROUP) return checkGroupTarget(deps, sender, target.id);
  await getUser(deps.db, sender.appId, target.id);
  if (target.id === sender.userId) throw new InvalidInputError('targets', 'you cannot message yourself');
  if (sender.privileged || sender.userId === null) return;
  const refusal = await messagingRefusal(deps.db, sender.appId, sender.userId, target.id);
  if (refusal) throw refusal;
}

/**
 * Groups take messages from members only, not while they are banned or everyone is (the owner and
 * admins excepted), and never once dissolved. Admins of the app are not held to membership or bans.
 */
async function checkGroupTarget(deps: Deps, sender: Sender, groupId: number) {
  const group = await findGroup(deps.db, sender.appId, groupId);
  if (sender.privileged || sender.userId === null) return;
  const member = await findMember(deps.db, group.id, sender.userId);
  if (!member) throw new ForbiddenError(`you are not a member of group ${group.id}`, 'NOT_GROUP_MEMBER');
  if (!maySend(group, member)) throw new ForbiddenError(`you may not send to group ${group.id} while banned`, 'BANNED_IN_GROUP');
}

/** Thrown inside a send's transaction to roll it back and answer the first attempt instead. */
class AlreadySent {
  constructor(readonly message: Message) {}
}

async function sendOne(deps: Deps, sender: Sender, target: Target, m: Parsed, system: boolean): Promise<Message> {
  try {
    return await transaction(deps.db, async (tx) => {
      const conversation = await conversationFor(tx, sender, target);
      // Locks the conversation until commit: sends to it serialise here, so seq is gap-free and
      // a concurrent retry waits, then finds the first attempt below.
      const [{ seq }] = (await tx
        .update(conversations)
        .set({ lastSeq: sql`${conversations.lastSeq} + 1`, lastMessageAt: sql`now()` })
        .where(eq(conversations.id, conversation.id))
        .returning({ seq: conversations.lastSeq })) as [{ seq: number }];
      if (m.transactionId) {
        const first = await findByTransaction(tx, conversation.id, sender.userId, m.transactionId);
        if (first) throw new AlreadySent(first);
      }
      const position = await nextPosition(tx, sender.appId);
      const [message] = await tx
        .insert(messages)
        .values({
          appId: sender.appId,
          conversationId: conversation.id,
          seq,
          sentPosition: position,
          position,
          fromUserId: sender.userId,
          fromDeviceSn: sender.deviceSn,
          toKind: target.kind,
          toId: target.id,
          contentType: m.contentType,
          content: m.content,
          attachment: m.attachment,
          config: m.config,
          ext: m.ext,
          mentions: m.mentions,
          mentionAll: m.mentionAll,
          system,
          transactionId: m.transactionId ?? null,
          fileRefId: m.fileRefId ?? null,
        })
        .returning();
      publishNew(deps, tx, conversation, message!);
      return message!;
    });
  } catch (error) {
    if (error instanceof AlreadySent) return error.message;
    if (m.transactionId && isUniqueViolation(error, 'messages_transaction_key')) {
      const conversation = await conversationFor(deps.db, sender, target);
      return (await findByTransaction(deps.db, conversation.id, sender.userId, m.transactionId))!;
    }
    throw error;
  }
}

async function conversationFor(tx: Queryable, sender: Sender, target: Target): Promise<Conversation> {
  if (target.kind === CONVERSATION.GROUP) return groupConversation(tx, sender.appId, target.id);
  // A system notice without a sender lands in the conversation of the target with itself.
  return directConversation(tx, sender.appId, sender.userId ?? target.id, target.id);
}

async function findByTransaction(tx: Queryable, conversationId: number, fromUserId: number | null, transactionId: string) {
  const [row] = await tx
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.conversationId, conversationId),
        fromUserId === null ? isNull(messages.fromUserId) : eq(messages.fromUserId, fromUserId),
        eq(messages.transactionId, transactionId),
      ),
    );
  return row;
}

/** Everyone in the conversation hears of a message (the sender's other devices too). */
function publishNew(deps: Deps, tx: Queryable, conversation: Conversation, message: Message) {
  afterCommit(tx, () => publishToConversation(deps, conversation, { type: 'MESSAGE', at: Date.now(), message: toData(message) }));
}
