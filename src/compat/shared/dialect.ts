import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DocumentNode } from 'graphql';
import type { Credentials } from '../../domain/accounts/tokens.js';
import type { Viewer } from '../../domain/viewer.js';
import type { UrlBuilder } from '../../files/urls.js';
import type { Yoga } from '../../graphql/yoga.js';
import type { Logger } from '../../logger.js';
import { createAppSecretAuth } from './app-secret.js';
import { BadRequestError, readParams } from './params.js';
import { CompatFailure, checkCredentials, compile, createCall, createRunner, retryAfterHeader, sendJson, type Call, type Failure } from './run.js';
import { routeTable, type BaseRoute, type Method } from './table.js';

type Json = Record<string, any>;

/** An answer: HTTP status, body (`undefined`: none) and extra headers. */
export type Answer = [status: number, body: unknown, headers?: Record<string, string>];

/** A route of a dialect built on `createDialect`. */
export interface DialectRoute extends BaseRoute {
  /** GraphQL documents by name; `pick` chooses one per call (the first when absent). Root field aliased `result`. */
  documents: Record<string, string>;
  pick?: (call: Call) => string;
  /** The document's variables; may look things up through `call.query` and narrow `call.credentials`. */
  variables?: (call: Call) => Json | Promise<Json>;
  /** The answer from the `result` value. */
  answer: (value: any, call: Call) => Answer | Promise<Answer>;
}

export interface DialectOptions<R extends DialectRoute> {
  name: string;
  routes: R[];
  /** The path as the table lists it (strip a version prefix, a trailing slash), or undefined when not the dialect's. */
  path?: (pathname: string) => string | undefined;
  /**
   * The credentials of a request, or a failure to answer before anything else is read.
   * `appSecret` turns an app id and secret into admin credentials (GraphQL's createAdminToken).
   */
  credentials: (req: IncomingMessage, appSecret: AppSecretAuth) => Promise<Credentials | Failure>;
  /** A dialect's own check of the viewer the credentials identify (a header that must name them, say). */
  viewer?: (viewer: Viewer, req: IncomingMessage) => Failure | undefined;
  /** The dialect's answer to a failure (its codes, statuses and error body). */
  failure: (failure: Failure, route: R, req: IncomingMessage) => Answer;
  /** A known path asked with a method it does not serve. */
  methodNotAllowed: (req: IncomingMessage) => Answer;
  /** Headers every answer carries (echoed request headers, say). */
  headers?: (req: IncomingMessage) => Record<string, string>;
}

export type AppSecretAuth = (appId: string, appSecret: string) => Promise<Credentials | Failure>;

/**
 * A dialect as a route table: credentials first (a request without valid ones is refused before
 * its parameters are looked at), then parameters (query, JSON or form), then the route's
 * documents through the same envelop pipeline as /graphql, then the dialect's answer.
 */
export function createDialect<R extends DialectRoute>(options: DialectOptions<R>, yoga: Yoga, logger: Logger, urls: (req: IncomingMessage) => UrlBuilder) {
  type Compiled = R & { parsed: Record<string, DocumentNode> };
  const table = routeTable<Compiled>(options.routes as Compiled[], (route) => ({
    ...route,
    parsed: Object.fromEntries(Object.entries(route.documents).map(([name, doc]) => [name, compile(yoga, `${options.name} ${route.path} ${name}`, doc)])),
  }));
  const run = createRunner(yoga, urls);
  const mint = createAppSecretAuth(run);

  /** Answers the request if its path is the dialect's; `matched` hears the dialect's name and the route's pattern (metrics). */
  async function handle(req: IncomingMessage, res: ServerResponse, url: URL, matched?: (dialect: string, route: string) => void): Promise<boolean> {
    const path = options.path ? options.path(url.pathname) : url.pathname;
    const match = path === undefined ? undefined : table.match(path);
    if (!match) return false;
    matched?.(options.name, match.byMethod.values().next().value?.path ?? '');
    const route = match.byMethod.get(req.method as Method);
    const [status, body, headers] = route ? await answer(route, req, url, match.pathParams) : options.methodNotAllowed(req);
    sendJson(res, status, body, { ...options.headers?.(req), ...headers });
    return true;
  }

  async function answer(route: Compiled, req: IncomingMessage, url: URL, pathParams: Record<string, string>): Promise<Answer> {
    const fail = (failure: Failure) => {
      if (failure.kind === 'internal') logger.error({ dialect: options.name, route: route.path }, 'compat route failed');
      const [status, body, headers] = options.failure(failure, route, req);
      return [status, body, { ...headers, ...retryAfterHeader(failure) }] as Answer;
    };
    try {
      const credentials = await options.credentials(req, (appId, appSecret) => mint(req, appId, appSecret));
      if ('kind' in credentials) return fail(credentials);
      const checked = await checkCredentials(yoga, urls, req, credentials);
      if ('failure' in checked) return fail(checked.failure);
      const refused = options.viewer?.(checked.viewer, req);
      if (refused) return fail(refused);
      let params;
      try {
        params = await readParams(req, url);
      } catch (error) {
        if (error instanceof BadRequestError) return fail({ kind: 'bad-request', message: error.message });
        throw error;
      }
      const call = createCall(run, req, params, pathParams, credentials);
      const variables = (await route.variables?.(call)) ?? {};
      const document = route.parsed[route.pick?.(call) ?? Object.keys(route.parsed)[0]!]!;
      const outcome = await run(req, call.credentials, document, variables);
      if (!outcome.ok) return fail(outcome.failure);
      return await route.answer(outcome.value, call);
    } catch (error) {
      if (error instanceof CompatFailure) return fail(error.failure);
      throw error;
    }
  }

  return { handle, served: table.served };
}
