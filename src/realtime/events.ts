import type { GroupEvent } from './group-events.js';

/**
 * Live events, keyed by topic. A publisher and its subscribers share these types, so they cannot
 * disagree on a payload's shape. Payloads cross Redis as JSON: plain data only (numbers, strings).
 */
export const SESSION_END_REASONS = [
  'SIGNED_OUT',
  'REVOKED_BY_ADMIN',
  'DEVICE_KICKED',
  'DEVICE_REMOVED',
  'PASSWORD_CHANGED',
  'ACCOUNT_DISABLED',
] as const;
export type SessionEndReason = (typeof SESSION_END_REASONS)[number];

/** Milliseconds since the epoch. */
type At = { at: number };

export type AccountEvent = At &
  (
    | { type: 'TOKEN_REVOKED'; tokenIds: number[]; deviceSns: number[]; reason: SessionEndReason }
    | { type: 'SETTINGS_CHANGED' }
    | { type: 'PROFILE_CHANGED' }
  );

/** Friend requests and friendships; `userId` is the other user. */
export type RosterEvent = At &
  (
    | { type: 'FRIEND_REQUEST_RECEIVED'; userId: number; requestId: number }
    | { type: 'FRIEND_REQUEST_ACCEPTED'; userId: number; requestId: number }
    | { type: 'FRIEND_REQUEST_DECLINED'; userId: number; requestId: number }
    | { type: 'FRIEND_ADDED'; userId: number }
    | { type: 'FRIEND_REMOVED'; userId: number }
    | { type: 'BLOCKLIST_CHANGED'; userId: number; blocked: boolean }
  );

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

/** Messages and what happens to them. */
export type MessageEvent = At &
  (
    | { type: 'MESSAGE'; message: MessageData }
    | { type: 'MESSAGE_CHANGED'; message: MessageData }
    /** The viewer read up to `seq` (on one of their devices). */
    | { type: 'READ_POSITION'; conversationId: number; toKind: number; toId: number; seq: number }
    /** `readerId` read the viewer's messages up to `seq`. */
    | { type: 'MESSAGE_READ'; conversationId: number; toKind: number; toId: number; readerId: number; seq: number }
    | { type: 'CONVERSATION_DELETED'; conversationId: number; toKind: number; toId: number }
    | { type: 'TYPING'; fromUserId: number; toKind: number; toId: number }
  );

/** A token stopped being valid; its connections must end. */
export type TokenEvent = { type: 'REVOKED'; reason: SessionEndReason };

/** Everything a user's devices hear live. Each area adds its events to this union. */
export type UserEvent = AccountEvent | RosterEvent | MessageEvent | GroupEvent;

/** Payload of each topic. A topic's events are published per key (see the key helpers). */
export type Topics = {
  /** Everything one user's devices hear; key from userKey(). */
  user: UserEvent;
  /**
   * One access token; key: the hex SHA-256 of the token, which a connection knows before it has
   * authenticated, so it can listen first and authenticate after, leaving no gap.
   */
  token: TokenEvent;
  /** Messages of a group conversation, for its members' streams; key from conversationKey(). */
  conversation: MessageEvent;
};

export const userKey = (appId: string, userId: number) => `${appId}:${userId}`;
export const conversationKey = (appId: string, conversationId: number) => `${appId}:${conversationId}`;
