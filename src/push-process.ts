import { fork, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Config } from './config.js';
import { onOutboxWrite } from './domain/push/outbox.js';
import type { Logger } from './logger.js';
import type { ToPushWorker } from './push-worker.js';

/** The push worker's process, as its server process sees it. */
export interface PushProcess {
  /** Its process id while it runs (tests, operators). */
  readonly pid: number | undefined;
  /** Lets it finish the sends in flight (up to PUSH_TIMEOUT_MS), then waits for it to exit. */
  stop(): Promise<void>;
}

/** Writes to the outbox closer together than this wake the worker once (it gathers them anyway). */
const WAKE_EVERY_MS = 25;
const RESTART_AFTER_MS = 1000;

/**
 * PUSH_WORKER=process: the push worker runs in a child process at nice PUSH_WORKER_NICE, so the
 * operating system gives the send path the CPU first and offline push, provider retries and
 * webhooks take what is left (a push worker in the server's own event loop slowed sends by
 * half on a saturated machine). It shares PostgreSQL and Redis with the server; the server wakes
 * it over IPC when it writes to the outbox, and it also polls (PUSH_POLL_MS). A worker that dies
 * is started again; at most once per device still holds, as with several processes draining
 * together (row leases, skip-locked claims).
 */
/**
 * Lowers a process's CPU priority to `nice`, and that of its scheduling group where Linux groups
 * processes by session (autogroup): the process should be a session leader (spawned detached).
 */
export function lowerPriority(pid: number, nice: number, logger?: Logger) {
  try {
    setPriority(pid, nice);
  } catch (error) {
    logger?.warn({ err: error }, 'could not lower a process\u2019s priority');
  }
  try {
    writeFileSync(`/proc/${pid}/autogroup`, String(nice));
  } catch (error) {
    // No autogroups here (not Linux, or turned off): the process's own nice is all there is.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') logger?.debug({ err: error }, 'could not lower a process\u2019s autogroup');
  }
}

export async function startPushProcess(config: Config, logger: Logger): Promise<PushProcess> {
  const source = import.meta.url.endsWith('.ts');
  const entry = fileURLToPath(new URL(`./push-worker.${source ? 'ts' : 'js'}`, import.meta.url));
  let child: ChildProcess | undefined;
  let stopping = false;
  let restart: NodeJS.Timeout | undefined;
  let lastWake = 0;

  const spawn = () =>
    new Promise<void>((resolve, reject) => {
      // A session of its own (detached): on Linux that is also a scheduling group of its own
      // (autogroup), whose weight its nice sets; within the server's group a nice would count
      // only against the server, not against PostgreSQL or anything else on the machine.
      const started = fork(entry, [], { execArgv: source ? ['--import', 'tsx'] : ['--enable-source-maps'], serialization: 'advanced', stdio: 'inherit', detached: true });
      child = started;
      started.on('message', (message: { type?: string }) => {
        if (message.type === 'hello') started.send({ type: 'start', config } satisfies ToPushWorker);
        if (message.type !== 'ready') return;
        // Lowered once it runs: at the lowest priority, on a busy machine, loading its code alone
        // could take minutes.
        lowerPriority(started.pid!, config.push.workerNice, logger);
        resolve();
      });
      started.once('exit', (code, signal) => {
        if (child === started) child = undefined;
        reject(new Error(`the push worker exited before it was ready (${signal ?? code})`));
        if (stopping) return;
        logger.error({ code, signal }, 'push worker died; starting another');
        restart = setTimeout(() => void spawn().catch((error: unknown) => logger.error({ err: error }, 'push worker failed to start')), RESTART_AFTER_MS);
      });
    });

  const unsubscribe = onOutboxWrite(() => {
    const now = Date.now();
    if (now - lastWake < WAKE_EVERY_MS || !child?.connected) return;
    lastWake = now;
    child.send({ type: 'wake' } satisfies ToPushWorker);
  });

  const stop = async () => {
    stopping = true;
    unsubscribe();
    clearTimeout(restart);
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill('SIGTERM');
    const kill = setTimeout(() => running.kill('SIGKILL'), config.push.timeoutMs + 5000);
    await exited;
    clearTimeout(kill);
  };

  try {
    await spawn();
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    get pid() {
      return child?.pid;
    },
    stop,
  };
}
