import type { Server } from 'node:http';
import type { ExecutionArgs } from 'graphql';
import { CloseCode, type Context as WsContext } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Context } from './context.js';
import { authenticate, type Credentials } from './domain/accounts/tokens.js';
import type { Deps } from './domain/deps.js';
import { DomainError } from './domain/errors.js';
import type { Viewer } from './domain/viewer.js';
import type { Yoga } from './graphql/yoga.js';
import type { Logger } from './logger.js';
import { accountKey, type AccountEvent } from './realtime/events.js';
import type { LiveStream } from './realtime/pubsub.js';

type ConnectionExtra = {
  credentials: Credentials;
  /** Stops watching the account for revocations; set once the connection is authenticated. */
  stopWatching: () => void;
};

type Enveloped = ReturnType<Yoga['getEnveloped']>;

/**
 * graphql-ws on the HTTP server's port and /graphql path. A connection authenticates once, in
 * connection_init (`{ token, actAsUserId }`); each operation then builds its context from those
 * credentials, through the same envelop pipeline as HTTP. A connection ends when its token is
 * revoked or expires.
 */
export function attachWebSocket(server: Server, yoga: Yoga, deps: Deps, logger: Logger) {
  const wss = new WebSocketServer({ server, path: yoga.graphqlEndpoint });

  const wsServer = useServer<Record<string, unknown>, ConnectionExtra>(
    {
      onConnect: async (ctx) => {
        const credentials = credentialsFromConnectionParams(ctx.connectionParams);
        let viewer: Viewer;
        try {
          viewer = await authenticate(deps, credentials);
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          ctx.extra.socket.close(CloseCode.Forbidden, `Forbidden: ${error.code}`);
          return false;
        }
        if (viewer.kind === 'anonymous') {
          ctx.extra.socket.close(CloseCode.Forbidden, 'Forbidden: TOKEN_MISSING');
          return false;
        }
        ctx.extra.credentials = credentials;
        ctx.extra.stopWatching = watchToken(ctx.extra.socket, viewer, credentials, deps, logger);
        return true;
      },
      onClose: (ctx) => ctx.extra.stopWatching?.(),
      onSubscribe: async (ctx, _id, payload) => {
        const enveloped = yoga.getEnveloped({ credentials: ctx.extra.credentials, params: payload });
        const document = enveloped.parse(payload.query);
        const errors = enveloped.validate(enveloped.schema, document);
        if (errors.length > 0) return errors;
        const args: ExecutionArgs & { rootValue: Enveloped } = {
          schema: enveloped.schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: (await enveloped.contextFactory()) as Context,
          rootValue: enveloped,
        };
        return args;
      },
      execute: (args) => (args.rootValue as Enveloped).execute(args),
      subscribe: (args) => (args.rootValue as Enveloped).subscribe(args),
    },
    wss,
  );

  return { dispose: () => wsServer.dispose() };
}

function credentialsFromConnectionParams(params: WsContext['connectionParams']): Credentials {
  const token = typeof params?.['token'] === 'string' ? params['token'] : undefined;
  const actAs = params?.['actAsUserId'];
  return { token, actAsUserId: typeof actAs === 'string' || typeof actAs === 'number' ? actAs : undefined };
}

const MAX_TIMER_MS = 2 ** 31 - 1;

/** Closes the socket when its token is revoked (by any server process) or expires. */
function watchToken(
  socket: WebSocket,
  viewer: Exclude<Viewer, { kind: 'anonymous' }>,
  credentials: Credentials,
  deps: Deps,
  logger: Logger,
) {
  const close = (reason: string) => {
    if (socket.readyState === socket.OPEN) socket.close(CloseCode.Forbidden, `Forbidden: ${reason}`);
  };
  const expiry = setTimeout(() => close('TOKEN_EXPIRED'), Math.min(viewer.tokenExpiresAt.getTime() - Date.now(), MAX_TIMER_MS));
  if (viewer.kind !== 'user') return () => clearTimeout(expiry);

  let stopped = false;
  let events: LiveStream<AccountEvent> | undefined;
  void (async () => {
    events = await deps.events.subscribe('account', accountKey(viewer.appId, viewer.userId));
    if (stopped) return events.close();
    // A revocation between the connection's authentication and this subscription went unseen.
    await authenticate(deps, credentials).catch((error: unknown) => {
      if (!(error instanceof DomainError)) throw error;
      close(error.code);
    });
    for await (const event of events) {
      if (event.type === 'TOKEN_REVOKED' && event.tokenIds.includes(viewer.tokenId)) {
        // The event reaches this connection's own subscriptions through promise jobs only; closing
        // after them lets the client see why before the socket goes.
        setImmediate(() => close('TOKEN_REVOKED'));
      }
    }
  })().catch((error: unknown) => logger.error({ err: error }, 'token watcher failed'));
  return () => {
    stopped = true;
    clearTimeout(expiry);
    events?.close();
  };
}
