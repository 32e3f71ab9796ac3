/**
 * Live events, keyed by topic. A publisher and its subscribers share these types, so they cannot
 * disagree on a payload's shape. Payloads cross Redis as JSON: plain data only (numbers, strings).
 */
export type AccountEvent = {
  type: 'TOKEN_REVOKED';
  /** Milliseconds since the epoch. */
  at: number;
  tokenIds: number[];
  deviceSns: number[];
  reason: 'SIGNED_OUT' | 'REVOKED_BY_ADMIN';
};

/** A token stopped being valid; its connections must end. */
export type TokenEvent = { type: 'REVOKED'; reason: AccountEvent['reason'] };

/** Payload of each topic. A topic's events are published per key (see the key helpers). */
export type Topics = {
  /** Everything about one user's account; key from accountKey(). */
  account: AccountEvent;
  /**
   * One access token; key: the hex SHA-256 of the token, which a connection knows before it has
   * authenticated, so it can listen first and authenticate after, leaving no gap.
   */
  token: TokenEvent;
};

export const accountKey = (appId: string, userId: number) => `${appId}:${userId}`;
