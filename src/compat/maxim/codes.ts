import type { ErrorCode } from '../../domain/errors.js';

/** Domain error codes → the 004 dialect's business codes (see docs/compat-maxim.md). */
export const MAXIM_CODES: Record<ErrorCode, number> = {
  INVALID_INPUT: 10002,
  APP_NOT_FOUND: 40000,
  APP_EXISTS: 10004,
  USER_NOT_FOUND: 10000,
  DEVICE_NOT_FOUND: 10002,
  USER_EXISTS: 10004,
  ALREADY_BOUND: 10011,
  TOKEN_MISSING: 10003,
  TOKEN_INVALID: 10008,
  TOKEN_REVOKED: 10008,
  TOKEN_EXPIRED: 402,
  BAD_CREDENTIALS: 10000,
  USER_DISABLED: 10010,
  FORBIDDEN: 10010,
  ALREADY_FRIENDS: 10005,
  ALREADY_APPLIED: 10002,
  NOT_FRIEND: 10002,
  BLOCKED: 10006,
  FRIEND_REQUEST_NOT_FOUND: 10007,
  FRIEND_REQUEST_EXPIRED: 10007,
  REJECTS_FRIEND_REQUESTS: 10012,
  WRONG_AUTH_ANSWER: 10001,
  MESSAGE_NOT_FOUND: 10002,
  STRANGERS_NOT_ALLOWED: 10010,
  RECALL_EXPIRED: 10010,
  RATE_LIMITED: 429,
};

/** Missing or bad credentials also answer HTTP 401, too many attempts 429; other business errors answer 200. */
export const httpStatusOf = (code: ErrorCode | undefined) => {
  if (code === 'RATE_LIMITED') return 429;
  return code === 'TOKEN_MISSING' || code === 'TOKEN_INVALID' || code === 'TOKEN_REVOKED' || code === 'TOKEN_EXPIRED' ? 401 : 200;
};

export const BAD_PARAMETERS = 10002;
export const INTERNAL_ERROR = 500;
export const NOT_FOUND = 404;
