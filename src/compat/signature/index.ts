import type { IncomingMessage } from 'node:http';
import { credentialsFromHeaders } from '../../context.js';
import type { UrlBuilder } from '../../files/urls.js';
import type { Yoga } from '../../graphql/yoga.js';
import type { Logger } from '../../logger.js';
import { basicAuth } from '../shared/app-secret.js';
import { createDialect } from '../shared/dialect.js';
import { header } from '../shared/run.js';
import { answerOf, errorBody, NOT_FOUND } from './codes.js';
import { signatureRoutes } from './routes.js';

const NO_CREDENTIALS = { kind: 'domain', code: 'TOKEN_MISSING', message: 'credentials are required: Authorization Bearer <token> or Basic <app_id:app_secret>' } as const;

/**
 * Seed 002: the signature service (`/signature/...`) and `/im/group`. A caller presents a user's
 * token (`Authorization: Bearer`, as for /graphql, with `X-Act-As-User` for an admin token) or the
 * app's credentials (`Authorization: Basic app_id:app_secret`); nothing is read before they check.
 */
export function createSignatureCompat(yoga: Yoga, logger: Logger, urls: (req: IncomingMessage) => UrlBuilder) {
  return createDialect(
    {
      name: 'signature',
      routes: signatureRoutes,
      path: (pathname) => (pathname.startsWith('/signature/') || pathname.startsWith('/im/group') ? pathname.replace(/(.)\/$/, '$1') : undefined),
      credentials: async (req, appSecret) => {
        const basic = basicAuth(req);
        if (basic) return appSecret(basic.id, basic.secret);
        const credentials = credentialsFromHeaders(new Headers({ authorization: header(req, 'authorization') ?? '', 'x-act-as-user': header(req, 'x-act-as-user') ?? '' }));
        return credentials.token ? { token: credentials.token, actAsUserId: credentials.actAsUserId || undefined } : NO_CREDENTIALS;
      },
      failure: (failure, route, req) => answerOf(failure, route.operation, req),
      methodNotAllowed: (req) => [405, errorBody(req, NOT_FOUND, `${req.method} is not served here`)],
    },
    yoga,
    logger,
    urls,
  );
}
