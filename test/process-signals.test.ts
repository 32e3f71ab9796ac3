import { execFile, spawn } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from './helpers/database.js';
import { PASSWORD } from './helpers/server.js';
import { sse } from './helpers/sse.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const SECRET = 'operator-chosen-secret-5f3a9c';

/** Whether something accepts connections on the port. */
const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

async function json(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return (await res.json()) as any;
}

describe('npm start', () => {
  // npm start runs the build (dist/): bring it up to date with the sources first (incremental, so
  // quick when `npm install` just built it).
  beforeAll(() => promisify(execFile)('npm', ['run', 'build', '--silent'], { cwd: root }), 600_000);

  it('passes SIGTERM to the server, which ends its SSE and WebSocket streams and frees the port at once', { timeout: 120_000 }, async () => {
    const database = await createTestDatabase();
    const npm = spawn('npm', ['start', '--silent'], {
      cwd: root,
      env: {
        PATH: process.env['PATH']!,
        HOME: process.env['HOME'] ?? '/tmp',
        LOG_LEVEL: 'info',
        PORT: '0',
        HOST: '127.0.0.1',
        SHUTDOWN_TIMEOUT_MS: '30000',
        IM_BOOTSTRAP_APP_ID: 'procapp',
        IM_BOOTSTRAP_APP_SECRET: SECRET,
        ...database.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    npm.stdout.on('data', (chunk) => (output += chunk));
    npm.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise<void>((resolve) => npm.on('exit', () => resolve()));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        npm.stdout.on('data', () => {
          const match = /IM server ready at (\S+)\/graphql/.exec(output);
          if (match) resolve(match[1]!);
        });
        void exited.then(() => reject(new Error(`npm start exited: ${output}`)));
      });
      const port = Number(new URL(url).port);
      // The operator chose the secret: it is not printed.
      expect(output).not.toContain(SECRET);

      expect((await json(`${url}/user/register/v2`, { username: 'signalled', password: PASSWORD }, { app_id: 'procapp' })).code).toBe(200);
      const { token } = (await json(`${url}/token/user`, { name: 'signalled', password: PASSWORD }, { app_id: 'procapp' })).data;

      const stream = await sse(url, `subscription { events { __typename } }`, { token });
      expect((await stream.next()).data.events.__typename).toBe('StreamReadyEvent');
      const socket = new WebSocket(`${url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
      const acked = new Promise((resolve) => socket.once('message', resolve));
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { token } })));
      await acked;
      const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));

      const signalled = Date.now();
      npm.kill('SIGTERM');
      expect(await closed).toBe(1001);
      expect((await stream.rest()).at(-1)?.event).toBe('complete');
      while (await listening(port)) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(Date.now() - signalled).toBeLessThan(3000);
      await exited;
      // Well within SHUTDOWN_TIMEOUT_MS: nothing held the stop.
      expect(Date.now() - signalled).toBeLessThan(15_000);
      expect(output).toContain('"msg":"stopped"');
    } finally {
      npm.kill('SIGKILL');
      await database.drop();
    }
  });

  it('keeps first-start credentials in a 0600 file of the data directory, not on a piped stdout', { timeout: 120_000 }, async () => {
    const database = await createTestDatabase();
    const npm = spawn('npm', ['start', '--silent'], {
      cwd: root,
      env: { PATH: process.env['PATH']!, HOME: process.env['HOME'] ?? '/tmp', LOG_LEVEL: 'info', PORT: '0', HOST: '127.0.0.1', ...database.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    npm.stdout.on('data', (chunk) => (output += chunk));
    npm.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise<void>((resolve) => npm.on('exit', () => resolve()));
    try {
      await new Promise<void>((resolve, reject) => {
        npm.stdout.on('data', () => /IM server ready at/.test(output) && resolve());
        void exited.then(() => reject(new Error(`npm start exited: ${output}`)));
      });
      const file = join(database.env.DATA_DIR!, 'default-app-credentials.txt');
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      const secret = /^app_secret=(\S+)$/m.exec(await readFile(file, 'utf8'))?.[1];
      expect(secret).toMatch(/^\S{16,}$/);
      // stdout is a pipe (a supervisor, a log collector): it names the file, never the secret.
      expect(output).toContain(file);
      expect(output).not.toContain(secret);
      npm.kill('SIGTERM');
      await exited;
    } finally {
      npm.kill('SIGKILL');
      await database.drop();
    }
  });
});
