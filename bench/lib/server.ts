/** A fresh PostgreSQL database and a real server process on it, with its CPU time and memory. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';

export const APP = 'benchapp';
export const SECRET = 'bench-secret-0123456789';
const root = fileURLToPath(new URL('../..', import.meta.url));

export interface Database {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A new database beside the one DATABASE_URL names (dropped by drop()). */
export async function createDatabase(): Promise<Database> {
  const base = process.env['DATABASE_URL'];
  if (!base) throw new Error('the benchmark runs on PostgreSQL: set DATABASE_URL (and REDIS_URL for WORKERS > 1)');
  const name = `im_bench_${randomBytes(4).toString('hex')}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const target = new URL(base);
  target.pathname = `/${name}`;
  return {
    url: target.toString(),
    name,
    drop: async () => {
      const sql = postgres(base, { max: 1, onnotice: () => {} });
      await sql.unsafe(`drop database if exists ${name} with (force)`);
      await sql.end();
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

export interface ServerOptions {
  databaseUrl: string;
  port: number;
  workers?: number;
  /** Extra node flags (e.g. --cpu-prof). */
  nodeArgs?: string[];
  env?: Record<string, string>;
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** CPU seconds (user + system) of the server and its workers so far. */
  cpuSeconds(): number;
  /** Resident memory of the server and its workers, bytes. */
  rss(): number;
  stop(): Promise<void>;
}

let built = false;

/**
 * The server runs as `npm start` runs it: `node dist/main.js`, built from src once per bench run
 * (`BENCH_SERVER=tsx` runs src through tsx instead). Under tsx every named function the server
 * makes carries its name as an own property (esbuild's keepNames), a 256-byte dictionary per
 * closure: 3 KB of heap per idle subscriber that production does not have, and tsx's loader
 * thread was a tenth of the CPU of a server restarted in the storm.
 */
function entry(): string[] {
  if (process.env['BENCH_SERVER'] === 'tsx') return ['--import', 'tsx', 'src/main.ts'];
  if (!built) {
    const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
    if (tsc.status !== 0) throw new Error('building the server (tsc -p tsconfig.build.json) failed');
    built = true;
  }
  return ['dist/main.js'];
}

export async function startServer(options: ServerOptions): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...entry()], {
    cwd: root,
    env: {
      PATH: process.env['PATH']!,
      PORT: String(options.port),
      HOST: '0.0.0.0',
      // BENCH_LOG_LEVEL=info (or debug) shows the server's log on stderr while investigating.
      LOG_LEVEL: process.env['BENCH_LOG_LEVEL'] ?? 'warn',
      NODE_ENV: 'production',
      IM_BOOTSTRAP_APP_ID: APP,
      IM_BOOTSTRAP_APP_SECRET: SECRET,
      DATABASE_URL: options.databaseUrl,
      DATA_DIR: `/tmp/im-bench-files-${options.port}`,
      WORKERS: String(options.workers ?? 1),
      // The per-user limits (50 sends/s by default) stay in the path but must not refuse the load
      // this suite drives on purpose: it measures the message path, not the limiter's refusals.
      RATE_LIMIT_SENDS: '1000000',
      RATE_LIMIT_READS: '1000000',
      ...(process.env['REDIS_URL'] && (options.workers ?? 1) > 1 ? { REDIS_URL: process.env['REDIS_URL'] } : {}),
      ...options.env,
    },
    stdio: ['ignore', process.env['BENCH_LOG_LEVEL'] ? process.stderr : 'ignore', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${options.port}`;
  // Ready when /readyz answers (under WORKERS, once a worker listens on the port).
  for (let i = 0; ; i++) {
    const up = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
    if (up) break;
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    if (i > 1200) throw new Error('server did not become ready in 60 s');
    await new Promise((r) => setTimeout(r, 50)); // polling a process start, not synchronising
  }
  if ((options.workers ?? 1) > 1) {
    // Every worker listening: the primary then has `workers` children.
    for (let i = 0; processTree(child.pid!).length < options.workers! + 1 && i < 1200; i++) await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    child,
    cpuSeconds: () => processTree(child.pid!).reduce((sum, pid) => sum + cpuOf(pid), 0),
    rss: () => processTree(child.pid!).reduce((sum, pid) => sum + rssOf(pid), 0),
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A process and its descendants. */
export function processTree(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    try {
      for (const task of readFileSync(`/proc/${out[i]}/task/${out[i]}/children`, 'utf8').trim().split(/\s+/)) if (task) out.push(Number(task));
    } catch {
      // gone
    }
  }
  return out;
}

const TICKS = 100; // USER_HZ on Linux

export function cpuOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return 0;
  }
}

export function rssOf(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;
  } catch {
    return 0;
  }
}

/** The 1-minute load average, as the kernel reports it. */
export const loadAverage = () => Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
