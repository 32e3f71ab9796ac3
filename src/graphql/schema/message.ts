import { AuthenticationError, ForbiddenError, InvalidInputError, NotFoundError } from '../../domain/errors.js';
import { editMessage, recallMessage, sendTyping } from '../../domain/messages/changes.js';
import { toData, type Target } from '../../domain/messages/model.js';
import {
  conversationCursor,
  deleteConversation,
  history,
  listConversations,
  markRead,
  messageStatus,
  resolveTarget,
  type ConversationSummary,
} from '../../domain/messages/read.js';
import { sendMessage, sendNotice } from '../../domain/messages/send.js';
import { entityId, parseInput } from '../../domain/validation.js';
import { CONTENT_TYPES, CONVERSATION, type MessageData } from '../../domain/messages/vocabulary.js';
import type { Context } from '../../context.js';
import { builder } from '../builder.js';
import { forwardConnection } from '../pagination.js';
import { EventInterface, registerEventType, type Delivered } from './event.js';
import { UserRef } from './user.js';
import type { User } from '../../domain/accounts/users.js';

const ContentType = builder.enumType('ContentType', {
  values: Object.fromEntries(CONTENT_TYPES.map((name, value) => [name, { value }])) as Record<(typeof CONTENT_TYPES)[number], { value: number }>,
});

const TargetKind = builder.enumType('TargetKind', {
  values: { USER: { value: CONVERSATION.DIRECT }, GROUP: { value: CONVERSATION.GROUP } } as const,
});

const TargetRef = builder.objectRef<Target>('MessageTarget').implement({
  description: 'A conversation as its member names it: the other user, or the group.',
  fields: (t) => ({
    kind: t.field({ type: TargetKind, resolve: (target) => target.kind }),
    id: t.exposeID('id'),
    user: t.field({
      type: UserRef,
      nullable: true,
      resolve: async (target, _a, { loaders }) => (target.kind === CONVERSATION.DIRECT ? ((await loaders.user.load(target.id)) ?? null) : null),
    }),
  }),
});

const MessageStatus = builder.enumType('MessageStatus', {
  description: "For the viewer's own messages: DELIVERED, or READ once the other side read them; for others': UNREAD or READ.",
  values: ['UNREAD', 'DELIVERED', 'READ'] as const,
});

/**
 * The sender of a message, loaded once per message object. A live message reaches every
 * subscriber of its conversation in this process as the same object (the bus hands each listener
 * the payload it received), so a group of 500 loads its sender once per message, not once per
 * member: no query per delivered event. All receivers of a message are of its app, which scopes
 * the loader, and the row is what any of them would have loaded at that moment.
 */
const senders = new WeakMap<MessageData, Promise<User | undefined>>();
function senderOf(m: MessageData, fromUserId: number, loaders: Context['loaders']): Promise<User | undefined> {
  let sender = senders.get(m);
  if (!sender) senders.set(m, (sender = loaders.user.load(fromUserId)));
  return sender;
}

/** Messages travel as plain data (from the bus or the database alike). */
export const MessageRef = builder.objectRef<MessageData>('Message').implement({
  description: 'A message, stored once and seen by everyone in its conversation.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Unique, and ordered by time.' }),
    conversationId: t.exposeID('conversationId'),
    seq: t.exposeInt('seq', { description: 'Position in its conversation: 1, 2, 3… without gaps.' }),
    from: t.field({
      type: UserRef,
      nullable: true,
      description: 'The sender; null for a system notice.',
      resolve: async (m, _a, { loaders }) => (m.fromUserId === null ? null : ((await senderOf(m, m.fromUserId, loaders)) ?? null)),
    }),
    fromDeviceSn: t.exposeInt('fromDeviceSn', { nullable: true }),
    to: t.field({
      type: TargetRef,
      description: 'The receiving user or group.',
      resolve: (m) => ({ kind: m.toKind as Target['kind'], id: m.toId }),
    }),
    contentType: t.field({ type: ContentType, resolve: (m) => m.contentType }),
    content: t.exposeString('content'),
    attachment: t.exposeString('attachment', { description: 'JSON text.' }),
    config: t.exposeString('config', { description: 'JSON text.' }),
    ext: t.exposeString('ext', { description: 'JSON text.' }),
    mentions: t.idList({ resolve: (m) => m.mentions }),
    mentionAll: t.exposeBoolean('mentionAll'),
    system: t.exposeBoolean('system', { description: 'A system notice from the app.' }),
    createdAt: t.field({ type: 'Timestamp', resolve: (m) => new Date(m.createdAt) }),
    editedAt: t.field({ type: 'Timestamp', nullable: true, resolve: (m) => (m.editedAt === null ? null : new Date(m.editedAt)) }),
    recalled: t.boolean({ description: 'Recalled by its sender: the content is gone.', resolve: (m) => m.recalledAt !== null }),
    status: t.field({
      type: MessageStatus,
      nullable: true,
      description: 'Read status as the viewer sees it.',
      resolve: async (m, _a, { viewer, loaders }) => (viewer.kind === 'user' ? messageStatus(viewer, m, await loaders.reads.load(m.conversationId)) : null),
    }),
  }),
});

const ConversationRef = builder.objectRef<ConversationSummary>('Conversation').implement({
  description: "One of the viewer's conversations.",
  fields: (t) => ({
    id: t.id({ resolve: (c) => c.conversation.id }),
    target: t.field({ type: TargetRef, resolve: (c) => c.target }),
    lastMessage: t.field({ type: MessageRef, nullable: true, resolve: (c) => (c.lastMessage ? toData(c.lastMessage) : null) }),
    unreadCount: t.exposeInt('unread', { description: "Messages after the viewer's read position, not their own." }),
    readSeq: t.int({ resolve: (c) => c.member.readSeq }),
    lastSeq: t.int({ resolve: (c) => c.conversation.lastSeq }),
    lastMessageAt: t.field({ type: 'Timestamp', nullable: true, resolve: (c) => c.conversation.lastMessageAt }),
  }),
});

export const ConversationInput = builder.inputType('ConversationInput', {
  description:
    'Names a conversation: give exactly one of userId (the other user), groupId, or id (either: users and groups share one id space).',
  fields: (t) => ({ userId: t.id(), groupId: t.id(), id: t.id() }),
});

export async function targetFrom(
  input: { userId?: string | null; groupId?: string | null; id?: string | null },
  { deps, viewer }: Context,
): Promise<Target> {
  const given = [input.userId, input.groupId, input.id].filter((x) => x != null);
  if (given.length !== 1) throw new InvalidInputError('conversation', 'give exactly one of userId, groupId or id');
  if (input.userId != null) return { kind: CONVERSATION.DIRECT, id: parseInput(entityId, input.userId, 'conversation.userId') };
  if (input.groupId != null) return { kind: CONVERSATION.GROUP, id: parseInput(entityId, input.groupId, 'conversation.groupId') };
  return resolveTarget(deps, viewer, parseInput(entityId, input.id, 'conversation.id'));
}

const SendMessageInput = builder.inputType('SendMessageInput', {
  fields: (t) => ({
    toKind: t.field({ type: TargetKind, required: true, description: 'Users or groups; never both at once.' }),
    targets: t.idList({ required: true, description: 'Up to 100 user or group ids; one message each.' }),
    contentType: t.field({ type: ContentType, required: true }),
    content: t.string({ description: 'Up to 10000 characters; a TEXT message needs some.' }),
    attachment: t.string({ description: 'JSON text, up to 8 KiB.' }),
    config: t.string({ description: 'JSON text, up to 8 KiB.' }),
    ext: t.string({ description: 'JSON text, up to 8 KiB.' }),
    mentions: t.idList({ description: 'Users @-mentioned (groups).' }),
    mentionAll: t.boolean({ description: '@all (groups).' }),
    transactionId: t.string({ description: 'A client id for the send: a retry with the same id answers the first messages, never sends twice.' }),
    fromUserId: t.id({ description: 'Admin tokens: the user to send as.' }),
    file: t.string({
      description:
        'IMAGE, AUDIO, VIDEO and FILE messages: the file they carry, as a `StoredFile.reference` or download URL made for this conversation (upload it for this conversation, or forwardFile).',
    }),
  }),
});

type SendArgs = Parameters<typeof sendMessage>[2];
const sendArgs = (i: typeof SendMessageInput.$inferInput): SendArgs => ({
  toKind: i.toKind as 1 | 2,
  targets: i.targets,
  contentType: i.contentType,
  content: i.content ?? undefined,
  attachment: i.attachment ?? undefined,
  config: i.config ?? undefined,
  ext: i.ext ?? undefined,
  mentions: i.mentions ?? undefined,
  mentionAll: i.mentionAll ?? undefined,
  transactionId: i.transactionId ?? undefined,
  fromUserId: i.fromUserId ?? undefined,
  file: i.file ?? undefined,
});


builder.queryFields((t) => ({
  messages: t.connection({
    type: MessageRef,
    description:
      'Messages of a conversation the viewer may see, oldest first within a page. `last`/`before` page back from the newest; `first`/`after` page forward. Cursors are seqs.',
    authScopes: { user: true },
    args: {
      conversation: t.arg({ type: ConversationInput, required: true }),
      beforeMessageId: t.arg.id({ description: 'Like `before`, naming a message by id instead of seq.' }),
    },
    resolve: async (_root, args, ctx) => {
      const page = await history(ctx.deps, ctx.viewer, await targetFrom(args.conversation, ctx), args);
      const edges = page.messages.map((m) => ({ cursor: String(m.seq), node: toData(m) }));
      const { hasPreviousPage, hasNextPage } = page;
      return { edges, pageInfo: { hasPreviousPage, hasNextPage, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null } };
    },
  }),
  conversations: t.connection({
    type: ConversationRef,
    description: "The viewer's conversations, most recent first, with their last message and unread count.",
    authScopes: { user: true },
    resolve: (_root, args, { deps, viewer }) =>
      forwardConnection(args, (after, limit) => listConversations(deps, viewer, { after, limit }), conversationCursor),
  }),
}));

const SEND_ERRORS = [InvalidInputError, NotFoundError, ForbiddenError, AuthenticationError];

builder.mutationFields((t) => ({
  sendMessage: t.field({
    type: [MessageRef],
    description: 'Sends a message to each target. Every target is checked first; nothing is sent if one is refused.',
    authScopes: { signedIn: true },
    errors: { types: SEND_ERRORS, directResult: false },
    args: { input: t.arg({ type: SendMessageInput, required: true }) },
    resolve: async (_root, { input }, { deps, viewer }) => (await sendMessage(deps, viewer, sendArgs(input))).map(toData),
  }),
  sendNotice: t.field({
    type: [MessageRef],
    description: 'Admin: a system notice to users or groups, from nobody or from fromUserId.',
    authScopes: { admin: true },
    errors: { types: SEND_ERRORS, directResult: false },
    args: { input: t.arg({ type: SendMessageInput, required: true }) },
    resolve: async (_root, { input }, { deps, viewer }) => (await sendNotice(deps, viewer, sendArgs(input))).map(toData),
  }),
  markRead: t.int({
    description:
      'Marks a conversation read up to a message (by id or seq; all when neither). The viewer’s other devices and the sender hear of it. Answers the read seq.',
    authScopes: { user: true },
    errors: { types: [InvalidInputError, NotFoundError], directResult: false },
    args: { conversation: t.arg({ type: ConversationInput, required: true }), messageId: t.arg.id(), seq: t.arg.int() },
    resolve: async (_root, args, ctx) =>
      markRead(ctx.deps, ctx.viewer, await targetFrom(args.conversation, ctx), { messageId: args.messageId ?? undefined, seq: args.seq ?? undefined }),
  }),
  deleteConversation: t.boolean({
    description: 'Deletes a conversation for the viewer only: what came before is hidden from them.',
    authScopes: { user: true },
    errors: { types: [InvalidInputError, NotFoundError], directResult: false },
    args: { conversation: t.arg({ type: ConversationInput, required: true }) },
    resolve: async (_root, args, ctx) => deleteConversation(ctx.deps, ctx.viewer, await targetFrom(args.conversation, ctx)),
  }),
  editMessage: t.field({
    type: MessageRef,
    description: "Edits the viewer's own text message.",
    authScopes: { user: true },
    errors: { types: [InvalidInputError, NotFoundError] },
    args: { messageId: t.arg.id({ required: true }), content: t.arg.string({ required: true }) },
    resolve: async (_root, args, { deps, viewer }) => toData(await editMessage(deps, viewer, args.messageId, args.content)),
  }),
  recallMessage: t.field({
    type: MessageRef,
    description: "Recalls the viewer's own message within the recall window; its content is erased for everyone.",
    authScopes: { user: true },
    errors: { types: [InvalidInputError, NotFoundError, ForbiddenError] },
    args: { messageId: t.arg.id({ required: true }) },
    resolve: async (_root, args, { deps, viewer }) => toData(await recallMessage(deps, viewer, args.messageId)),
  }),
  sendTyping: t.boolean({
    description: 'Tells the other side the viewer is typing (never stored).',
    authScopes: { user: true },
    errors: { types: [InvalidInputError], directResult: false },
    args: { conversation: t.arg({ type: ConversationInput, required: true }) },
    resolve: async (_root, args, ctx) => sendTyping(ctx.deps, ctx.viewer, await targetFrom(args.conversation, ctx)),
  }),
}));

// Live events.
type Of<T extends Delivered['type']> = Extract<Delivered, { type: T }>;
const targetOfEvent = (e: { toKind: number; toId: number }): Target => ({ kind: e.toKind as Target['kind'], id: e.toId });
const userOf = async (id: number, { loaders }: Context) => (await loaders.user.load(id))!;

registerEventType('MESSAGE', 'MessageEvent');
builder.objectRef<Of<'MESSAGE'>>('MessageEvent').implement({
  description: 'A new message in one of the viewer’s conversations (their own too, from any device).',
  interfaces: [EventInterface],
  fields: (t) => ({ message: t.field({ type: MessageRef, resolve: (e) => e.message }) }),
});

registerEventType('MESSAGE_CHANGED', 'MessageChangedEvent');
builder.objectRef<Of<'MESSAGE_CHANGED'>>('MessageChangedEvent').implement({
  description: 'A message was edited or recalled: here it is as it is now.',
  interfaces: [EventInterface],
  fields: (t) => ({ message: t.field({ type: MessageRef, resolve: (e) => e.message }) }),
});

registerEventType('READ_POSITION', 'ReadPositionEvent');
builder.objectRef<Of<'READ_POSITION'>>('ReadPositionEvent').implement({
  description: 'The viewer read a conversation up to seq (on some device).',
  interfaces: [EventInterface],
  fields: (t) => ({
    conversation: t.field({ type: TargetRef, resolve: targetOfEvent }),
    seq: t.exposeInt('seq'),
  }),
});

registerEventType('MESSAGE_READ', 'MessageReadEvent');
builder.objectRef<Of<'MESSAGE_READ'>>('MessageReadEvent').implement({
  description: "A read receipt: reader read the viewer's messages up to seq.",
  interfaces: [EventInterface],
  fields: (t) => ({
    conversation: t.field({ type: TargetRef, resolve: targetOfEvent }),
    reader: t.field({ type: UserRef, resolve: (e, _a, ctx) => userOf(e.readerId, ctx) }),
    seq: t.exposeInt('seq'),
  }),
});

registerEventType('CONVERSATION_DELETED', 'ConversationDeletedEvent');
builder.objectRef<Of<'CONVERSATION_DELETED'>>('ConversationDeletedEvent').implement({
  description: 'The viewer deleted a conversation (on some device).',
  interfaces: [EventInterface],
  fields: (t) => ({ conversation: t.field({ type: TargetRef, resolve: targetOfEvent }) }),
});

registerEventType('TYPING', 'TypingEvent');
builder.objectRef<Of<'TYPING'>>('TypingEvent').implement({
  description: 'Someone is typing in a conversation of the viewer.',
  interfaces: [EventInterface],
  fields: (t) => ({
    conversation: t.field({ type: TargetRef, resolve: targetOfEvent }),
    from: t.field({ type: UserRef, resolve: (e, _a, ctx) => userOf(e.fromUserId, ctx) }),
  }),
});

