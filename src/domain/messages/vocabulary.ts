/**
 * The vocabulary of messaging, shared by every layer above the database: conversation kinds,
 * content types, and a message as it travels (on the bus, to GraphQL, to REST).
 */

/** Conversation kinds, as the legacy API numbers message targets (and conversations.kind stores them). */
export const CONVERSATION = { DIRECT: 1, GROUP: 2 } as const;
export type ConversationKind = (typeof CONVERSATION)[keyof typeof CONVERSATION];

/** Content types, as the legacy API numbers them (the index is the stored value). */
export const CONTENT_TYPES = ['TEXT', 'IMAGE', 'AUDIO', 'VIDEO', 'FILE', 'LOCATION', 'COMMAND', 'FORWARD'] as const;
export type ContentType = (typeof CONTENT_TYPES)[number];

/** A message as it travels on the bus: plain JSON, times in milliseconds. */
export type MessageData = {
  id: number;
  appId: string;
  conversationId: number;
  seq: number;
  sentPosition: number;
  position: number;
  fromUserId: number | null;
  fromDeviceSn: number | null;
  toKind: number;
  toId: number;
  contentType: number;
  content: string;
  attachment: string;
  config: string;
  ext: string;
  mentions: number[];
  mentionAll: boolean;
  system: boolean;
  /** The file reference an IMAGE, AUDIO, VIDEO or FILE message carries. */
  fileRefId: number | null;
  createdAt: number;
  editedAt: number | null;
  recalledAt: number | null;
};
