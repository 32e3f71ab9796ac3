import { createGraphQLError, isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { Context } from '../context.js';
import type { Deps } from '../domain/deps.js';
import { DomainError } from '../domain/errors.js';
import { createLiveAdmission, type LiveAdmission } from '../realtime/admission.js';
import { openLiveSession, type LiveSession } from '../realtime/session.js';
import type { ServerContext } from './yoga.js';

export interface LiveStreams {
  plugin: Plugin;
  /** The connection limits, shared with the graphql-ws transport: a user's sockets and streams count together. */
  admission: LiveAdmission;
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
  const admission = createLiveAdmission(deps.config.live);
  let stopping = false;
  const refuse = (stop: (result: { errors: Error[] }) => void, message: string, code: string, status: number) =>
    stop({ errors: [createGraphQLError(message, { extensions: { code, http: { status } } })] });

  const plugin: Plugin<Context & ServerContext> = {
    async onSubscribe({ args, extendContext, setResultAndStopExecution }) {
      const context = args.contextValue as Context & ServerContext & { request?: Request };
      if (context.transport === 'ws') return;
      if (stopping) {
        return refuse(setResultAndStopExecution, 'the server is stopping: reconnect shortly', 'SERVER_STOPPING', 503);
      }
      const ticket = admission.open();
      if (!ticket) return refuse(setResultAndStopExecution, 'the server holds as many live connections as it may: retry later', 'SERVER_BUSY', 503);
      if (!ticket.claim(context.viewer)) {
        ticket.release();
        const limit = deps.config.live.maxConnectionsPerUser;
        return refuse(setResultAndStopExecution, `at most ${limit} live connections (sockets and streams) per user: close one first`, 'TOO_MANY_CONNECTIONS', 429);
      }
      let session: LiveSession | undefined;
      if (context.viewer.kind !== 'anonymous' && context.credentials.token) {
        try {
          // Checked again, now listening: a revocation since the request was authenticated is not missed.
          session = await openLiveSession(deps, context.credentials);
        } catch (error) {
          ticket.release();
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
        ticket.release();
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
    admission,
    endAll() {
      stopping = true;
      for (const controller of open) controller.abort();
    },
  };
}
