import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse, type DocumentNode, type ExecutionResult, type GraphQLError } from 'graphql';
import type { Context } from '../../context.js';
import type { Credentials } from '../../domain/accounts/tokens.js';
import type { Viewer } from '../../domain/viewer.js';
import { ERROR_CODES, type ErrorCode } from '../../domain/errors.js';
import type { UrlBuilder } from '../../files/urls.js';
import type { Yoga } from '../../graphql/yoga.js';
import type { Params } from './params.js';

/** Selects a typed error's code and message wherever a document spreads `...Failure`. */
const FAILURE_FRAGMENT = `fragment Failure on Error { __typename code message ... on InvalidInputError { field } ... on RateLimitedError { retryAfterSeconds } }`;

/**
 * What went wrong in a compat call, in no dialect's terms: each dialect maps it to its own codes.
 * `domain`: a typed error of the operation, or an auth error in `errors[]`; `bad-request`: the
 * request could not become valid variables (unreadable body, a parameter of the wrong type);
 * `internal`: an unexpected failure (logged by the caller, never detailed to the client).
 */
export type Failure =
  | { kind: 'domain'; code: ErrorCode; message: string; field?: string; retryAfterSeconds?: number }
  | { kind: 'bad-request'; message: string }
  | { kind: 'internal'; message: string };

/** The answer of one document: the root field aliased `result` (and the whole `data`), or a failure. */
export type Outcome = { ok: true; value: any; data: Record<string, any> } | { ok: false; failure: Failure };

/** Thrown by a route's own checks (and by lookups) to answer a failure without running more. */
export class CompatFailure extends Error {
  constructor(readonly failure: Failure) {
    super(failure.message);
  }
}

export const badRequest = (message: string) => new CompatFailure({ kind: 'bad-request', message });
export const domainFailure = (code: ErrorCode, message: string, field?: string) => new CompatFailure({ kind: 'domain', code, message, field });

/** What a lookup answered; GraphQL answers null for a missing thing, the dialects a not-found code. */
export function found<T>(value: T | null | undefined, code: ErrorCode, what: string): T {
  if (value === null || value === undefined) throw domainFailure(code, `${what} does not exist`);
  return value;
}

/** A group a `group(id:)` lookup answered. */
export const foundGroup = <T>(group: T | null | undefined): T => found(group, 'GROUP_NOT_FOUND', 'the group');

/** Parses a route's document (with the Failure fragment if it spreads it) and validates it against the schema, at start. */
export function compile(yoga: Yoga, name: string, document: string): DocumentNode {
  const parsed = parse(`${document}\n${document.includes('...Failure') ? FAILURE_FRAGMENT : ''}`);
  const probe = yoga.getEnveloped({});
  const errors = probe.validate(probe.schema, parsed);
  if (errors.length > 0) throw new Error(`compat route ${name}: ${errors.map((e: GraphQLError) => e.message).join('; ')}`);
  return parsed;
}

/** Runs compiled documents through the same envelop pipeline (auth, validation, masking) as /graphql. */
export function createRunner(yoga: Yoga, urls: (req: IncomingMessage) => UrlBuilder) {
  const cache = new Map<string, DocumentNode>();
  return async function run(req: IncomingMessage, credentials: Credentials, document: string | DocumentNode, variables: Record<string, unknown> = {}): Promise<Outcome> {
    let parsed: DocumentNode;
    if (typeof document === 'string') {
      parsed = cache.get(document) ?? compile(yoga, 'lookup', document);
      cache.set(document, parsed);
    } else parsed = document;
    const { execute, contextFactory, schema } = yoga.getEnveloped({ credentials, urls: urls(req), req });
    const result = (await execute({
      schema,
      document: parsed,
      variableValues: variables,
      contextValue: (await contextFactory()) as Context,
    })) as ExecutionResult<Record<string, any>>;
    return outcomeOf(result);
  };
}

export type Runner = ReturnType<typeof createRunner>;

/**
 * Checks credentials the way every operation would (the same context factory), so a dialect can
 * refuse a bad token before it reads any parameter. Undefined when they identify a viewer (or none were given).
 */
export async function checkCredentials(
  yoga: Yoga,
  urls: (req: IncomingMessage) => UrlBuilder,
  req: IncomingMessage,
  credentials: Credentials,
): Promise<{ failure: Failure } | { viewer: Viewer }> {
  const { contextFactory } = yoga.getEnveloped({ credentials, urls: urls(req), req });
  const { authError, viewer } = (await contextFactory()) as Context;
  return authError ? { failure: { kind: 'domain', code: authError.code, message: authError.message } } : { viewer };
}

export function outcomeOf(result: ExecutionResult<Record<string, any>>): Outcome {
  if (result.errors?.length) return { ok: false, failure: failureOf(result.errors[0]!) };
  const value = result.data?.['result'];
  if (value && typeof value === 'object' && typeof value.__typename === 'string' && 'code' in value && isErrorCode(value.code)) {
    const retryAfterSeconds = typeof value.retryAfterSeconds === 'number' ? value.retryAfterSeconds : undefined;
    return { ok: false, failure: { kind: 'domain', code: value.code, message: value.message, field: value.field ?? undefined, retryAfterSeconds } };
  }
  return { ok: true, value, data: result.data ?? {} };
}

function failureOf(error: GraphQLError): Failure {
  const code = error.extensions?.['code'];
  if (isErrorCode(code)) {
    const { field, retryAfterSeconds } = error.extensions ?? {};
    return {
      kind: 'domain',
      code,
      message: error.message,
      field: typeof field === 'string' ? field : undefined,
      retryAfterSeconds: typeof retryAfterSeconds === 'number' ? retryAfterSeconds : undefined,
    };
  }
  if (code === 'INTERNAL_SERVER_ERROR') return { kind: 'internal', message: 'internal server error' };
  // Variable coercion failed: a parameter has the wrong type.
  return { kind: 'bad-request', message: error.message };
}

const isErrorCode = (code: unknown): code is ErrorCode => typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code);

/** The Retry-After header of a rate-limited failure (none for others). */
export function retryAfterHeader(failure: Failure): Record<string, string> {
  return failure.kind === 'domain' && failure.retryAfterSeconds !== undefined ? { 'retry-after': String(failure.retryAfterSeconds) } : {};
}

/** Writes a JSON answer (or an empty one for `undefined`, as 204s need). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  if (body === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

/** The first value of a request header, or undefined when absent or empty. */
export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return (Array.isArray(value) ? value[0] : value) || undefined;
}

/** One request to a route: its parameters, the credentials it runs with, and lookups through GraphQL. */
export interface Call {
  req: IncomingMessage;
  params: Params;
  /** The `:name` segments of the route's path. */
  path: Record<string, string>;
  /** Who acts; a route may narrow an app's credentials to a user (`actAsUserId`) or a group's admin before its document runs. */
  credentials: Credentials;
  /** Runs another document with the call's credentials: its `result`, or a thrown CompatFailure. */
  query(document: string, variables?: Record<string, unknown>): Promise<any>;
  /** What a route's `variables` leaves for its `answer` (the rest of a batch, say). */
  carry?: unknown;
}

export function createCall(run: Runner, req: IncomingMessage, params: Params, path: Record<string, string>, credentials: Credentials): Call {
  const call: Call = {
    req,
    params,
    path,
    credentials,
    async query(document, variables) {
      const outcome = await run(req, call.credentials, document, variables);
      if (!outcome.ok) throw new CompatFailure(outcome.failure);
      return outcome.value;
    },
  };
  return call;
}
