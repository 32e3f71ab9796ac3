import { AuthenticationError, ForbiddenError, InvalidInputError, NotFoundError } from '../../domain/errors.js';
import { editMessage, recallMessage, sendTyping } from '../../domain/messages/changes.js';
import { toData, type Target } from '../../domain/messages/model.js';
import {
  conversationCursor,
  countConversations,
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
import { builder, jsonText, jsonValue } from '../builder.js';
import { connectionOf, counted, forwardConnection } from '../pagination.js';
import { EventInterface, registerEventType, type Delivered } from './event.js';
import { UserRef } from './user.js';
import type { User } from '../../domain/accounts/users.js';

const CONTENT_TYPE_DESCRIPTIONS: Record<(typeof CONTENT_TYPES)[number], string> = {
  TEXT: 'Text in `content`.',
  IMAGE: 'An image file (`file`), with an optional caption in `content`.',
  AUDIO: 'An audio file (`file`).',
  VIDEO: 'A video file (`file`).',
  FILE: 'Any other file (`file`).',
  LOCATION: 'A place, described by the app in `attachment`.',
  COMMAND: 'An app-defined command in `content`/`attachment`; clients need not show it.',
  FORWARD: 'Forwarded messages, described by the app in `attachment`.',
};

const ContentType = builder.enumType('ContentType', {
  description: 'What a message carries.',
  values: Object.fromEntries(CONTENT_TYPES.map((name, value) => [name, { value, description: CONTENT_TYPE_DESCRIPTIONS[name] }])) as Record<
    (typeof CONTENT_TYPES)[number],
    { value: number; description: string }
  >,
});

const TargetKind = builder.enumType('TargetKind', {
  description: 'Whom a message goes to.',
  values: {
    USER: { value: CONVERSATION.DIRECT, description: 'A user: the conversation of two.' },
    GROUP: { value: CONVERSATION.GROUP, description: "A group: every member's conversation." },
  } as const,
});

const TargetRef = builder.objectRef<Target>('MessageTarget').implement({
  description: 'A conversation as its member names it: the other user, or the group.',
  fields: (t) => ({
    kind: t.field({ type: TargetKind, description: 'A user or a group.', resolve: (target) => target.kind }),
    id: t.exposeID('id', { description: 'The user id or the group id.' }),
    user: t.field({
      type: UserRef,
      nullable: true,
      description: 'The other user; null for a group (or a user who is gone).',
      resolve: async (target, _a, { loaders }) => (target.kind === CONVERSATION.DIRECT ? ((await loaders.user.load(target.id)) ?? null) : null),
    }),
  }),
});

const MessageStatus = builder.enumType('MessageStatus', {
  description: "For the viewer's own messages: DELIVERED, or READ once the other side read them; for others': UNREAD or READ.",
  values: {
    UNREAD: { description: "Another's message the viewer has not read." },
    DELIVERED: { description: "The viewer's own message, not yet read by the other side." },
    READ: { description: 'Read (by the viewer, or for their own messages by the other side).' },
  } as const,
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
    conversationId: t.exposeID('conversationId', { description: 'The conversation the message is in (`Conversation.id`).' }),
    seq: t.exposeInt('seq', { description: 'Position in its conversation: 1, 2, 3… without gaps.' }),
    from: t.field({
      type: UserRef,
      nullable: true,
      description: 'The sender; null for a system notice.',
      resolve: async (m, _a, { loaders }) => (m.fromUserId === null ? null : ((await senderOf(m, m.fromUserId, loaders)) ?? null)),
    }),
    fromDeviceSn: t.exposeInt('fromDeviceSn', { nullable: true, description: "The sender's device that sent it; null when not sent from a known device." }),
    to: t.field({
      type: TargetRef,
      description: 'The receiving user or group.',
      resolve: (m) => ({ kind: m.toKind as Target['kind'], id: m.toId }),
    }),
    contentType: t.field({ type: ContentType, description: 'What the message carries.', resolve: (m) => m.contentType }),
    content: t.exposeString('content', { description: 'The text; empty when none or recalled.' }),
    attachment: t.field({ type: 'JSON', nullable: true, description: 'App-defined data of the content (a location, say); null when none.', resolve: (m) => jsonValue(m.attachment) }),
    config: t.field({ type: 'JSON', nullable: true, description: 'App-defined delivery options; null when none.', resolve: (m) => jsonValue(m.config) }),
    ext: t.field({ type: 'JSON', nullable: true, description: 'App-defined data; null when none.', resolve: (m) => jsonValue(m.ext) }),
    mentions: t.idList({ description: 'Users @-mentioned (groups).', resolve: (m) => m.mentions }),
    mentionAll: t.exposeBoolean('mentionAll', { description: 'Whether it @-mentions everyone (groups).' }),
    system: t.exposeBoolean('system', { description: 'A system notice from the app.' }),
    createdAt: t.field({ type: 'Timestamp', description: 'When it was sent.', resolve: (m) => new Date(m.createdAt) }),
    editedAt: t.field({ type: 'Timestamp', nullable: true, description: 'When it was last edited; null when never.', resolve: (m) => (m.editedAt === null ? null : new Date(m.editedAt)) }),
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
    id: t.id({ description: '64-bit conversation id, as a decimal string (a group conversation has the group\'s id).', resolve: (c) => c.conversation.id }),
    target: t.field({ type: TargetRef, description: 'The other user, or the group.', resolve: (c) => c.target }),
    lastMessage: t.field({
      type: MessageRef,
      nullable: true,
      description: 'The newest message; null when it is gone (retention).',
      resolve: (c) => (c.lastMessage ? toData(c.lastMessage) : null),
    }),
    unreadCount: t.exposeInt('unread', { description: "Messages after the viewer's read position, not their own." }),
    readSeq: t.int({ description: 'The seq the viewer has read up to.', resolve: (c) => c.member.readSeq }),
    lastSeq: t.int({ description: 'The seq of the newest message.', resolve: (c) => c.conversation.lastSeq }),
    lastMessageAt: t.field({ type: 'Timestamp', nullable: true, description: 'When the newest message was sent; null when none.', resolve: (c) => c.conversation.lastMessageAt }),
  }),
});

export const ConversationInput = builder.inputType('ConversationInput', {
  description:
    'Names a conversation: give exactly one of userId (the other user), groupId, or id (either: users and groups share one id space).',
  fields: (t) => ({
    userId: t.id({ description: 'The other user of a conversation of two.' }),
    groupId: t.id({ description: 'The group.' }),
    id: t.id({ description: 'A conversation id (`Conversation.id`, `Message.conversationId`).' }),
  }),
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
  description: 'A message to send, to one or more users or groups.',
  fields: (t) => ({
    toKind: t.field({ type: TargetKind, required: true, description: 'Users or groups; never both at once.' }),
    targets: t.idList({ required: true, description: 'Up to 100 user or group ids; one message each.' }),
    contentType: t.field({ type: ContentType, required: true, description: 'What the message carries.' }),
    content: t.string({ description: 'Up to 10000 characters; a TEXT message needs some.' }),
    attachment: t.field({ type: 'JSON', description: 'App-defined data of the content, up to 8 KiB as JSON text.' }),
    config: t.field({ type: 'JSON', description: 'App-defined delivery options, up to 8 KiB as JSON text.' }),
    ext: t.field({ type: 'JSON', description: 'App-defined data, up to 8 KiB as JSON text.' }),
    mentions: t.idList({ description: 'Users @-mentioned (groups).' }),
    mentionAll: t.boolean({ description: '@all (groups).' }),
    transactionId: t.id({ description: 'A client id for the send: a retry with the same id answers the first messages, never sends twice.' }),
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
  attachment: jsonText(i.attachment ?? undefined),
  config: jsonText(i.config ?? undefined),
  ext: jsonText(i.ext ?? undefined),
  mentions: i.mentions ?? undefined,
  mentionAll: i.mentionAll ?? undefined,
  transactionId: i.transactionId == null ? undefined : String(i.transactionId),
  fromUserId: i.fromUserId ?? undefined,
  file: i.file ?? undefined,
});


const MessageConnection = connectionOf(MessageRef, {
  name: 'Message',
  description:
    'A page of a conversation, oldest first. It has no `totalCount`: counting a history means scanning it, and `seq` already says where a message sits (1, 2, 3… without gaps).',
  totalCount: false,
});
const ConversationConnection = connectionOf(ConversationRef, { name: 'Conversation', description: "A page of the viewer's conversations." });

builder.queryFields((t) => ({
  messages: t.connection(
    {
      type: MessageRef,
      description:
        'Messages of a conversation the viewer may see, oldest first within a page. `last`/`before` page back from the newest; `first`/`after` page forward. Cursors are seqs.',
      authScopes: { user: true },
      args: {
        conversation: t.arg({ type: ConversationInput, required: true, description: 'The conversation.' }),
        beforeMessageId: t.arg.id({ description: 'Like `before`, naming a message by id instead of seq.' }),
        sentAfter: t.arg({ type: 'Timestamp', description: 'Only messages sent after this time; with `first`, a page of the oldest of them.' }),
      },
      resolve: async (_root, args, ctx) => {
        const page = await history(ctx.deps, ctx.viewer, await targetFrom(args.conversation, ctx), args);
        const edges = page.messages.map((m) => ({ cursor: String(m.seq), node: toData(m) }));
        const { hasPreviousPage, hasNextPage } = page;
        return { edges, pageInfo: { hasPreviousPage, hasNextPage, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null } };
      },
    },
    MessageConnection,
  ),
  conversations: t.connection(
    {
      type: ConversationRef,
      description: "The viewer's conversations, most recent first, with their last message and unread count.",
      authScopes: { user: true },
      resolve: async (_root, args, { deps, viewer }) =>
        counted(
          await forwardConnection(args, (after, limit) => listConversations(deps, viewer, { after, limit }), conversationCursor),
          () => countConversations(deps, viewer),
        ),
    },
    ConversationConnection,
  ),
}));

const SEND_ERRORS = [InvalidInputError, NotFoundError, ForbiddenError, AuthenticationError];

const messagesPayload = (name: string, description: string) =>
  builder.objectRef<MessageData[]>(name).implement({
    description,
    fields: (t) => ({ messages: t.field({ type: [MessageRef], description: 'One message per target, in the order of `targets`.', resolve: (list) => list }) }),
  });
const messagePayload = (name: string, description: string) =>
  builder.objectRef<MessageData>(name).implement({
    description,
    fields: (t) => ({ message: t.field({ type: MessageRef, description: 'The message as it is now.', resolve: (m) => m }) }),
  });
const conversationPayload = <T extends { conversation: Target }>(name: string, description: string, more?: (t: any) => object) =>
  builder.objectRef<T>(name).implement({
    description,
    fields: (t) => ({
      conversation: t.field({ type: TargetRef, description: 'The conversation, as the viewer names it.', resolve: (p) => p.conversation }),
      ...more?.(t),
    }),
  });

const CONVERSATION_ARG = 'The conversation.';

builder.mutationFields((t) => ({
  sendMessage: t.field({
    type: messagesPayload('SendMessagePayload', 'The messages were sent.'),
    description: 'Sends a message to each target. Every target is checked first; nothing is sent if one is refused.',
    authScopes: { signedIn: true },
    errors: { types: SEND_ERRORS },
    args: { input: t.arg({ type: SendMessageInput, required: true, description: 'The message and its targets.' }) },
    resolve: async (_root, { input }, { deps, viewer }) => (await sendMessage(deps, viewer, sendArgs(input))).map(toData),
  }),
  sendNotice: t.field({
    type: messagesPayload('SendNoticePayload', 'The notices were sent.'),
    description: 'Admins only: a system notice to users or groups, from nobody or from fromUserId.',
    authScopes: { admin: true },
    errors: { types: SEND_ERRORS },
    args: { input: t.arg({ type: SendMessageInput, required: true, description: 'The notice and its targets.' }) },
    resolve: async (_root, { input }, { deps, viewer }) => (await sendNotice(deps, viewer, sendArgs(input))).map(toData),
  }),
  markRead: t.field({
    type: conversationPayload<{ conversation: Target; readSeq: number }>('MarkReadPayload', 'The read position moved.', (f) => ({
      readSeq: f.exposeInt('readSeq', { description: 'The seq the viewer has now read up to.' }),
    })),
    description:
      'Marks a conversation read up to a message (by id or seq; all when neither). The viewer’s other devices and the sender hear of it.',
    authScopes: { user: true },
    errors: { types: [InvalidInputError, NotFoundError] },
    args: {
      conversation: t.arg({ type: ConversationInput, required: true, description: CONVERSATION_ARG }),
      messageId: t.arg.id({ description: 'Read up to this message.' }),
      seq: t.arg.int({ description: 'Read up to this seq.' }),
    },
    resolve: async (_root, args, ctx) => {
      const conversation = await targetFrom(args.conversation, ctx);
      const readSeq = await markRead(ctx.deps, ctx.viewer, conversation, { messageId: args.messageId ?? undefined, seq: args.seq ?? undefined });
      return { conversation, readSeq };
    },
  }),
  deleteConversation: t.field({
    type: conversationPayload('DeleteConversationPayload', 'The conversation is deleted for the viewer.'),
    description: 'Deletes a conversation for the viewer only: what came before is hidden from them.',
    authScopes: { user: true },
    errors: { types: [InvalidInputError, NotFoundError] },
    args: { conversation: t.arg({ type: ConversationInput, required: true, description: CONVERSATION_ARG }) },
    resolve: async (_root, args, ctx) => {
      const conversation = await targetFrom(args.conversation, ctx);
      await deleteConversation(ctx.deps, ctx.viewer, conversation);
      return { conversation };
    },
  }),
  editMessage: t.field({
    type: messagePayload('EditMessagePayload', 'The message was edited.'),
    description: "Edits the viewer's own text message.",
    authScopes: { user: true },
    errors: { types: [InvalidInputError, NotFoundError] },
    args: {
      messageId: t.arg.id({ required: true, description: 'The message.' }),
      content: t.arg.string({ required: true, description: 'The new text, up to 10000 characters.' }),
    },
    resolve: async (_root, args, { deps, viewer }) => toData(await editMessage(deps, viewer, args.messageId, args.content)),
  }),
  recallMessage: t.field({
    type: messagePayload('RecallMessagePayload', 'The message was recalled.'),
    description: "Recalls the viewer's own message within the recall window; its content is erased for everyone.",
    authScopes: { user: true },
    errors: { types: [InvalidInputError, NotFoundError, ForbiddenError] },
    args: { messageId: t.arg.id({ required: true, description: 'The message.' }) },
    resolve: async (_root, args, { deps, viewer }) => toData(await recallMessage(deps, viewer, args.messageId)),
  }),
  sendTyping: t.field({
    type: conversationPayload('SendTypingPayload', 'The other side was told.'),
    description: 'Tells the other side the viewer is typing (never stored).',
    authScopes: { user: true },
    errors: { types: [InvalidInputError] },
    args: { conversation: t.arg({ type: ConversationInput, required: true, description: CONVERSATION_ARG }) },
    resolve: async (_root, args, ctx) => {
      const conversation = await targetFrom(args.conversation, ctx);
      await sendTyping(ctx.deps, ctx.viewer, conversation);
      return { conversation };
    },
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
  fields: (t) => ({ message: t.field({ type: MessageRef, description: 'The message.', resolve: (e) => e.message }) }),
});

registerEventType('MESSAGE_CHANGED', 'MessageChangedEvent');
builder.objectRef<Of<'MESSAGE_CHANGED'>>('MessageChangedEvent').implement({
  description: 'A message was edited or recalled: here it is as it is now.',
  interfaces: [EventInterface],
  fields: (t) => ({ message: t.field({ type: MessageRef, description: 'The message as it is now.', resolve: (e) => e.message }) }),
});

registerEventType('READ_POSITION', 'ReadPositionEvent');
builder.objectRef<Of<'READ_POSITION'>>('ReadPositionEvent').implement({
  description: 'The viewer read a conversation up to seq (on some device).',
  interfaces: [EventInterface],
  fields: (t) => ({
    conversation: t.field({ type: TargetRef, description: 'The conversation, as the viewer names it.', resolve: targetOfEvent }),
    seq: t.exposeInt('seq', { description: 'Read up to this seq.' }),
  }),
});

registerEventType('MESSAGE_READ', 'MessageReadEvent');
builder.objectRef<Of<'MESSAGE_READ'>>('MessageReadEvent').implement({
  description: "A read receipt: reader read the viewer's messages up to seq.",
  interfaces: [EventInterface],
  fields: (t) => ({
    conversation: t.field({ type: TargetRef, description: 'The conversation, as the viewer names it.', resolve: targetOfEvent }),
    reader: t.field({ type: UserRef, description: 'Who read.', resolve: (e, _a, ctx) => userOf(e.readerId, ctx) }),
    seq: t.exposeInt('seq', { description: 'Read up to this seq.' }),
  }),
});

registerEventType('CONVERSATION_DELETED', 'ConversationDeletedEvent');
builder.objectRef<Of<'CONVERSATION_DELETED'>>('ConversationDeletedEvent').implement({
  description: 'The viewer deleted a conversation (on some device).',
  interfaces: [EventInterface],
  fields: (t) => ({ conversation: t.field({ type: TargetRef, description: 'The conversation, as the viewer names it.', resolve: targetOfEvent }) }),
});

registerEventType('TYPING', 'TypingEvent');
builder.objectRef<Of<'TYPING'>>('TypingEvent').implement({
  description: 'Someone is typing in a conversation of the viewer.',
  interfaces: [EventInterface],
  fields: (t) => ({
    conversation: t.field({ type: TargetRef, description: 'The conversation, as the viewer names it.', resolve: targetOfEvent }),
    from: t.field({ type: UserRef, description: 'Who is typing.', resolve: (e, _a, ctx) => userOf(e.fromUserId, ctx) }),
  }),
});

