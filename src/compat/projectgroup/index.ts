import type { IncomingMessage } from 'node:http';
import type { UrlBuilder } from '../../files/urls.js';
import type { Yoga } from '../../graphql/yoga.js';
import type { Logger } from '../../logger.js';
import { createDialect, type Answer } from '../shared/dialect.js';
import { header, type Failure } from '../shared/run.js';
import { projectGroupRoutes } from './routes.js';

const AUTH_CODES = new Set(['TOKEN_MISSING', 'TOKEN_INVALID', 'TOKEN_REVOKED', 'TOKEN_EXPIRED', 'BAD_CREDENTIALS', 'APP_NOT_FOUND']);
const ECHOED = ['uid', 'accessToken', 'client', 'expire'];

/** `{success: false, info}` with the domain code for programs: 401 for credentials, 400 for unreadable input, 200 for refusals. */
function answerOf(failure: Failure): Answer {
  if (failure.kind === 'bad-request') return [400, { success: false, info: failure.message, code: 'INVALID_INPUT' }];
  if (failure.kind === 'internal') return [500, { success: false, info: 'internal server error', code: 'INTERNAL' }];
  return [AUTH_CODES.has(failure.code) ? 401 : 200, { success: false, info: failure.message, code: failure.code }];
}

/**
 * Seed 001, the project-group app API: POST `/chat/group!<action>` (and `/chat/chat!loadChatRecords`)
 * with headers `uid`, `accessToken`, `client`, `expire`, echoed back in the answer's headers.
 * `accessToken` is a user's token; `uid` must be that user's id.
 */
export function createProjectGroupCompat(yoga: Yoga, logger: Logger, urls: (req: IncomingMessage) => UrlBuilder) {
  return createDialect(
    {
      name: 'projectgroup',
      routes: projectGroupRoutes,
      path: (pathname) => (pathname.startsWith('/chat/') ? pathname : undefined),
      credentials: async (req) => {
        const token = header(req, 'accesstoken');
        return token ? { token } : { kind: 'domain', code: 'TOKEN_MISSING', message: 'accessToken is required' };
      },
      viewer: (viewer, req) => {
        if (viewer.kind !== 'user') return { kind: 'domain', code: 'TOKEN_INVALID', message: 'accessToken must be a user token' };
        const uid = header(req, 'uid');
        return uid === String(viewer.userId) ? undefined : { kind: 'domain', code: 'TOKEN_INVALID', message: 'uid does not match accessToken' };
      },
      failure: answerOf,
      methodNotAllowed: () => [405, { success: false, info: 'use POST', code: 'METHOD_NOT_ALLOWED' }],
      headers: (req) => Object.fromEntries(ECHOED.flatMap((name) => (header(req, name.toLowerCase()) ? [[name, header(req, name.toLowerCase())!]] : []))),
    },
    yoga,
    logger,
    urls,
  );
}
