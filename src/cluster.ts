import cluster, { type Worker } from 'node:cluster';
import type { Config } from './config.js';
import type { Logger } from './logger.js';

/**
 * With WORKERS > 1 this process only supervises: it forks the workers, which each run the whole
 * server on the same port (node:cluster hands them connections in turn), sharing PostgreSQL and
 * hearing each other's events through Redis. The first worker starts alone, so migrations and the
 * first-start app happen once; the others follow once it listens. A worker that dies is replaced;
 * SIGTERM or SIGINT stops each worker gracefully, then this process.
 */
export async function superviseWorkers(config: Config, logger: Logger): Promise<never> {
  let stopping = false;
  const fork = () =>
    new Promise<Worker>((resolve, reject) => {
      const worker = cluster.fork();
      worker.once('listening', () => resolve(worker));
      worker.once('exit', (code, signal) => {
        reject(new Error(`worker ${worker.id} exited before listening (${signal ?? code})`));
        if (stopping) return;
        logger.error({ worker: worker.id, code, signal }, 'worker died; starting another');
        setTimeout(() => void fork().catch((error: unknown) => logger.error({ err: error }, 'worker failed to start')), 1000);
      });
    });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      stopping = true;
      logger.info({ signal }, 'stopping workers');
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    });
  }
  cluster.on('exit', () => {
    if (stopping && Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
  });

  try {
    await fork();
    await Promise.all(Array.from({ length: config.workers - 1 }, fork));
  } catch (error) {
    logger.fatal({ err: error }, 'could not start the workers');
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    process.exitCode = 1;
  }
  return new Promise<never>(() => {});
}

/** Names the worker that answers (a response header), so one can tell which worker served a client. */
export const workerHeader = (): [string, string] | undefined => (cluster.isWorker ? ['x-worker', String(cluster.worker!.id)] : undefined);
