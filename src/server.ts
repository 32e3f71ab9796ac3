import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { workerHeader } from './cluster.js';
import { createMaximCompat, send } from './compat/maxim/index.js';
import { createJPushCompat } from './compat/jpush/index.js';
import { createSignatureCompat } from './compat/signature/index.js';
import { createProjectGroupCompat } from './compat/projectgroup/index.js';
import { ACTION_WS_PATH, createActionCompat } from './compat/action/index.js';
import type { Config } from './config.js';
import { openDatabase, type DatabaseHandle } from './db/client.js';
import { ensureBootstrapApp, type AppCredentials } from './domain/apps.js';
import type { Deps } from './domain/deps.js';
import { DomainError } from './domain/errors.js';
import { openLimits } from './domain/limits.js';
import { Presence } from './domain/presence.js';
import { PushWorker } from './domain/push/worker.js';
import { startPushProcess, type PushProcess } from './push-process.js';
// What the push worker fans out besides offline push: webhook events, recalls superseding notifications.
import './domain/push/webhooks.js';
import './domain/push/recall.js';
import { startSweeper, sweepFiles, type SweepReport } from './domain/files/sweep.js';
import { startRetentionSweeper, sweepExpiredMessages, type RetentionReport } from './domain/retention.js';
import { createFileRoutes, UPLOAD_PATH } from './files/http.js';
import { urlBuilder } from './files/urls.js';
import { createLiveStreams } from './graphql/live-streams.js';
import { createGraphQLServer } from './graphql/yoga.js';
import { loadPersistedOperations, type PersistedOperations } from './graphql/persisted.js';
import { schema } from './graphql/schema/index.js';
import { openTracing, type Tracing } from './tracing.js';
import { logRequest, startRequest } from './request-log.js';
import { GRAPHIQL_ASSETS, graphiqlOn, serveGraphiQLAsset } from './graphql/graphiql.js';
import { typedErrorListeners } from './graphql/builder.js';
import type { Logger } from './logger.js';
import { countPublished, createMetrics, serveMetrics, timeRequest, type HttpHandler } from './metrics.js';
import { createEventBus } from './realtime/pubsub.js';
import { cutSlowBody } from './slow-clients.js';
import { createWebClient } from './static.js';
import { openStorage, type ObjectStorage } from './storage/index.js';
import { attachWebSocket, routeUpgrades } from './ws.js';

export interface RunningServer {
  url: string;
  port: number;
  database: DatabaseHandle;
  /** The default app created by this start, if the database had none. */
  bootstrapApp: AppCredentials | undefined;
  /** Sweeps file leftovers now, as if at `now` (the sweeper also runs every FILE_SWEEP_INTERVAL_SECONDS). */
  sweepFiles(now?: Date): Promise<SweepReport>;
  /** Deletes messages past their app's retention now, as if at `now` (also every RETENTION_SWEEP_INTERVAL_SECONDS). */
  sweepExpiredMessages(now?: Date): Promise<RetentionReport>;
  storage: ObjectStorage;
  /** The port of `GET /metrics` when METRICS_PORT gives it one of its own. */
  metricsPort: number | undefined;
  /** Waits until the push outbox and the deliveries due now are worked off (tests; PUSH_WORKER=inline). */
  drainPush(): Promise<void>;
  /** The push worker's process id, with PUSH_WORKER=process. */
  pushWorkerPid(): number | undefined;
  /** Graceful stop: refuse new work, close sockets, let requests in flight finish, close the database. */
  close(): Promise<void>;
}

/** Opens storage, applies migrations and serves GraphQL, WebSocket, REST compat and health on one port. */
export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  // A manifest that cannot be used stops the start before anything is opened.
  const persisted: PersistedOperations | undefined = config.persistedOperations ? loadPersistedOperations(config.persistedOperations, schema) : undefined;
  const metrics = createMetrics();
  const tracing: Tracing | undefined = await openTracing(config, logger);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }).catch(async (error: unknown) => {
    await tracing?.close();
    throw error;
  });
  const bus = await createEventBus(config.redisUrl, config.redisChannelPrefix).catch(async (error: unknown) => {
    await Promise.allSettled([tracing?.close(), database.close()]);
    throw error;
  });
  const events = countPublished(metrics, bus);
  const limits = await openLimits(config).catch(async (error: unknown) => {
    await Promise.allSettled([events.close(), tracing?.close(), database.close()]);
    throw error;
  });
  const storage = await openStorage(config.files.storage).catch(async (error: unknown) => {
    await Promise.allSettled([events.close(), limits.close(), tracing?.close(), database.close()]);
    throw error;
  });
  const deps: Deps = { db: database.db, batchDb: database.batchDb, config, events, failures: limits.failures, requests: limits.requests, storage, metrics };
  const bootstrapApp = await ensureBootstrapApp(database.db, config.bootstrapApp);

  const live = createLiveStreams(deps);
  if (persisted) logger.info({ operations: persisted.size }, 'running persisted operations only');
  const yoga = createGraphQLServer(deps, logger, live, { persisted, tracing: tracing?.plugin });
  const compat = createMaximCompat(yoga, logger, (req) => urlBuilder(config, req.headers));
  const dialectUrls = (req: IncomingMessage) => urlBuilder(config, req.headers);
  const action = createActionCompat(yoga, deps, logger, dialectUrls, live.admission);
  const dialects = [
    createJPushCompat(yoga, logger, dialectUrls),
    createSignatureCompat(yoga, logger, dialectUrls),
    createProjectGroupCompat(yoga, logger, dialectUrls),
    action,
  ];
  const files = createFileRoutes(deps, (req) => urlBuilder(config, req.headers), logger);
  const web = await createWebClient();
  const sweeper = startSweeper(deps, (error) => logger.error({ err: error }, 'file sweep failed'));
  const retention = startRetentionSweeper(deps, (error) => logger.error({ err: error }, 'retention sweep failed'));
  let stopping = false;

  const worker = workerHeader();
  const countTypedError = (error: Error) => {
    if (error instanceof DomainError) metrics.errors.inc({ code: error.code });
  };
  typedErrorListeners.add(countTypedError);
  metrics.gauge('im_database_connections', 'This process\u2019s database connections, by state (PostgreSQL only).', ['state'], async (set) => {
    for (const { state, count } of await database.connections()) set({ state }, count);
  });

  const serveMetricsHere = config.metrics.port === undefined;
  // Node times the headers (checked every second); bodies are timed per request (cutSlowBody).
  const httpTimeouts = { headersTimeout: config.timeouts.headersSeconds * 1000, requestTimeout: 0, connectionsCheckingInterval: 1000 };
  const server = createServer(httpTimeouts, (req, res) => {
    cutSlowBody(req, res, config.timeouts.bodySeconds, req.url?.split('?')[0] === UPLOAD_PATH);
    if (worker) res.setHeader(...worker);
    // Which part answered, and the route: a path of a route table or a fixed path, never one a client made up.
    let answered: { handler: HttpHandler; route: string } = { handler: 'not_found', route: '' };
    timeRequest(metrics, req, res, () => answered);
    const requestId = startRequest(req, res);
    logRequest(logger, req, res, () => answered.handler);
    const serve = () => route(req, res, (handler, route = '') => (answered = { handler, route }));
    void (tracing ? tracing.request(req, res, () => answered, serve) : serve()).catch((error: unknown) => {
      // The path only: a query string may carry a token (downloads take `access-token` there).
      const path = req.url?.split('?')[0];
      // A client that left mid-body (or was cut for sending it too slowly) is no failure of ours.
      if (req.destroyed && !req.complete) return logger.debug({ err: error, requestId, method: req.method, path }, 'request abandoned');
      logger.error({ err: error, requestId, method: req.method, path }, 'request failed');
      if (!res.headersSent) send(res, 500, { code: 500, message: 'internal server error', data: null });
      else res.destroy();
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse, answeredBy: (handler: HttpHandler, route?: string) => void) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/healthz' || url.pathname === '/readyz') answeredBy('health', url.pathname);
    if (url.pathname === '/healthz') return json(res, 200, { status: 'ok' });
    if (url.pathname === '/metrics' && serveMetricsHere) {
      answeredBy('metrics', '/metrics');
      return serveMetrics(metrics, config.metrics.token, req, res);
    }
    if (url.pathname === '/readyz') {
      if (stopping) return json(res, 503, { status: 'stopping' });
      return database.ping().then(
        () => json(res, 200, { status: 'ready' }),
        () => json(res, 503, { status: 'database unreachable' }),
      );
    }
    if (url.pathname === yoga.graphqlEndpoint) {
      answeredBy('graphql', yoga.graphqlEndpoint);
      return yoga(req, res);
    }
    if (url.pathname.startsWith(GRAPHIQL_ASSETS) && graphiqlOn(config)) {
      answeredBy('graphql', GRAPHIQL_ASSETS);
      if (await serveGraphiQLAsset(req, res, url.pathname)) return;
    }
    answeredBy('files');
    if (await files.handle(req, res, url)) return;
    answeredBy('web');
    if (web.handle(req, res, url)) return;
    // The dialect answers only paths of its route table.
    answeredBy('maxim', url.pathname);
    if (await compat.handle(req, res, url)) return;
    for (const dialect of dialects) if (await dialect.handle(req, res, url, answeredBy)) return;
    answeredBy('not_found');
    send(res, 404, { code: 404, message: `no route ${req.method} ${url.pathname}`, data: null });
  }

  const presence = new Presence(deps);
  const ws = attachWebSocket(yoga, deps, presence, logger, live.admission, persisted);
  routeUpgrades(server, { [yoga.graphqlEndpoint]: ws.wss, [ACTION_WS_PATH]: action.wss });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch(async (error: unknown) => {
    await Promise.allSettled([events.close(), limits.close(), storage.close(), tracing?.close(), database.close()]);
    throw error;
  });

  const { port } = server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  presence.start();
  const push = new PushWorker(deps, logger);
  if (config.push.worker === 'inline') push.start();
  let metricsServer: Server | undefined;
  let pushProcess: PushProcess | undefined;

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      stopping = true;
      const drained = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await ws.dispose();
      action.dispose();
      live.endAll();
      const timeout = new Promise<void>((resolve) => setTimeout(resolve, config.shutdownTimeoutMs).unref());
      await Promise.race([drained, timeout]);
      server.closeAllConnections();
      typedErrorListeners.delete(countTypedError);
      metricsServer?.close();
      await presence.stop();
      await Promise.all([push.stop(), pushProcess?.stop()]);
      await Promise.all([sweeper.stop(), retention.stop()]);
      await Promise.allSettled([events.close(), limits.close(), storage.close(), tracing?.close()]);
      await database.close();
      logger.info('stopped');
    })());

  try {
    if (!serveMetricsHere) metricsServer = await listenForMetrics();
    if (config.push.worker === 'process') pushProcess = await startPushProcess(config, logger);
  } catch (error) {
    await close();
    throw error;
  }
  logger.info({ port, database: database.kind, redis: Boolean(config.redisUrl) }, 'listening');

  /** `GET /metrics` alone, on METRICS_PORT (for example, a port only the monitoring network reaches). */
  async function listenForMetrics() {
    const metricsServer = createServer((req, res) => {
      if (new URL(req.url ?? '/', 'http://localhost').pathname !== '/metrics') return json(res, 404, { status: 'not found' });
      serveMetrics(metrics, config.metrics.token, req, res).catch((error: unknown) => {
        logger.error({ err: error }, 'metrics failed');
        res.destroy();
      });
    });
    await new Promise<void>((resolve, reject) => {
      metricsServer.once('error', reject);
      metricsServer.listen(config.metrics.port, config.host, () => resolve());
    });
    return metricsServer;
  }

  return {
    url: `http://${host}:${port}`,
    port,
    metricsPort: metricsServer ? (metricsServer.address() as AddressInfo).port : undefined,
    database,
    bootstrapApp,
    storage,
    sweepFiles: (now?: Date) => sweepFiles(deps, now),
    sweepExpiredMessages: (now?: Date) => sweepExpiredMessages(deps, now),
    drainPush: () => push.drain(),
    pushWorkerPid: () => pushProcess?.pid,
    close,
  };
}

function json(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
