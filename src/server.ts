import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { workerHeader } from './cluster.js';
import { createMaximCompat, send } from './compat/maxim/index.js';
import { createJPushCompat } from './compat/jpush/index.js';
import { createSignatureCompat } from './compat/signature/index.js';
import { createProjectGroupCompat } from './compat/projectgroup/index.js';
import type { Config } from './config.js';
import { openDatabase, type DatabaseHandle } from './db/client.js';
import { ensureBootstrapApp, type AppCredentials } from './domain/apps.js';
import type { Deps } from './domain/deps.js';
import { createFailureLimiter } from './domain/limits.js';
import { Presence } from './domain/presence.js';
import { startSweeper, sweepFiles, type SweepReport } from './domain/files/sweep.js';
import { createFileRoutes } from './files/http.js';
import { urlBuilder } from './files/urls.js';
import { createGraphQLServer } from './graphql/yoga.js';
import type { Logger } from './logger.js';
import { createEventBus } from './realtime/pubsub.js';
import { openStorage, type ObjectStorage } from './storage/index.js';
import { attachWebSocket } from './ws.js';

export interface RunningServer {
  url: string;
  port: number;
  database: DatabaseHandle;
  /** The default app created by this start, if the database had none. */
  bootstrapApp: AppCredentials | undefined;
  /** Sweeps file leftovers now, as if at `now` (the sweeper also runs every FILE_SWEEP_INTERVAL_SECONDS). */
  sweepFiles(now?: Date): Promise<SweepReport>;
  storage: ObjectStorage;
  /** Graceful stop: refuse new work, close sockets, let requests in flight finish, close the database. */
  close(): Promise<void>;
}

/** Opens storage, applies migrations and serves GraphQL, WebSocket, REST compat and health on one port. */
export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const events = await createEventBus(config.redisUrl).catch(async (error: unknown) => {
    await database.close();
    throw error;
  });
  const failures = await createFailureLimiter(config).catch(async (error: unknown) => {
    await Promise.allSettled([events.close(), database.close()]);
    throw error;
  });
  const storage = await openStorage(config.files.storage).catch(async (error: unknown) => {
    await Promise.allSettled([events.close(), failures.close(), database.close()]);
    throw error;
  });
  const deps: Deps = { db: database.db, batchDb: database.batchDb, config, events, failures, storage };
  const bootstrapApp = await ensureBootstrapApp(database.db, config.bootstrapApp);

  const yoga = createGraphQLServer(deps, logger);
  const compat = createMaximCompat(yoga, logger, (req) => urlBuilder(config, req.headers));
  const dialectUrls = (req: IncomingMessage) => urlBuilder(config, req.headers);
  const dialects = [createJPushCompat(yoga, logger, dialectUrls), createSignatureCompat(yoga, logger, dialectUrls), createProjectGroupCompat(yoga, logger, dialectUrls)];
  const files = createFileRoutes(deps, (req) => urlBuilder(config, req.headers), logger);
  const sweeper = startSweeper(deps, (error) => logger.error({ err: error }, 'file sweep failed'));
  let stopping = false;

  const worker = workerHeader();
  const server = createServer((req, res) => {
    if (worker) res.setHeader(...worker);
    void route(req, res).catch((error: unknown) => {
      logger.error({ err: error, method: req.method, url: req.url }, 'request failed');
      if (!res.headersSent) send(res, 500, { code: 500, message: 'internal server error', data: null });
      else res.destroy();
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/healthz') return json(res, 200, { status: 'ok' });
    if (url.pathname === '/readyz') {
      if (stopping) return json(res, 503, { status: 'stopping' });
      return database.ping().then(
        () => json(res, 200, { status: 'ready' }),
        () => json(res, 503, { status: 'database unreachable' }),
      );
    }
    if (url.pathname === yoga.graphqlEndpoint) return yoga(req, res);
    if (await files.handle(req, res, url)) return;
    if (await compat.handle(req, res, url)) return;
    for (const dialect of dialects) if (await dialect.handle(req, res, url)) return;
    send(res, 404, { code: 404, message: `no route ${req.method} ${url.pathname}`, data: null });
  }

  const presence = new Presence(deps);
  const ws = attachWebSocket(server, yoga, deps, presence, logger);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch(async (error: unknown) => {
    await Promise.allSettled([events.close(), failures.close(), storage.close(), database.close()]);
    throw error;
  });

  const { port } = server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  presence.start();
  logger.info({ port, database: database.kind, redis: Boolean(config.redisUrl) }, 'listening');

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      stopping = true;
      const drained = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await ws.dispose();
      const timeout = new Promise<void>((resolve) => setTimeout(resolve, config.shutdownTimeoutMs).unref());
      await Promise.race([drained, timeout]);
      server.closeAllConnections();
      await presence.stop();
      await sweeper.stop();
      await Promise.allSettled([events.close(), failures.close(), storage.close()]);
      await database.close();
      logger.info('stopped');
    })());

  return {
    url: `http://${host}:${port}`,
    port,
    database,
    bootstrapApp,
    storage,
    sweepFiles: (now?: Date) => sweepFiles(deps, now),
    close,
  };
}

function json(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
