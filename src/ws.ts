import type { Server } from 'node:http';
import type { DocumentNode, ExecutionArgs } from 'graphql';
import { CloseCode, type Context as WsContext } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { workerHeader } from './cluster.js';
import type { Context } from './context.js';
import { authenticate, tokenEventKey, type Credentials } from './domain/accounts/tokens.js';
import type { Deps } from './domain/deps.js';
import { DomainError } from './domain/errors.js';
import type { Presence } from './domain/presence.js';
import type { Viewer } from './domain/viewer.js';
import { isGraphQLError, type Yoga } from './graphql/yoga.js';
import { urlBuilder } from './files/urls.js';
import type { Logger } from './logger.js';
import type { TokenEvent } from './realtime/events.js';
import type { LiveStream } from './realtime/pubsub.js';

type ConnectionExtra = {
  credentials: Credentials;
  /** Every operation of the connection runs as this viewer; the connection closes when its token ends. */
  viewer: Viewer;
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
export function attachWebSocket(server: Server, yoga: Yoga, deps: Deps, presence: Presence, logger: Logger) {
  const wss = new WebSocketServer({ server, path: yoga.graphqlEndpoint });
  wss.on('connection', (socket) => {
    deps.metrics.wsConnections.inc();
    socket.once('close', () => deps.metrics.wsConnections.dec());
  });
  const worker = workerHeader();
  if (worker) wss.on('headers', (headers) => headers.push(`${worker[0]}: ${worker[1]}`));

  const wsServer = useServer<Record<string, unknown>, ConnectionExtra>(
    {
      onConnect: async (ctx) => {
        const socket = ctx.extra.socket;
        const refuse = (code: string) => {
          socket.close(CloseCode.Forbidden, `Forbidden: ${code}`);
          return false;
        };
        const credentials = credentialsFromConnectionParams(ctx.connectionParams);
        if (!credentials.token) return refuse('TOKEN_MISSING');
        // Listen for the token's revocation before checking it: a revocation is then either seen
        // by the check or heard afterwards, never missed in between.
        const revocations = await deps.events.subscribe('token', tokenEventKey(credentials.token));
        let viewer: Viewer;
        try {
          viewer = await authenticate(deps, credentials);
        } catch (error) {
          revocations.close();
          if (!(error instanceof DomainError)) throw error;
          return refuse(error.code);
        }
        if (socket.readyState !== socket.OPEN) {
          revocations.close(); // the client left while we checked
          return false;
        }
        ctx.extra.credentials = credentials;
        ctx.extra.viewer = viewer;
        const stopWatching = endWithToken(socket, viewer, revocations, logger);
        // An admin acting as a user is not that user being online.
        const connectionId =
          viewer.kind === 'user' && !viewer.viaAdmin
            ? await presence.connect(viewer.appId, viewer.userId, viewer.deviceSn)
            : undefined;
        ctx.extra.stopWatching = () => {
          stopWatching();
          if (connectionId) {
            presence.disconnect(connectionId).catch((error: unknown) => logger.debug({ err: error }, 'presence disconnect failed'));
          }
        };
        if (socket.readyState !== socket.OPEN) ctx.extra.stopWatching();
        return true;
      },
      onClose: (ctx) => ctx.extra.stopWatching?.(),
      onSubscribe: async (ctx, _id, payload) => {
        const urls = urlBuilder(deps.config, ctx.extra.request.headers);
        const enveloped = yoga.getEnveloped({ credentials: ctx.extra.credentials, viewer: ctx.extra.viewer, params: payload, urls });
        let document: DocumentNode;
        try {
          document = enveloped.parse(payload.query);
          const errors = enveloped.validate(enveloped.schema, document);
          if (errors.length > 0) return errors;
        } catch (error) {
          // A bad document (or one over the limits) is the operation's error, not the
          // connection's: the socket stays open.
          if (isGraphQLError(error)) return [error];
          throw error;
        }
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

/** Closes the socket when its token is revoked (through any server process) or expires. */
function endWithToken(socket: WebSocket, viewer: Viewer, revocations: LiveStream<TokenEvent>, logger: Logger) {
  const close = (reason: string) => {
    if (socket.readyState === socket.OPEN) socket.close(CloseCode.Forbidden, `Forbidden: ${reason}`);
  };
  const expiresAt = viewer.kind === 'anonymous' ? Date.now() : viewer.tokenExpiresAt.getTime();
  const expiry = setTimeout(() => close('TOKEN_EXPIRED'), Math.min(expiresAt - Date.now(), MAX_TIMER_MS));
  void (async () => {
    for await (const { reason } of revocations) {
      // The account event published just before reaches this connection's subscriptions through
      // promise jobs only; closing after them lets the client see why before the socket goes.
      setImmediate(() => close(reason));
    }
  })().catch((error: unknown) => logger.error({ err: error }, 'token watcher failed'));
  return () => {
    clearTimeout(expiry);
    revocations.close();
  };
}
