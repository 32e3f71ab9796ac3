import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse, type DocumentNode, type ExecutionResult, type GraphQLError } from 'graphql';
import type { Context } from '../../context.js';
import { ERROR_CODES, type ErrorCode } from '../../domain/errors.js';
import type { Yoga } from '../../graphql/yoga.js';
import type { UrlBuilder } from '../../files/urls.js';
import type { Logger } from '../../logger.js';
import { BAD_PARAMETERS, INTERNAL_ERROR, MAXIM_CODES, NOT_FOUND, httpStatusOf } from './codes.js';
import { BadRequestError, ParamError, readParams } from './params.js';
import { routes } from './routes/index.js';
import type { Method, Route } from './routes/types.js';

const FAILURE_FRAGMENT = `fragment Failure on Error { __typename code message ... on InvalidInputError { field } }`;

interface CompiledRoute extends Route {
  parsed: DocumentNode;
}

export interface Envelope {
  code: number;
  message: string | null;
  data: unknown;
  [extra: string]: unknown;
}

/**
 * The REST adapter of the Maximtop (004) dialect: a request is matched against the route table,
 * its parameters become variables of the route's GraphQL document, and the document runs through
 * the same envelop pipeline (and so the same auth, validation and error masking) as /graphql.
 */
export function createMaximCompat(yoga: Yoga, logger: Logger, urls: (req: IncomingMessage) => UrlBuilder) {
  const table = new Map<string, Map<Method, CompiledRoute>>();
  const probe = yoga.getEnveloped({});
  for (const route of routes) {
    const parsed = parse(`${route.document}\n${route.document.includes('...Failure') ? FAILURE_FRAGMENT : ''}`);
    const errors = probe.validate(probe.schema, parsed);
    if (errors.length > 0) throw new Error(`compat route ${route.path}: ${errors.map((e: GraphQLError) => e.message).join('; ')}`);
    const byMethod = table.get(route.path) ?? new Map<Method, CompiledRoute>();
    for (const method of route.methods) byMethod.set(method, { ...route, parsed });
    table.set(route.path, byMethod);
  }

  /** Answers the request if its path belongs to the dialect; returns false otherwise. */
  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const byMethod = table.get(url.pathname);
    if (!byMethod) return false;
    const route = byMethod.get(req.method as Method);
    if (!route) {
      send(res, 405, { code: NOT_FOUND, message: `${req.method} is not served on ${url.pathname}`, data: null });
      return true;
    }
    const [status, envelope] = await run(route, req, url);
    send(res, status, envelope);
    return true;
  }

  async function run(route: CompiledRoute, req: IncomingMessage, url: URL): Promise<[number, Envelope]> {
    let params;
    try {
      params = await readParams(req, url);
    } catch (error) {
      if (error instanceof BadRequestError) return [400, { code: BAD_PARAMETERS, message: error.message, data: null }];
      throw error;
    }
    const header = (name: string) => {
      const value = req.headers[name];
      return (Array.isArray(value) ? value[0] : value) || undefined;
    };
    const appId = header('app_id');
    const credentials = {
      token: header('access-token'),
      actAsUserId: header('user_id'),
      actAsGroupAdminOf: header('group_id'),
      appId,
    };
    let variableValues: Record<string, unknown>;
    try {
      variableValues = route.variables?.(params, { appId, groupId: credentials.actAsGroupAdminOf }) ?? {};
    } catch (error) {
      if (error instanceof ParamError) return [httpStatusOf(error.code), { code: MAXIM_CODES[error.code], message: error.message, data: null }];
      throw error;
    }
    const { execute, contextFactory, schema } = yoga.getEnveloped({ credentials, urls: urls(req) });
    const result = (await execute({
      schema,
      document: route.parsed,
      variableValues,
      contextValue: (await contextFactory()) as Context,
    })) as ExecutionResult<{ result: Record<string, unknown> | null }>;
    return toEnvelope(route, result);
  }

  function toEnvelope(route: CompiledRoute, result: ExecutionResult<{ result: any }>): [number, Envelope] {
    if (result.errors?.length) return fromGraphQLError(route, result.errors[0]!);
    const value = result.data?.result;
    if (value && typeof value === 'object' && typeof value.__typename === 'string' && 'code' in value) {
      const code = value.code as ErrorCode;
      return [httpStatusOf(code), { code: MAXIM_CODES[code], message: value.message, data: null }];
    }
    if (value === null && route.notFound) return [200, { code: MAXIM_CODES.USER_NOT_FOUND, message: route.notFound, data: null }];
    return [200, { code: 200, message: null, data: route.data ? route.data(value, result.data) : value, ...route.extra?.(value) }];
  }

  function fromGraphQLError(route: CompiledRoute, error: GraphQLError): [number, Envelope] {
    const code = error.extensions?.['code'];
    if (typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code)) {
      const domainCode = code as ErrorCode;
      return [httpStatusOf(domainCode), { code: MAXIM_CODES[domainCode], message: error.message, data: null }];
    }
    if (code === 'INTERNAL_SERVER_ERROR') {
      logger.error({ route: route.path }, 'compat route failed');
      return [500, { code: INTERNAL_ERROR, message: 'internal server error', data: null }];
    }
    // Variable coercion failed: a parameter has the wrong type.
    return [200, { code: BAD_PARAMETERS, message: error.message, data: null }];
  }

  return { handle, paths: () => [...table.keys()] };
}

export function send(res: ServerResponse, status: number, envelope: Envelope) {
  const body = JSON.stringify(envelope);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
