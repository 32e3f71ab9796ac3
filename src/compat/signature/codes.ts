import type { IncomingMessage } from 'node:http';
import type { ErrorCode } from '../../domain/errors.js';
import type { Answer } from '../shared/dialect.js';
import type { Failure } from '../shared/run.js';

/** The dialect's error body: `{msg, code, request}`, `request` being the method and path asked. */
export const errorBody = (req: IncomingMessage, code: number, msg: string) => ({ msg, code, request: `${req.method} ${req.url?.split('?')[0]}` });

export const BAD_PARAMETER = 1000;
export const NOT_FOUND = 1001;
export const AUTH_FAILED = 1005;

/** Operation failures, one code per operation (docs/compat-signature.md). */
export const OPERATION = {
  createGroup: 7000,
  updateGroup: 7001,
  deleteGroup: 7002,
  addMembers: 7003,
  removeMembers: 7004,
  sign: 7005,
} as const;

const AUTH: ErrorCode[] = ['TOKEN_MISSING', 'TOKEN_INVALID', 'TOKEN_REVOKED', 'TOKEN_EXPIRED', 'BAD_CREDENTIALS', 'APP_NOT_FOUND'];
const MISSING: ErrorCode[] = ['USER_NOT_FOUND', 'GROUP_NOT_FOUND'];

/** 400/1000 bad input, 401/1005 credentials, 404/1001 unknown user or group, 403 with the operation's 700x otherwise. */
export function answerOf(failure: Failure, operation: number, req: IncomingMessage): Answer {
  if (failure.kind === 'bad-request') return [400, errorBody(req, BAD_PARAMETER, failure.message)];
  if (failure.kind === 'internal') return [500, errorBody(req, operation, 'internal server error')];
  if (AUTH.includes(failure.code)) return [401, errorBody(req, AUTH_FAILED, failure.message)];
  if (failure.code === 'INVALID_INPUT') return [400, errorBody(req, BAD_PARAMETER, failure.message)];
  if (MISSING.includes(failure.code)) return [404, errorBody(req, NOT_FOUND, failure.message)];
  if (failure.code === 'RATE_LIMITED') return [429, errorBody(req, AUTH_FAILED, failure.message)];
  return [403, errorBody(req, operation, failure.message)];
}
