import cluster from 'node:cluster';
import { superviseWorkers } from './cluster.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { startServer } from './server.js';
import { keepFirstCredentials } from './first-start.js';

let config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(78);
}

const logger = createLogger(config.logLevel);
if (config.workers > 1 && cluster.isPrimary) await superviseWorkers(config, logger);

const server = await startServer(config, logger).catch((error: unknown) => {
  logger.fatal({ err: error }, 'could not start');
  process.exit(1);
});

if (server.bootstrapApp && config.bootstrapApp) {
  // The operator chose the secret (IM_BOOTSTRAP_APP_SECRET): it is never echoed.
  logger.info({ appId: server.bootstrapApp.appId }, 'created the configured default app');
} else if (server.bootstrapApp) {
  // Shown once, outside the JSON log stream: to a 0600 file, and on a terminal only (src/first-start.ts).
  await keepFirstCredentials(config.dataDir, server.bootstrapApp);
}
process.stdout.write(`IM server ready at ${server.url}/graphql\n`);
process.stdout.write(`Web chat client at ${server.url}/${server.bootstrapApp ? `?app=${server.bootstrapApp.appId}` : ''}\n`);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    logger.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
