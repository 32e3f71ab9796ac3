import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DocumentNode } from 'graphql';
import type { UrlBuilder } from '../../files/urls.js';
import type { Yoga } from '../../graphql/yoga.js';
import type { Logger } from '../../logger.js';
import { basicAuth, createAppSecretAuth } from '../shared/app-secret.js';
import { BadRequestError, readParams } from '../shared/params.js';
import { CompatFailure, compile, createCall, createRunner, sendJson, type Failure } from '../shared/run.js';
import { routeTable, type Method } from '../shared/table.js';
import { AUTH_FAILED, answerOf, err } from './codes.js';
import { jpushRoutes, type JPushRoute } from './routes.js';

interface CompiledRoute extends JPushRoute {
  parsed: Record<string, DocumentNode>;
}

/**
 * The JPush IM REST v1 dialect (seed 003): `/v1/<path>` and `/<path>`, HTTP Basic
 * `app_id:app_secret` on every call (checked before anything else is read), `{error: {code,
 * message}}` on failure. Each route runs GraphQL documents with the app's admin token.
 */
export function createJPushCompat(yoga: Yoga, logger: Logger, urls: (req: IncomingMessage) => UrlBuilder) {
  const table = routeTable<CompiledRoute>(jpushRoutes as CompiledRoute[], (route) => ({
    ...route,
    parsed: Object.fromEntries(Object.entries(route.documents).map(([name, doc]) => [name, compile(yoga, `${route.path} ${name}`, doc)])),
  }));
  const run = createRunner(yoga, urls);
  const adminCredentials = createAppSecretAuth(run);

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const path = url.pathname.replace(/^\/v1(?=\/)/, '').replace(/(.)\/$/, '$1');
    const match = table.match(path);
    if (!match) return false;
    const route = match.byMethod.get(req.method as Method);
    if (!route) {
      sendJson(res, 405, err(404, `${req.method} is not served on ${url.pathname}`));
      return true;
    }
    const [status, body] = await answer(route, req, url, match.pathParams);
    sendJson(res, status, body);
    return true;
  }

  async function answer(route: CompiledRoute, req: IncomingMessage, url: URL, pathParams: Record<string, string>): Promise<[number, unknown]> {
    const basic = basicAuth(req);
    if (!basic) return [401, err(AUTH_FAILED, 'Basic authentication failed')];
    const credentials = await adminCredentials(req, basic.id, basic.secret);
    if ('kind' in credentials) return fail(route, credentials);
    let params;
    try {
      params = await readParams(req, url);
    } catch (error) {
      if (error instanceof BadRequestError) return answerOf({ kind: 'bad-request', message: error.message });
      throw error;
    }
    const call = createCall(run, req, params, pathParams, credentials);
    try {
      const variables = (await route.variables?.(call)) ?? {};
      const document = route.parsed[route.pick?.(call) ?? Object.keys(route.parsed)[0]!]!;
      const outcome = await run(req, call.credentials, document, variables);
      if (!outcome.ok) return fail(route, outcome.failure);
      return route.answer(outcome.value, call);
    } catch (error) {
      if (error instanceof CompatFailure) return fail(route, error.failure);
      throw error;
    }
  }

  function fail(route: CompiledRoute, failure: Failure): [number, unknown] {
    if (failure.kind === 'internal') logger.error({ route: route.path }, 'compat route failed');
    // A wrong secret is a refused login to GraphQL; here it is the dialect's one auth failure.
    if (failure.kind === 'domain' && failure.code === 'INVALID_INPUT' && failure.field === 'appId') return [401, err(AUTH_FAILED, 'Basic authentication failed')];
    return answerOf(failure);
  }

  return { handle, served: table.served };
}
