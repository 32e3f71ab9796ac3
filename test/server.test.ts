import { spawn } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { eq, sql } from 'drizzle-orm';
import { printSchema } from 'graphql';
import { auditServer } from 'graphql-http';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connections } from '../src/db/schema/index.js';
import { schema } from '../src/graphql/schema/index.js';
import { createTestDatabase } from './helpers/database.js';
import { PASSWORD, TestServer } from './helpers/server.js';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('HTTP server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await TestServer.start();
  });
  afterAll(() => server.close());

  it('answers health and readiness', async () => {
    const health = await fetch(`${server.url}/healthz`);
    expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }]);
    const ready = await fetch(`${server.url}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready' }]);
  });

  it('passes the GraphQL-over-HTTP audits', async () => {
    const results = await auditServer({ url: `${server.url}/graphql` });
    const failures = results.flatMap((r) => (r.status === 'error' ? [`${r.name}: ${r.reason}`] : []));
    expect(failures).toEqual([]);
  });

  it('masks unexpected errors but reports bad documents', async () => {
    const res = await server.gql(`{ nope }`);
    expect(res.errors![0]!.message).toContain('Cannot query field "nope"');
  });
});

describe('storage', () => {
  // Two starts of an embedded database, migrations included: slow on a loaded machine.
  it('keeps data across restarts and creates the default app only once', { timeout: 60_000 }, async () => {
    const database = await createTestDatabase();
    const first = await TestServer.start({ database });
    expect(first.running.bootstrapApp?.appId).toBe('testapp');
    const user = await first.user('persistent');
    await first.close();

    const second = await TestServer.start({ database });
    try {
      expect(second.running.bootstrapApp).toBeUndefined();
      const token = await second.login('persistent');
      expect((await second.gql(`{ viewer { id } }`, {}, { token })).data.viewer.id).toBe(user.id);
      expect((await second.gql(`{ viewer { id } }`, {}, { token: user.token })).data.viewer.id).toBe(user.id);
    } finally {
      await second.close();
      await database.drop();
    }
  });

  it('has committed the schema it serves (npm run schema regenerates it)', async () => {
    expect(await readFile(`${root}/schema.graphql`, 'utf8')).toBe(`${printSchema(schema)}\n`);
  });
});

/** Runs `node src/main.ts` as the README does, with the given environment. */
function startProcess(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: { PATH: process.env['PATH']!, LOG_LEVEL: 'info', PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      const match = /IM server ready at (\S+)\/graphql/.exec(stdout);
      if (match) resolve(match[1]!);
    });
    void exited.then((code) => reject(new Error(`exited with ${code}: ${stderr}`)));
  });
  ready.catch(() => {}); // a test that expects the exit awaits `exited` instead
  return { child, ready, exited, output: () => ({ stdout, stderr }) };
}

describe('process', () => {
  it('prints the default app once on a fresh database, then stops gracefully on SIGTERM', { timeout: 60_000 }, async () => {
    const database = await createTestDatabase();
    const proc = startProcess(database.env);
    try {
      const url = await proc.ready;
      const { stdout } = proc.output();
      // Not a terminal: the credentials are in a file only this user may read, and not on stdout.
      const file = /credentials are in (\S+) \(readable/.exec(stdout)![1]!;
      const saved = await readFile(file, 'utf8');
      const appId = /app_id=(\S+)/.exec(saved)![1]!;
      const appSecret = /app_secret=(\S+)/.exec(saved)![1]!;
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect(stdout).not.toContain(appSecret);

      const admin = await fetch(`${url}/app/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ app_id: appId, app_secret: appSecret }),
      });
      const adminToken = ((await admin.json()) as any).data.token as string;
      expect(adminToken).toBeTruthy();

      const reg = await fetch(`${url}/user/register/v2`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', app_id: appId },
        body: JSON.stringify({ username: 'proc', password: PASSWORD }),
      });
      expect(((await reg.json()) as any).code).toBe(200);
      const login = await fetch(`${url}/token/user`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', app_id: appId },
        body: JSON.stringify({ name: 'proc', password: PASSWORD }),
      });
      const token = ((await login.json()) as any).data.token as string;

      // A live WebSocket is closed with "going away" when the server stops.
      const socket = new WebSocket(`${url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
      const acked = new Promise((resolve) => socket.on('message', resolve));
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { token } })));
      await acked;
      const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));

      proc.child.kill('SIGTERM');
      expect(await closed).toBe(1001);
      expect(await proc.exited).toBe(0);
      expect(proc.output().stdout).toContain('"msg":"stopped"');
      // Secrets never reach the log lines.
      const logLines = proc.output().stdout.split('\n').filter((l) => l.startsWith('{'));
      expect(logLines.join('\n')).not.toContain(token);
      expect(logLines.join('\n')).not.toContain(appSecret);
    } finally {
      proc.child.kill('SIGKILL');
      await database.drop();
    }
  });

  // Two processes, each loading the server through tsx: 15 s apiece at load 17 (three suites at once).
  it('refuses to start on bad configuration, naming the variable', { timeout: 90_000 }, async () => {
    const proc = startProcess({ PORT: 'not-a-port', DATA_DIR: 'memory://' });
    const url = startProcess({ DATABASE_URL: 'mysql://nope', DATA_DIR: 'memory://' });
    expect(await proc.exited).toBe(78);
    expect(proc.output().stderr).toContain('PORT');
    expect(await url.exited).toBe(78);
    expect(url.output().stderr).toContain('DATABASE_URL: must be a postgres:// or postgresql:// URL');
  });
});

describe('app command', () => {
  // Three processes start one after another: slow on a loaded machine.
  it('creates an app whose secret mints admin tokens', { timeout: 90_000 }, async () => {
    const database = await createTestDatabase();
    try {
      const run = (args: string[]) =>
        new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
          const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/app.ts', ...args], {
            cwd: root,
            env: { PATH: process.env['PATH']!, ...database.env },
          });
          let out = '';
          let err = '';
          child.stdout.on('data', (c) => (out += c));
          child.stderr.on('data', (c) => (err += c));
          child.on('exit', (code) => resolve({ code, out, err }));
        });
      const created = await run(['create', 'Shop', '--id', 'shopapp']);
      expect(created.code).toBe(0);
      const secret = /app_secret:\s+(\S+)/.exec(created.out)![1]!;
      const again = await run(['create', 'Shop', '--id', 'shopapp']);
      expect([again.code, again.err.trim()]).toEqual([1, 'app shopapp already exists']);
      expect((await run([])).code).toBe(64);

      const server = await TestServer.start({ database });
      try {
        expect(await server.adminToken('shopapp', secret)).toBeTruthy();
      } finally {
        await server.close();
      }
    } finally {
      await database.drop();
    }
  });
});

describe('presence after a crash', () => {
  // A process and then a server start on an embedded database: slow on a loaded machine.
  // The TTL is long enough that no restart on a loaded machine outlives it (a 1 s TTL let the new
  // server's sweep, at ten TTLs, delete the row before it was looked at); the heartbeat is aged on purpose.
  const PRESENCE_TTL_SECONDS = 60;
  it('stops counting the connections of a killed server once their heartbeat is older than the TTL', { timeout: 180_000 }, async () => {
    const database = await createTestDatabase();
    const env = { ...database.env, IM_BOOTSTRAP_APP_ID: 'testapp', IM_BOOTSTRAP_APP_SECRET: 'test-secret-0123456789', PRESENCE_TTL_SECONDS: String(PRESENCE_TTL_SECONDS) };
    const proc = startProcess(env);
    try {
      const url = await proc.ready;
      const post = async (path: string, body: unknown) =>
        (await (await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', app_id: 'testapp' }, body: JSON.stringify(body) })).json()) as any;
      await post('/user/register/v2', { username: 'crashy', password: PASSWORD });
      const { token, user_id: userId } = (await post('/token/user', { name: 'crashy', password: PASSWORD })).data;
      const socket = new WebSocket(`${url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
      const acked = new Promise((resolve) => socket.on('message', resolve));
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { token } })));
      await acked;
      const closed = new Promise((resolve) => socket.on('close', resolve));

      proc.child.kill('SIGKILL');
      await proc.exited;
      await closed;

      const server = await TestServer.start({ database, env: { PRESENCE_TTL_SECONDS: String(PRESENCE_TTL_SECONDS) } });
      try {
        const admin = await server.adminToken();
        const online = async () =>
          (await server.gql(`query($id: ID!) { user(id: $id) { online } }`, { id: String(userId) }, { token: admin })).data.user.online;
        // The crashed server could not remove its connection: the row is there, and does not count.
        const left = await server.running.database.db.select().from(connections).where(eq(connections.userId, Number(userId)));
        expect(left).toHaveLength(1);
        // Within the TTL of its last heartbeat it still counts; once the heartbeat is older, it does not.
        expect(await online()).toBe(true);
        await server.running.database.db
          .update(connections)
          .set({ heartbeatAt: sql`now() - make_interval(secs => ${PRESENCE_TTL_SECONDS + 1})` })
          .where(eq(connections.userId, Number(userId)));
        expect(await online()).toBe(false);
      } finally {
        await server.close();
      }
    } finally {
      proc.child.kill('SIGKILL');
      await database.drop();
    }
  });
});

describe('document limits', () => {
  it('refuses documents too deep, with too many aliases, or too long: over HTTP and WebSocket alike', async () => {
    const server = await TestServer.start();
    try {
      const user = await server.user('limits');
      const ask = async (query: string) => ((await server.gql(query, {}, { token: user.token })).errors ?? []).map((e) => e.message);

      expect(await ask(`{ friends { edges { node { user { authPolicy { mode } } } } } }`)).toEqual([]);
      const deep = `{ ${'a { '.repeat(20)}b${' }'.repeat(20)} }`;
      expect((await ask(deep)).some((m) => /depth/i.test(m))).toBe(true);
      const aliases = `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: viewer { id }`).join(' ')} }`;
      expect((await ask(aliases)).some((m) => /aliases/i.test(m))).toBe(true);
      expect((await ask(`{ viewer { ${'id '.repeat(6000)} } }`)).some((m) => /token/i.test(m))).toBe(true);
      const huge = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }', variables: { padding: 'x'.repeat(2 * 1024 * 1024) } }),
      });
      expect(huge.status).toBe(413);

      const { client } = server.ws({ token: user.token });
      const result = await new Promise<any>((resolve) =>
        client.subscribe({ query: aliases }, { next: resolve, error: resolve, complete: () => {} }),
      );
      const errors: { message: string }[] = Array.isArray(result) ? result : result.errors;
      expect(errors.some((e) => /aliases/i.test(e.message))).toBe(true);
      // The connection survives a refused document.
      const viewer = await new Promise<any>((resolve, reject) =>
        client.subscribe({ query: '{ viewer { username } }' }, { next: resolve, error: reject, complete: () => {} }),
      );
      expect(viewer.data.viewer.username).toBe('limits');
      await client.dispose();
    } finally {
      await server.close();
    }
  });
});
