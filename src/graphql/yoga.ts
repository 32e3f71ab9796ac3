import type { IncomingMessage } from 'node:http';
import { getOperationAST, GraphQLError } from 'graphql';
import { useGraphQlJit } from '@envelop/graphql-jit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { usePrometheus } from '@graphql-yoga/plugin-prometheus';
import { createYoga, maskError, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { clientAddress } from '../client-address.js';
import { createContext, credentialsFromHeaders, type Context } from '../context.js';
import type { Credentials } from '../domain/accounts/tokens.js';
import type { Deps } from '../domain/deps.js';
import type { Viewer } from '../domain/viewer.js';
import { DomainError } from '../domain/errors.js';
import { urlBuilder, type UrlBuilder } from '../files/urls.js';
import { useAuditLog } from './audit.js';
import { useBodyLimits } from './body-limits.js';
import { useCostLimit } from './cost-limit.js';
import { graphiqlOn, renderGraphiQL } from './graphiql.js';
import { useInputGate } from './input-gate.js';
import type { PersistedOperations } from './persisted.js';
import { useRateLimits } from './rate-limits.js';
import type { LiveStreams } from './live-streams.js';
import type { Logger } from '../logger.js';
import { schema } from './schema/index.js';
import { useRequestNotes } from '../request-log.js';

/** What a transport hands yoga; WebSocket and REST pass credentials they read themselves. */
export interface ServerContext {
  credentials?: Credentials;
  /** Over WebSocket: the viewer the connection authenticated (it ends when the token does). */
  viewer?: Viewer;
  /** Set by the graphql-ws transport, which ends its sessions itself (the socket closes). */
  transport?: 'ws';
  /** Over WebSocket: aborted when the connection ends, which ends its live streams. */
  liveUntil?: AbortSignal;
  /** The HTTP request (a REST request, a GraphQL request): where the client is. */
  req?: IncomingMessage;
  /** Over WebSocket: the client's address, read from the upgrade request when the connection opened. */
  address?: string;
  urls?: UrlBuilder;
}

export type Yoga = YogaServerInstance<ServerContext, Context>;

/** Optional parts: persisted operations only (PERSISTED_OPERATIONS), traces (OTEL_EXPORTER_OTLP_ENDPOINT). */
export interface GraphQLOptions {
  persisted?: PersistedOperations;
  tracing?: Plugin;
}

export function createGraphQLServer(deps: Deps, logger: Logger, live: LiveStreams, options: GraphQLOptions = {}): Yoga {
  const limits = deps.config.graphqlLimits;
  return createYoga<ServerContext, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: graphiqlOn(deps.config) ? { title: 'IM server', subscriptionsProtocol: 'WS' } : false,
    renderGraphiQL,
    landingPage: false,
    cors: corsPolicy(deps.config.corsOrigins),
    // Bounds on what one document may ask, so a single request cannot make the server work
    // without limit (config.graphqlLimits).
    plugins: [
      ...(options.persisted?.plugins() ?? []),
      ...(options.tracing ? [options.tracing] : []),
      useInputGate(),
      useRateLimits(deps.requests, deps.metrics),
      live.plugin,
      maxTokensPlugin({ n: limits.maxTokens }),
      maxDepthPlugin({ n: limits.maxDepth }),
      maxAliasesPlugin({ n: limits.maxAliases }),
      useCostLimit(limits.maxCost),
      useBodyLimits({ json: 1024 * 1024, multipart: deps.config.files.graphqlUploadMaxBytes }),
      useAuditLog(logger),
      useRequestNotes(),
      // Operations by name and type: how many, how long, which failed (served by GET /metrics).
      usePrometheus({
        registry: deps.metrics.registry,
        endpoint: false,
        skipIntrospection: true,
        metrics: {
          graphql_envelop_request: true,
          graphql_envelop_request_duration: true,
          graphql_envelop_error_result: true,
          graphql_yoga_http_duration: false,
          graphql_envelop_request_time_summary: false,
          graphql_envelop_phase_parse: false,
          graphql_envelop_phase_validate: false,
          graphql_envelop_phase_context: false,
          graphql_envelop_phase_execute: false,
          graphql_envelop_phase_subscribe: false,
          graphql_envelop_deprecated_field: false,
          graphql_envelop_schema_change: false,
          graphql_envelop_execute_resolver: false,
        },
      }),
      // A subscription executes its selection once per event and subscriber: compiled once per
      // document (graphql-jit) that costs far less than interpreting it each time (bench/README.md).
      useGraphQlJit({}, { enableIf: (args) => getOperationAST(args.document, args.operationName)?.operation === 'subscription' }),
    ],
    // Replaced by useBodyLimits, which allows multipart uploads more than JSON bodies.
    maxRequestBodySize: false,
    // Yoga logs every error that masking changed; maskError below logs the unexpected ones once,
    // so yoga's own copy (which would print the request's source) is kept to debug, made safe.
    logging: {
      debug: (...args) => logger.debug(...yogaLine(args)),
      info: (...args) => logger.info(...yogaLine(args)),
      warn: (...args) => logger.warn(...yogaLine(args)),
      error: (...args) => logger.debug(...yogaLine(args)),
    },
    context: ({ request, credentials, viewer, urls, req, address }) =>
      createContext(
        deps,
        credentials ?? credentialsFromHeaders(request.headers),
        urls ?? urlBuilder(deps.config, request.headers),
        address ?? (req ? clientAddress(req, deps.config.trustProxyHops) : 'unknown'),
        viewer,
      ),
    maskedErrors: { maskError: maskErrorsFor(logger) },
  });
}

/**
 * How errors reach clients, for yoga and for the lean `events` path (lean-events.ts): domain
 * errors that escape a field (auth failures, say) keep their message and gain their code;
 * anything else is a bug: logged here, masked for the client.
 */
export function maskErrorsFor(logger: Logger) {
  return (error: unknown, message: string): Error => {
    const original = unwrap(error);
    const located = error as Partial<GraphQLError>;
    if (original instanceof DomainError) {
      // A fresh GraphQLError, without the DomainError as its original: yoga counts an error
      // with a non-GraphQL original as unexpected, and answers a subscription that fails to
      // start (no `data`) with HTTP 500 for it.
      return new GraphQLError(original.message, {
        nodes: located.nodes,
        path: located.path,
        extensions: original.extensions,
      });
    }
    // A GraphQLError at the bottom (a syntax, validation or variable coercion error) is the
    // client's; anything else is a bug.
    if (!isGraphQLError(original)) logger.error({ err: original }, 'unexpected error');
    return maskError(error, message, false);
  };
}

/**
 * Which browser pages of other origins may call the API: only those listed (CORS_ORIGINS), with
 * credentials; `*` lets any page call without them. Pages of the server's own origin need no CORS
 * headers; other origins get none, so browsers keep their pages from reading the answers.
 */
function corsPolicy(allowed: string[]) {
  return (request: Request) => {
    const origin = request.headers.get('origin');
    if (origin === null) return false as const;
    if (allowed.includes(origin)) return { origin, credentials: true };
    if (allowed.includes('*')) return { origin: '*', credentials: false };
    return false as const;
  };
}

/** A yoga log call as a log entry: errors through safeError (never their text: it may quote the request). */
function yogaLine(args: unknown[]): [object, string] {
  const err = args.find((arg) => arg instanceof Error);
  const msg = args.filter((arg) => typeof arg === 'string').join(' ');
  return [err ? { err } : {}, msg || 'graphql error'];
}

/** The error a resolver threw, under the GraphQLError wrappers the executor adds. */
function unwrap(error: unknown): unknown {
  let current = error;
  while (isGraphQLError(current) && current.originalError) current = current.originalError;
  return current;
}

// Duck-typed: under test runners graphql may be loaded twice, and instanceof then fails.
export const isGraphQLError = (error: unknown): error is GraphQLError =>
  error instanceof Error && 'extensions' in error && 'path' in error;
