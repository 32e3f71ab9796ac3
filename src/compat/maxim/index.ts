import type { IncomingMessage, ServerResponse } from 'node:http';
import { Kind, type DocumentNode } from 'graphql';
import type { UrlBuilder } from '../../files/urls.js';
import type { Yoga } from '../../graphql/yoga.js';
import type { Logger } from '../../logger.js';
import { readParams, BadRequestError } from '../shared/params.js';
import { checkCredentials, compile, createRunner, header, retryAfterHeader, sendJson, type Failure, type Outcome } from '../shared/run.js';
import { routeTable, type Method } from '../shared/table.js';
import { BAD_PARAMETERS, INTERNAL_ERROR, MAXIM_CODES, NOT_FOUND, httpStatusOf } from './codes.js';
import { ParamError } from './params.js';
import { routes } from './routes/index.js';
import type { Route } from './routes/types.js';

interface CompiledRoute extends Route {
  parsed: DocumentNode;
  /** Whether the route's operation needs a viewer (all but logging in and registering). */
  needsViewer: boolean;
}

/** Operations anyone may run: every other route's credentials are checked before its parameters are read. */
const ANONYMOUS = new Set(['createAccessToken', 'createAdminToken', 'registerUser', 'registerPushUser']);

function rootField(document: DocumentNode): string | undefined {
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  const first = operation?.selectionSet.selections[0];
  return first?.kind === Kind.FIELD ? first.name.value : undefined;
}

export interface Envelope {
  code: number;
  message: string | null;
  data: unknown;
  [extra: string]: unknown;
}

/** An answer: status, envelope and extra headers (Retry-After). */
type Answer = [status: number, envelope: Envelope, headers?: Record<string, string>];

/**
 * The REST adapter of the Maximtop (004) dialect: a request is matched against the route table,
 * its parameters become variables of the route's GraphQL document, and the document runs through
 * the same envelop pipeline (and so the same auth, validation and error masking) as /graphql.
 */
export function createMaximCompat(yoga: Yoga, logger: Logger, urls: (req: IncomingMessage) => UrlBuilder) {
  const table = routeTable<CompiledRoute>(routes as CompiledRoute[], (route) => {
    const parsed = compile(yoga, route.path, route.document);
    return { ...route, parsed, needsViewer: !ANONYMOUS.has(rootField(parsed) ?? '') };
  });
  const runDocument = createRunner(yoga, urls);

  /** Answers the request if its path belongs to the dialect; returns false otherwise. */
  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const match = table.match(url.pathname);
    if (!match) return false;
    const route = match.byMethod.get(req.method as Method);
    if (!route) {
      send(res, 405, { code: NOT_FOUND, message: `${req.method} is not served on ${url.pathname}`, data: null });
      return true;
    }
    const [status, envelope, headers] = await run(route, req, url);
    sendJson(res, status, envelope, headers);
    return true;
  }

  async function run(route: CompiledRoute, req: IncomingMessage, url: URL): Promise<Answer> {
    const appId = header(req, 'app_id');
    const credentials = {
      token: header(req, 'access-token'),
      actAsUserId: header(req, 'user_id'),
      actAsGroupAdminOf: header(req, 'group_id'),
      appId,
    };
    // Unauthenticated is answered as such, whatever the parameters (a missing token is not a bad parameter).
    if (route.needsViewer) {
      const checked = await checkCredentials(yoga, urls, req, credentials);
      if ('failure' in checked) return fromFailure(route, checked.failure);
      if (checked.viewer.kind === 'anonymous') return fromFailure(route, { kind: 'domain', code: 'TOKEN_MISSING', message: 'an access token is required' });
    }
    let params;
    try {
      params = await readParams(req, url);
    } catch (error) {
      if (error instanceof BadRequestError) return [400, { code: BAD_PARAMETERS, message: error.message, data: null }];
      throw error;
    }
    let variables: Record<string, unknown>;
    try {
      variables = route.variables?.(params, { appId, groupId: credentials.actAsGroupAdminOf }) ?? {};
    } catch (error) {
      if (error instanceof ParamError) return [httpStatusOf(error.code), { code: MAXIM_CODES[error.code], message: error.message, data: null }];
      throw error;
    }
    return toEnvelope(route, await runDocument(req, credentials, route.parsed, variables));
  }

  function toEnvelope(route: CompiledRoute, outcome: Outcome): Answer {
    if (!outcome.ok) return fromFailure(route, outcome.failure);
    const value = outcome.value;
    if (value === null && route.notFound) return [200, { code: MAXIM_CODES.USER_NOT_FOUND, message: route.notFound, data: null }];
    return [200, { code: 200, message: null, data: route.data ? route.data(value, outcome.data) : value, ...route.extra?.(value) }];
  }

  function fromFailure(route: CompiledRoute, failure: Failure): Answer {
    switch (failure.kind) {
      case 'domain':
        return [httpStatusOf(failure.code), { code: MAXIM_CODES[failure.code], message: failure.message, data: null }, retryAfterHeader(failure)];
      case 'internal':
        logger.error({ route: route.path }, 'compat route failed');
        return [500, { code: INTERNAL_ERROR, message: 'internal server error', data: null }];
      case 'bad-request':
        return [200, { code: BAD_PARAMETERS, message: failure.message, data: null }];
    }
  }

  return { handle, paths: table.paths };
}

export function send(res: ServerResponse, status: number, envelope: Envelope) {
  sendJson(res, status, envelope);
}
