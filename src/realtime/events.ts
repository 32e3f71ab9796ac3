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

/** A token stopped being valid; its connections must end. */
export type TokenEvent = { type: 'REVOKED'; reason: SessionEndReason };

/** Everything a user's devices hear live. Each area adds its events to this union. */
export type UserEvent = AccountEvent | GroupEvent;

/** Payload of each topic. A topic's events are published per key (see the key helpers). */
export type Topics = {
  /** Everything one user's devices hear; key from userKey(). */
  user: UserEvent;
  /**
   * One access token; key: the hex SHA-256 of the token, which a connection knows before it has
   * authenticated, so it can listen first and authenticate after, leaving no gap.
   */
  token: TokenEvent;
};

export const userKey = (appId: string, userId: number) => `${appId}:${userId}`;
