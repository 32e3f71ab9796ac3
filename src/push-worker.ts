/**
 * The push worker's own process (PUSH_WORKER=process): forked by a server process, given its
 * config over IPC, it drains the push outbox and sends deliveries until told to stop or until
 * its parent is gone. It runs at a lower CPU priority (PUSH_WORKER_NICE), so that on a busy
 * machine the sends come first and pushes take the CPU they leave (src/domain/push/worker-process.ts).
 */
import type { Config } from './config.js';
import { openDatabase } from './db/client.js';
import type { Deps } from './domain/deps.js';
import { openLimits } from './domain/limits.js';
import { PushWorker } from './domain/push/worker.js';
// Everything the worker fans out and every channel it sends on, as in a server process.
import './domain/push/notify.js';
import './domain/push/webhooks.js';
import './domain/push/recall.js';
import { createLogger } from './logger.js';
import { createMetrics } from './metrics.js';
import { createEventBus } from './realtime/pubsub.js';
import { openStorage } from './storage/index.js';

/** What the parent says: the config (answering hello), then a wake-up for each write to the outbox. */
export type ToPushWorker = { type: 'start'; config: Config } | { type: 'wake' };

let started = false;
process.once('message', (message: ToPushWorker) => {
  if (message.type !== 'start') return;
  started = true;
  void run(message.config);
});
// A parent gone before it sent the config leaves nothing to do (run() handles it after).
process.once('disconnect', () => started || process.exit(0));
// Asks for the config once it listens: a message sent before this module ran (its imports load
// first) could arrive with nobody listening, and be lost.
process.send?.({ type: 'hello' });

async function run(config: Config) {
  const logger = createLogger(config.logLevel).child({ component: 'push-worker' });
  try {
    const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    const events = await createEventBus(config.redisUrl, config.redisChannelPrefix);
    const limits = await openLimits(config);
    const storage = await openStorage(config.files.storage);
    const deps: Deps = { db: database.db, batchDb: database.batchDb, config, events, failures: limits.failures, requests: limits.requests, storage, metrics: createMetrics() };
    const worker = new PushWorker(deps, logger);
    worker.start();
    process.on('message', (message: ToPushWorker) => {
      if (message.type === 'wake') worker.wakeSoon();
    });

    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        await worker.stop();
        await Promise.allSettled([events.close(), limits.close(), storage.close()]);
        await database.close();
        process.exit(0);
      })());
    // SIGTERM from the parent's graceful stop; a parent that died closes the IPC channel.
    process.once('SIGTERM', () => void stop());
    process.once('SIGINT', () => {}); // a terminal's Ctrl-C reaches the whole group: the parent decides
    process.once('disconnect', () => void stop());
    if (process.connected) process.send?.({ type: 'ready' });
    else void stop(); // the parent went while this started
  } catch (error) {
    logger.fatal({ err: error }, 'push worker could not start');
    process.exit(1);
  }
}
