import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { DocumentNode, ExecutionArgs } from 'graphql';
import { CloseCode, type Context as WsContext } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { createGraphQLError } from 'graphql-yoga';
import { WebSocketServer, type WebSocket } from 'ws';
import { workerHeader } from './cluster.js';
import { contextOfViewer, type Context } from './context.js';
import { clientAddress } from './client-address.js';
import type { Credentials } from './domain/accounts/tokens.js';
import type { Deps } from './domain/deps.js';
import { DomainError } from './domain/errors.js';
import type { Presence } from './domain/presence.js';
import type { Viewer } from './domain/viewer.js';
import { inspectRequest, refusal } from './graphql/input-gate.js';
import type { PersistedOperations } from './graphql/persisted.js';
import { eventsOperation, subscribeEvents, type LeanConnection } from './graphql/lean-events.js';
import { isGraphQLError, maskErrorsFor, type Yoga } from './graphql/yoga.js';
import type { Counter } from 'prom-client';
import type { GraphQLError } from 'graphql';
import { urlBuilder, type UrlBuilder } from './files/urls.js';
import type { Logger } from './logger.js';
import { CLOSE_SERVER_BUSY, CLOSE_TOO_MANY_CONNECTIONS, type LiveAdmission, type LiveTicket } from './realtime/admission.js';
import { openLiveSession, type LiveSession } from './realtime/session.js';
import { withRequestId, wsOperationLog } from './request-log.js';

type ConnectionExtra = {
  /**
   * Where the client is and the URLs it is answered with, read from the upgrade request when the
   * connection opens: the request itself (headers and all, about 2 KB) is not kept for its life.
   */
  address: string;
  urls: UrlBuilder;
  credentials: Credentials;
  /** Every operation of the connection runs as this viewer; the connection closes when its token ends. */
  viewer: Viewer;
  /** Stops watching the account for revocations; set once the connection is authenticated. */
  stopWatching: () => void;
  /**
   * Aborted when the connection closes: its generic live streams end with it. Made for the first
   * generic subscription (lean ones end through graphql-ws calling their return()).
   */
  closed?: AbortController;
  /** The connection has closed (or its session ended). */
  ended?: boolean;
  /** What the connection's lean `events` subscriptions share; made by the first. */
  lean?: LeanConnection;
};

type Enveloped = ReturnType<Yoga['getEnveloped']>;

/**
 * graphql-ws on the HTTP server's port and /graphql path. A connection authenticates once, in
 * connection_init (`{ token, actAsUserId }`); each operation then builds its context from those
 * credentials, through the same envelop pipeline as HTTP. A connection ends when its token is
 * revoked or expires.
 */
export function attachWebSocket(yoga: Yoga, deps: Deps, presence: Presence, logger: Logger, admission: LiveAdmission, persisted?: PersistedOperations) {
  // Frames are bounded like HTTP bodies; a larger one closes the socket with 1009 (Message Too Big).
  const wss = new WebSocketServer({ noServer: true, maxPayload: deps.config.wsMaxPayloadBytes });
  const tickets = new WeakMap<WebSocket, LiveTicket>();
  const { maxConnectionsPerUser, maxSubscriptionsPerConnection } = deps.config.live;
  wss.on('connection', (socket) => {
    deps.metrics.wsConnections.inc();
    socket.once('close', () => deps.metrics.wsConnections.dec());
    // Counted from the upgrade on, so sockets that never authenticate count too.
    const ticket = admission.open();
    if (!ticket) return socket.close(CLOSE_SERVER_BUSY, 'Try Again Later: the server has too many connections');
    tickets.set(socket, ticket);
    socket.once('close', () => ticket.release());
  });
  const log = wsOperationLog(logger);
  const appOf = (viewer: Viewer | undefined) => (viewer && viewer.kind !== 'anonymous' ? viewer.appId : undefined);
  const maskError = maskErrorsFor(logger);
  const mask = (error: unknown) => maskError(error, 'Unexpected error.') as GraphQLError;
  let requestCounter: Counter<string> | undefined;
  const leanOf = (extra: ConnectionExtra): LeanConnection => {
    if (extra.lean) return extra.lean;
    const viewer = extra.viewer as LeanConnection['viewer'];
    let context: Context | undefined;
    return (extra.lean = {
      deps,
      viewer,
      mask,
      context: () =>
        (context ??= contextOfViewer(
          deps,
          viewer,
          extra.credentials,
          extra.urls,
          extra.address,
        )),
    });
  };
  const worker = workerHeader();
  if (worker) wss.on('headers', (headers) => headers.push(`${worker[0]}: ${worker[1]}`));

  const wsServer = useServer<Record<string, unknown>, ConnectionExtra>(
    {
      onConnect: async (ctx) => {
        const socket = ctx.extra.socket;
        const request = ctx.extra.request as IncomingMessage | undefined;
        ctx.extra.address = request ? clientAddress(request, deps.config.trustProxyHops) : 'unknown';
        ctx.extra.urls = urlBuilder(deps.config, request?.headers);
        (ctx.extra as { request?: IncomingMessage }).request = undefined;
        const refuse = (code: string) => {
          socket.close(CloseCode.Forbidden, `Forbidden: ${code}`);
          return false;
        };
        const credentials = credentialsFromConnectionParams(ctx.connectionParams);
        // Only the credentials are kept for the socket's life, not whatever else the payload held.
        (ctx as { connectionParams?: unknown }).connectionParams = undefined;
        if (!credentials.token) return refuse('TOKEN_MISSING');
        let session: LiveSession;
        try {
          session = await openLiveSession(deps, credentials);
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          return refuse(error.code);
        }
        if (socket.readyState !== socket.OPEN) {
          session.close(); // the client left while we checked
          return false;
        }
        const { viewer } = session;
        if (!tickets.get(socket)?.claim(viewer)) {
          session.close();
          socket.close(CLOSE_TOO_MANY_CONNECTIONS, `Too many connections: at most ${maxConnectionsPerUser} per user`);
          return false;
        }
        // Operations run as the connection's viewer: the token itself is not needed any more.
        ctx.extra.credentials = { actAsUserId: credentials.actAsUserId };
        ctx.extra.viewer = viewer;
        // The account event published just before a revocation reaches this connection's
        // subscriptions through promise jobs only; closing after them lets the client see why.
        session.onEnd((reason) => setImmediate(() => socket.readyState === socket.OPEN && socket.close(CloseCode.Forbidden, `Forbidden: ${reason}`)));
        const extra = ctx.extra;
        const stopWatching = () => {
          session.close();
          extra.ended = true;
          extra.closed?.abort();
        };
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
      onSubscribe: async (ctx, id, payload) => {
        log.start(ctx, id);
        // graphql-ws lists the connection's operations in flight, this one included.
        if (Object.keys(ctx.subscriptions).length > maxSubscriptionsPerConnection) {
          return [
            createGraphQLError(`at most ${maxSubscriptionsPerConnection} operations at once on one connection: complete one first`, {
              extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' },
            }),
          ];
        }
        const extra = ctx.extra;
        const enveloped = yoga.getEnveloped({
          transport: 'ws',
          credentials: ctx.extra.credentials,
          viewer: ctx.extra.viewer,
          // Read when the generic path builds the operation's context, not by the lean path.
          get liveUntil() {
            return liveUntilOf(extra);
          },
          address: extra.address,
          params: payload,
          urls: extra.urls,
        });
        const refused = inspectRequest(payload);
        if (refused) return [refusal(refused)];
        if (persisted) {
          // Only the manifest's documents run here too (PERSISTED_OPERATIONS): named by id or sent in full.
          const resolved = persisted.resolve(payload);
          if ('error' in resolved) return [resolved.error];
          payload = { ...payload, query: resolved.query };
        }
        let document: DocumentNode;
        try {
          document = enveloped.parse(payload.query);
          log.describe(ctx, id, document, payload.operationName);
          const errors = enveloped.validate(enveloped.schema, document);
          if (errors.length > 0) return errors;
        } catch (error) {
          // A bad document (or one over the limits) is the operation's error, not the
          // connection's: the socket stays open.
          if (isGraphQLError(error)) return [error];
          throw error;
        }
        // The events stream of a user: the lean path (graphql/lean-events.ts), same answers.
        const operation = ctx.extra.viewer?.kind === 'user' ? eventsOperation(document, payload.operationName) : undefined;
        if (operation) {
          requestCounter ??= deps.metrics.registry.getSingleMetric('graphql_envelop_request') as Counter<string> | undefined;
          const lean = subscribeEvents(leanOf(ctx.extra as ConnectionExtra), enveloped.schema, document, operation, payload.operationName ?? undefined, payload.variables, requestCounter);
          if (!(Symbol.asyncIterator in lean)) return [...lean];
          log.running(ctx, id);
          return { schema: enveloped.schema, document, operationName: payload.operationName, variableValues: payload.variables, rootValue: { lean } };
        }
        const args: ExecutionArgs & { rootValue: Enveloped } = {
          schema: enveloped.schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: (await enveloped.contextFactory()) as Context,
          rootValue: enveloped,
        };
        log.running(ctx, id);
        return args;
      },
      onNext: (ctx, id, _payload, _args, result) => {
        const requestId = log.result(ctx, id, result.errors);
        // Results without errors go as they are (the hot path: every delivered event).
        return result.errors?.length ? { ...result, errors: withRequestId(result.errors, requestId) } : undefined;
      },
      onError: (ctx, id, _payload, errors) => withRequestId(errors, log.error(ctx, id, errors, appOf(ctx.extra.viewer))),
      onComplete: (ctx, id) => log.complete(ctx, id, appOf(ctx.extra.viewer)),
      execute: (args) => (args.rootValue as Enveloped).execute(args),
      subscribe: (args) => (args.rootValue as { lean?: AsyncIterableIterator<unknown> }).lean ?? (args.rootValue as Enveloped).subscribe(args),
    },
    wss,
  );

  // A socket error (a frame over maxPayload, a broken frame) is the client's: ws closes the socket
  // with the right code itself. graphql-ws would print it to stderr and try to close with 4500.
  wss.on('connection', (socket) => {
    socket.removeAllListeners('error');
    socket.on('error', (error) => logger.debug({ err: error }, 'websocket client error'));
  });

  return { wss, dispose: () => wsServer.dispose() };
}

/** The signal that ends a connection's generic live streams, made on first use. */
function liveUntilOf(extra: Partial<ConnectionExtra>): AbortSignal | undefined {
  if (!extra.viewer) return undefined;
  if (!extra.closed) {
    extra.closed = new AbortController();
    if (extra.ended) extra.closed.abort();
  }
  return extra.closed.signal;
}

function credentialsFromConnectionParams(params: WsContext['connectionParams']): Credentials {
  const token = typeof params?.['token'] === 'string' ? params['token'] : undefined;
  const actAs = params?.['actAsUserId'];
  return { token, actAsUserId: typeof actAs === 'string' || typeof actAs === 'number' ? actAs : undefined };
}

/**
 * WebSocket upgrades by path (graphql-ws on /graphql, the action protocol on its own path); any
 * other path is refused with 400 before a socket is made.
 */
export function routeUpgrades(server: Server, routes: Record<string, WebSocketServer>) {
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const wss = Object.hasOwn(routes, path) ? routes[path] : undefined;
    if (!wss) {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
}
