import type { ErrorCode } from '../../domain/errors.js';
import type { Failure } from '../shared/run.js';

/** The error body of the dialect: `{error: {code, message}}`. */
export interface JPushError {
  error: { code: number; message: string };
}

export const AUTH_FAILED = 3001;
export const USER_EXISTS = 899001;
export const NO_SUCH_USER = 899002;
export const BAD_PARAMETER = 899003;
export const NO_SUCH_GROUP = 899012;
export const NO_PERMISSION = 899016;
export const INTERNAL = 899000;

/** Domain codes → the dialect's: the recorded 3001/899001–899003/899000, and our 899012/899016 (docs/compat-jpush.md). */
function jpushCode(code: ErrorCode): number {
  switch (code) {
    case 'TOKEN_MISSING':
    case 'TOKEN_INVALID':
    case 'TOKEN_REVOKED':
    case 'TOKEN_EXPIRED':
    case 'BAD_CREDENTIALS':
    case 'APP_NOT_FOUND':
      return AUTH_FAILED;
    case 'USER_EXISTS':
    case 'ALREADY_GROUP_MEMBER':
      return USER_EXISTS;
    case 'USER_NOT_FOUND':
    case 'NOT_GROUP_MEMBER':
      return NO_SUCH_USER;
    case 'GROUP_NOT_FOUND':
      return NO_SUCH_GROUP;
    case 'INVALID_INPUT':
    case 'MESSAGE_NOT_FOUND':
    case 'FILE_NOT_FOUND':
    case 'FILE_REFERENCE_INVALID':
    case 'FILE_REFERENCE_EXPIRED':
      return BAD_PARAMETER;
    default:
      return NO_PERMISSION;
  }
}

/** HTTP statuses: 401 for credentials, 400 for bad input, 429 when rate-limited, 403 for every other refusal. */
export function answerOf(failure: Failure): [number, JPushError] {
  if (failure.kind === 'bad-request') return [400, err(BAD_PARAMETER, failure.message)];
  if (failure.kind === 'internal') return [500, err(INTERNAL, 'internal server error')];
  const code = jpushCode(failure.code);
  const status = code === AUTH_FAILED ? 401 : code === BAD_PARAMETER ? 400 : failure.code === 'RATE_LIMITED' ? 429 : 403;
  return [status, err(code, failure.message)];
}

export const err = (code: number, message: string): JPushError => ({ error: { code, message } });
