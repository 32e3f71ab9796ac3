import type { Notification } from '../domain/push/providers/types.js';
import type { MessageData } from '../domain/messages/vocabulary.js';
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
  'ACCOUNT_DELETED',
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


/** Messages and what happens to them. */
export type MessageEvent = At &
  (
    /**
     * A new message. `previous` is its conversation's position before it (0: none): every earlier
     * message of the conversation was sent at or below that stream position. Absent when the
     * message comes from the database (replayed) rather than from its sender.
     */
    | { type: 'MESSAGE'; message: MessageData; previous?: number }
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

/** An admin's notification (`/push/notify`) on the in-app channel. */
export type PushEvent = At & { type: 'PUSH_NOTIFICATION'; taskId: number; notification: Notification };

/** Everything a user's devices hear live. Each area adds its events to this union. */
export type UserEvent = AccountEvent | RosterEvent | MessageEvent | GroupEvent | PushEvent;

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
  /** Tokens just revoked (hex SHA-256), for every process's cache of viewers; key: 'all'. */
  revoked: { tokenHashes: string[] };
  /**
   * Something a send's target check reads changed (a block, a friendship, the stranger policy, a
   * membership, a ban, a group): every process's cache of checks starts over; key: 'all'.
   */
  checks: { at: number };
};

export const userKey = (appId: string, userId: number) => `${appId}:${userId}`;
export const conversationKey = (appId: string, conversationId: number) => `${appId}:${conversationId}`;
