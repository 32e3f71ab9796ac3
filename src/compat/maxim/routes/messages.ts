import { CONTENT_TYPES } from '../../../domain/messages/vocabulary.js';
import { idText, int, json, jsonString, list, str, type Params } from '../params.js';
import { done, id, yes, type Json, type Route } from './types.js';

// Chapter 6 of the document: sending, history, unread counts and read acknowledgements.

const KINDS: Record<number, string> = { 1: 'USER', 2: 'GROUP' };

/** Mentions ride in the message config as the official SDKs write them: {mentionAll, mentionList}. */
function mentionsOf(config: unknown): { mentions?: string[]; mentionAll?: boolean } {
  if (!config || typeof config !== 'object') return {};
  const parsed = config as Json;
  return {
    mentions: Array.isArray(parsed.mentionList) ? parsed.mentionList.map(idText) : undefined,
    mentionAll: typeof parsed.mentionAll === 'boolean' ? parsed.mentionAll : undefined,
  };
}

/**
 * The file a message carries: the SDKs put the download URL in the attachment's `url`. One of our
 * signed URLs becomes the message's file (checked like any); a foreign URL stays plain attachment.
 */
function fileOf(attachment: unknown): { file?: string } {
  const url = attachment && typeof attachment === 'object' ? (attachment as Json).url : undefined;
  return typeof url === 'string' && /[?&](file_sign|object_name)=/.test(url) ? { file: url } : {};
}

const sendVariables = (p: Params) => {
  const type = int(p, 'type');
  const contentType = int(p, 'content_type') ?? 0;
  // The document's attachment, config and ext are JSON text; GraphQL takes the JSON values.
  const attachment = json(p, 'attachment');
  const config = json(p, 'config');
  return {
    input: {
      toKind: typeof type === 'number' ? (KINDS[type] ?? String(type)) : type,
      targets: (list(p, 'targets') ?? []).map(idText),
      contentType: typeof contentType === 'number' ? (CONTENT_TYPES[contentType] ?? String(contentType)) : contentType,
      content: str(p, 'content'),
      attachment,
      ...fileOf(attachment),
      config,
      ext: json(p, 'ext'),
      transactionId: str(p, 'transaction_id'),
      fromUserId: str(p, 'from_user_id'),
      ...mentionsOf(config),
    },
  };
};

const sendRoute = (path: string, field: 'sendMessage' | 'sendNotice'): Route => ({
  methods: ['POST', 'PUT'],
  path,
  document: `mutation Send($input: SendMessageInput!) {
    result: ${field}(input: $input) { ...Failure ... on ${field[0]!.toUpperCase()}${field.slice(1)}Payload { messages { id } } }
  }`,
  variables: sendVariables,
  data: () => true,
  extra: (r: Json) => (r.messages.length === 1 ? { msg_ids: [id(r.messages[0].id)] } : {}),
});

const MESSAGE_FIELDS = `id content contentType attachment config ext status createdAt fromDeviceSn from { id } to { id kind }`;

/** The document's message shape. */
const messageData = (m: Json) => ({
  msg_id: id(m.id),
  from_xid: { uid: id(m.from?.id) ?? 0, device_sn: m.fromDeviceSn ?? 0 },
  to_xid: { uid: id(m.to.id) },
  content: m.content,
  ctype: m.contentType,
  ext: jsonString(m.ext),
  config: jsonString(m.config),
  attachment: jsonString(m.attachment),
  status: m.status,
  timestamp: m.createdAt,
});

/** The document's conversation ids name a user or a group; GraphQL tells which. */
const conversationOf = (p: Params, name: string) => ({ id: str(p, name) ?? '' });

export const messageRoutes: Route[] = [
  sendRoute('/message/send', 'sendMessage'),
  sendRoute('/message/notify', 'sendNotice'),
  {
    methods: ['GET'],
    path: '/message/conversation',
    document: `query History($conversation: ConversationInput!, $before: ID, $last: Int) {
      result: messages(conversation: $conversation, beforeMessageId: $before, last: $last) {
        edges { node { ${MESSAGE_FIELDS} } }
        pageInfo { hasPreviousPage }
      }
    }`,
    variables: (p) => {
      const start = str(p, 'msg_id_start');
      const limit = int(p, 'limit');
      return {
        conversation: conversationOf(p, 'opposite_id'),
        before: start === undefined || start === '0' ? undefined : start,
        last: typeof limit === 'number' ? Math.min(Math.max(limit, 1), 100) : 20,
      };
    },
    // Newest first, as the document pages backwards; next_msg_id starts the next (older) page.
    data: (c: Json) => {
      const list = c.edges.map((e: Json) => messageData(e.node)).reverse();
      const isLast = !c.pageInfo.hasPreviousPage;
      return { messages: list, next_msg_id: isLast ? 0 : (list.at(-1)?.msg_id ?? 0), is_last: isLast };
    },
  },
  {
    methods: ['DELETE'],
    path: '/message/conversation',
    document: `mutation Delete($conversation: ConversationInput!) {
      result: deleteConversation(conversation: $conversation) { ...Failure ${done('deleteConversation')} }
    }`,
    variables: (p) => ({ conversation: conversationOf(p, 'conversation_id') }),
    data: yes,
  },
  {
    methods: ['GET'],
    path: '/message/ack',
    document: `mutation Ack($conversation: ConversationInput!, $messageId: ID) {
      result: markRead(conversation: $conversation, messageId: $messageId) { ...Failure ${done('markRead')} }
    }`,
    variables: (p) => ({ conversation: conversationOf(p, 'conversation_id'), messageId: str(p, 'msg_id') }),
    data: () => true,
  },
  {
    methods: ['GET'],
    path: '/message/unread',
    document: `query Unread { result: conversations(first: 100) { edges { node { unreadCount target { id } } } } }`,
    data: (c: Json) => c.edges.map(({ node }: Json) => ({ conversation_id: { uid: id(node.target.id) }, num: node.unreadCount })),
  },
];
