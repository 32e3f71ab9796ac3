import { GraphQLError } from 'graphql';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { usePrometheus } from '@graphql-yoga/plugin-prometheus';
import { createYoga, maskError, type YogaServerInstance } from 'graphql-yoga';
import { createContext, credentialsFromHeaders, type Context } from '../context.js';
import type { Credentials } from '../domain/accounts/tokens.js';
import type { Deps } from '../domain/deps.js';
import type { Viewer } from '../domain/viewer.js';
import { DomainError } from '../domain/errors.js';
import { urlBuilder, type UrlBuilder } from '../files/urls.js';
import { useBodyLimits } from './body-limits.js';
import type { Logger } from '../logger.js';
import { schema } from './schema/index.js';

/** What a transport hands yoga; WebSocket and REST pass credentials they read themselves. */
export interface ServerContext {
  credentials?: Credentials;
  /** Over WebSocket: the viewer the connection authenticated (it ends when the token does). */
  viewer?: Viewer;
  urls?: UrlBuilder;
}

export type Yoga = YogaServerInstance<ServerContext, Context>;

export function createGraphQLServer(deps: Deps, logger: Logger): Yoga {
  return createYoga<ServerContext, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: deps.config.env === 'development' ? { title: 'IM server', subscriptionsProtocol: 'WS' } : false,
    landingPage: false,
    // Bounds on what one document may ask, so a single request cannot make the server work
    // without limit. Generous for real clients (GraphiQL's introspection included).
    plugins: [
      maxTokensPlugin({ n: 5000 }),
      maxDepthPlugin({ n: 15 }),
      maxAliasesPlugin({ n: 30 }),
      useBodyLimits({ json: 1024 * 1024, multipart: deps.config.files.graphqlUploadMaxBytes }),
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
    ],
    // Replaced by useBodyLimits, which allows multipart uploads more than JSON bodies.
    maxRequestBodySize: false,
    logging: {
      debug: (...args) => logger.debug(args.map(String).join(' ')),
      info: (...args) => logger.info(args.map(String).join(' ')),
      warn: (...args) => logger.warn(args.map(String).join(' ')),
      error: (...args) => logger.error(args.map(String).join(' ')),
    },
    context: ({ request, credentials, viewer, urls }) =>
      createContext(deps, credentials ?? credentialsFromHeaders(request.headers), urls ?? urlBuilder(deps.config, request.headers), viewer),
    maskedErrors: {
      // Domain errors that escape a field (auth failures, say) keep their message and gain their code;
      // anything else is a bug: logged here, masked for the client.
      maskError: (error, message) => {
        const original = unwrap(error);
        const located = error as Partial<GraphQLError>;
        if (original instanceof DomainError) {
          // Reported as it is (its extensions carry the code): yoga logs only what masking changed.
          if (isGraphQLError(error) && error.extensions['code'] === original.code) return error;
          return new GraphQLError(original.message, {
            nodes: located.nodes,
            path: located.path,
            extensions: original.extensions,
          });
        }
        // A GraphQLError of its own (a syntax or validation error) is the client's; anything else is a bug.
        if (original !== error || !isGraphQLError(error)) logger.error({ err: original }, 'unexpected error');
        return maskError(error, message, false);
      },
    },
  });
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
