import { GraphQLError } from 'graphql';
import { createYoga, maskError, type YogaServerInstance } from 'graphql-yoga';
import { createContext, credentialsFromHeaders, type Context } from '../context.js';
import type { Credentials } from '../domain/accounts/tokens.js';
import type { Deps } from '../domain/deps.js';
import { DomainError, InvalidInputError, ConflictError } from '../domain/errors.js';
import type { Logger } from '../logger.js';
import { schema } from './schema/index.js';

/** What a transport hands yoga; WebSocket and REST pass credentials they read themselves. */
export interface ServerContext {
  credentials?: Credentials;
}

export type Yoga = YogaServerInstance<ServerContext, Context>;

export function createGraphQLServer(deps: Deps, logger: Logger): Yoga {
  return createYoga<ServerContext, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: deps.config.env === 'development' ? { title: 'IM server', subscriptionsProtocol: 'WS' } : false,
    landingPage: false,
    logging: {
      debug: (...args) => logger.debug(args.map(String).join(' ')),
      info: (...args) => logger.info(args.map(String).join(' ')),
      warn: (...args) => logger.warn(args.map(String).join(' ')),
      error: (...args) => logger.error(args.map(String).join(' ')),
    },
    context: ({ request, credentials }) => createContext(deps, credentials ?? credentialsFromHeaders(request.headers)),
    maskedErrors: {
      // Domain errors that escape a field (auth failures, say) keep their message and gain their code;
      // anything else is a bug: logged here, masked for the client.
      maskError: (error, message) => {
        const original = error instanceof GraphQLError ? error.originalError : error;
        if (original instanceof DomainError) {
          const field = original instanceof InvalidInputError || original instanceof ConflictError ? original.field : undefined;
          return new GraphQLError(original.message, {
            ...(error instanceof GraphQLError && { nodes: error.nodes, path: error.path }),
            extensions: { code: original.code, ...(field && { field }) },
          });
        }
        if (!(error instanceof GraphQLError && !error.originalError)) logger.error({ err: original }, 'unexpected error');
        return maskError(error, message, false);
      },
    },
  });
}
