import type { ErrorCode } from '../../domain/errors.js';
import type { Failure } from '../shared/run.js';

/**
 * Result codes of the JSON action protocol (seed 000). The document leaves them blank; these are
 * ours (docs/compat-action.md). Every answer is `{action, id?, code, message, data?}`.
 */
export const OK = 0;
export const BAD_REQUEST = 1000;
export const UNKNOWN_ACTION = 1001;
export const NOT_LOGGED_IN = 1002;
export const AUTH_FAILED = 1003;
export const FORBIDDEN = 1004;
export const NOT_FOUND = 1005;
export const CONFLICT = 1006;
export const RATE_LIMITED = 1007;
export const SESSION_ENDED = 1008;
export const INTERNAL = 1500;

/** Domain codes → the protocol's. */
export function actionCode(code: ErrorCode): number {
  switch (code) {
    case 'INVALID_INPUT':
    case 'FILE_REFERENCE_INVALID':
    case 'FILE_REFERENCE_EXPIRED':
      return BAD_REQUEST;
    case 'TOKEN_MISSING':
    case 'TOKEN_INVALID':
    case 'TOKEN_REVOKED':
    case 'TOKEN_EXPIRED':
    case 'BAD_CREDENTIALS':
    case 'APP_NOT_FOUND':
    case 'USER_DISABLED':
      return AUTH_FAILED;
    case 'USER_NOT_FOUND':
    case 'GROUP_NOT_FOUND':
    case 'MESSAGE_NOT_FOUND':
    case 'FILE_NOT_FOUND':
      return NOT_FOUND;
    case 'USER_EXISTS':
    case 'ALREADY_GROUP_MEMBER':
      return CONFLICT;
    case 'RATE_LIMITED':
      return RATE_LIMITED;
    default:
      return FORBIDDEN;
  }
}

export interface Reply {
  code: number;
  message: string;
  data?: unknown;
  [extra: string]: unknown;
}

export const ok = (data?: unknown, extra: Record<string, unknown> = {}): Reply => ({ code: OK, message: 'ok', ...(data === undefined ? {} : { data }), ...extra });
export const refused = (code: number, message: string): Reply => ({ code, message });

/** A failure of a GraphQL document or of our own checks, as the protocol answers it. */
export function replyOf(failure: Failure): Reply {
  if (failure.kind === 'bad-request') return refused(BAD_REQUEST, failure.message);
  if (failure.kind === 'internal') return refused(INTERNAL, 'internal server error');
  return refused(actionCode(failure.code), failure.message);
}

/** The HTTP status of an answer over POST: the code's class. */
export function statusOf(code: number): number {
  if (code === OK) return 200;
  if (code === AUTH_FAILED || code === NOT_LOGGED_IN) return 401;
  if (code === FORBIDDEN) return 403;
  if (code === NOT_FOUND) return 404;
  if (code === CONFLICT) return 409;
  if (code === RATE_LIMITED) return 429;
  if (code === INTERNAL) return 500;
  return 400;
}
