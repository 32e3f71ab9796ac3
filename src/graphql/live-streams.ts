import { createGraphQLError, isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { Context } from '../context.js';
import type { Deps } from '../domain/deps.js';
import { DomainError } from '../domain/errors.js';
import { openLiveSession, type LiveSession } from '../realtime/session.js';
import type { ServerContext } from './yoga.js';

export interface LiveStreams {
  plugin: Plugin;
  /** Graceful stop: ends every open HTTP stream (each client sees a clean end) and refuses new ones. */
  endAll(): void;
}

/**
 * Subscriptions over HTTP (server-sent events) end like graphql-ws connections do: when their
 * session ends (openLiveSession decides, for both transports), when their client leaves, and when
 * the server stops. Each gets a `liveUntil` signal in its context that the stream honours: it
 * delivers what was published before (the TokenRevokedEvent of a revocation), then ends.
 * graphql-ws connections carry their own signal and close their socket themselves.
 */
export function createLiveStreams(deps: Deps): LiveStreams {
  const open = new Set<AbortController>();
  let stopping = false;

  const plugin: Plugin<Context & ServerContext> = {
    async onSubscribe({ args, extendContext, setResultAndStopExecution }) {
      const context = args.contextValue as Context & ServerContext & { request?: Request };
      if (context.transport === 'ws') return;
      if (stopping) {
        setResultAndStopExecution({ errors: [createGraphQLError('the server is stopping: reconnect shortly', { extensions: { code: 'SERVER_STOPPING', http: { status: 503 } } })] });
        return;
      }
      let session: LiveSession | undefined;
      if (context.viewer.kind !== 'anonymous' && context.credentials.token) {
        try {
          // Checked again, now listening: a revocation since the request was authenticated is not missed.
          session = await openLiveSession(deps, context.credentials);
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          setResultAndStopExecution({ errors: [createGraphQLError(error.message, { extensions: error.extensions })] });
          return;
        }
      }
      const controller = new AbortController();
      open.add(controller);
      const done = () => {
        open.delete(controller);
        session?.close();
      };
      session?.onEnd(() => controller.abort());
      context.request?.signal.addEventListener('abort', () => controller.abort(), { once: true });
      extendContext({ liveUntil: controller.signal });
      return {
        onSubscribeResult({ result }) {
          if (!isAsyncIterable(result)) return done();
          return { onEnd: done };
        },
      };
    },
  };

  return {
    plugin: plugin as Plugin,
    endAll() {
      stopping = true;
      for (const controller of open) controller.abort();
    },
  };
}
