// Start-up time and idle memory of the production build (`npm run build`, then `node dist/main.js`):
// a first start on an empty database (migrations applied, default app created), then a restart
// on the same data, on embedded PGlite and, with DATABASE_URL set, on PostgreSQL. Beside them,
// this machine's floor measured in the same run: a bare `node -e ""`.
//
//   npm run build && npm run bench:startup

import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestDatabase } from '../test/helpers/database.js';

const MB = 1024 * 1024;

/** Milliseconds until the server says it is ready, and its resident memory after `idleMs` idle. */
async function start(env: Record<string, string | undefined>, idleMs = 3000) {
  const began = performance.now();
  const child = spawn(process.execPath, ['dist/main.js'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    let output = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (output.includes('ready at')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`server exited (${code}): ${output}`)));
    });
    const readyMs = performance.now() - began;
    await sleep(idleMs);
    const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
    return { readyMs, rssMb: (rssKb * 1024) / MB };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

async function bareNode() {
  const began = performance.now();
  await new Promise((resolve) => spawn(process.execPath, ['-e', '']).once('exit', resolve));
  return performance.now() - began;
}

const rows: [string, string, string][] = [];
rows.push(['bare `node -e ""` (floor)', `${(await bareNode()).toFixed(0)} ms`, '']);
const databases: [string, () => Promise<{ env: Record<string, string | undefined>; drop(): Promise<void> }>][] = [
  ['PGlite', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'im-bench-start-'));
    return { env: { DATA_DIR: dir, DATABASE_URL: '' }, drop: () => rm(dir, { recursive: true, force: true }) };
  }],
];
if (process.env['DATABASE_URL']) databases.push(['PostgreSQL', createTestDatabase]);
for (const [name, create] of databases) {
  const database = await create();
  try {
    const first = await start(database.env);
    const again = await start(database.env);
    rows.push([`${name}: first start (migrations, default app)`, `${first.readyMs.toFixed(0)} ms`, `${first.rssMb.toFixed(0)} MB`]);
    rows.push([`${name}: restart`, `${again.readyMs.toFixed(0)} ms`, `${again.rssMb.toFixed(0)} MB`]);
  } finally {
    await database.drop();
  }
}
const load = (await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ');
console.log(`| start | until ready | idle RSS |\n| --- | --- | --- |\n${rows.map((r) => `| ${r.join(' | ')} |`).join('\n')}`);
console.log(`load average during the run: ${load}`);
