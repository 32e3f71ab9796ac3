import type { IncomingMessage } from 'node:http';
import type { UrlBuilder } from '../../files/urls.js';
import type { Yoga } from '../../graphql/yoga.js';
import type { Logger } from '../../logger.js';
import { basicAuth } from '../shared/app-secret.js';
import { createDialect } from '../shared/dialect.js';
import { AUTH_FAILED, answerOf, err } from './codes.js';
import { jpushRoutes } from './routes.js';

const AUTH_REFUSED = { kind: 'domain', code: 'BAD_CREDENTIALS', message: 'Basic authentication failed' } as const;

/**
 * The JPush IM REST v1 dialect (seed 003): `/v1/<path>` and `/<path>`, HTTP Basic
 * `app_id:app_secret` on every call (checked before anything else is read), `{error: {code,
 * message}}` on failure. Each route runs GraphQL documents with the app's admin token.
 */
export function createJPushCompat(yoga: Yoga, logger: Logger, urls: (req: IncomingMessage) => UrlBuilder) {
  return createDialect(
    {
      name: 'jpush',
      routes: jpushRoutes,
      path: (pathname) => pathname.replace(/^\/v1(?=\/)/, '').replace(/(.)\/$/, '$1'),
      credentials: async (req, appSecret) => {
        const basic = basicAuth(req);
        return basic ? appSecret(basic.id, basic.secret) : AUTH_REFUSED;
      },
      failure: (failure) => {
        // A malformed app id is a refused login to GraphQL; here it is the dialect's one auth failure.
        if (failure.kind === 'domain' && failure.code === 'INVALID_INPUT' && failure.field === 'appId') return [401, err(AUTH_FAILED, 'Basic authentication failed')];
        return answerOf(failure);
      },
      methodNotAllowed: (req) => [405, err(404, `${req.method} is not served on ${req.url?.split('?')[0]}`)],
    },
    yoga,
    logger,
    urls,
  );
}
