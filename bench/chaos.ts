/**
 * `npm run chaos`: message load under faults, with counts. Each scenario sends messages with a
 * unique transactionId each (as clients do), retries every send that was not acknowledged with the
 * same transactionId once the fault is over, then reads every conversation back and counts:
 * acknowledged, stored, duplicates, lost (acknowledged but not stored).
 *
 * (a) kill -9 the server during sends, restart it on the same data (PGlite);
 * (b) stop PostgreSQL abruptly (`pg_ctl stop -m immediate`) under load and start it again: a private
 *     cluster (initdb) on an ephemeral port; the server must answer /readyz 503 meanwhile and
 *     recover by itself;
 * (c) kill Redis (a private redis-server on an ephemeral port) under load with two server
 *     processes, and start it again: sends go on, and live delivery across processes resumes.
 * (b) and (c) need PostgreSQL's initdb/pg_ctl and redis-server on the PATH; without them they are skipped.
 * CHAOS_SECONDS sets how long each scenario sends (default 6).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { freePort } from './lib/server.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const SECONDS = Number(process.env['CHAOS_SECONDS'] ?? 6);
const SENDERS = 4;
const APP = 'chaosapp';
const SECRET = 'chaos-secret-0123456789';
const PASSWORD = 'chaos password';
const log = (line: string) => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Server {
  url: string;
  child: ChildProcess;
  exited: Promise<unknown>;
}

async function startServer(env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: {
      PATH: process.env['PATH']!,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'fatal',
      NODE_ENV: 'production',
      IM_BOOTSTRAP_APP_ID: APP,
      IM_BOOTSTRAP_APP_SECRET: SECRET,
      // The load is many sends a second from few users: the budgets are not what is tested here.
      RATE_LIMIT_SENDS: '1000000',
      RATE_LIMIT_READS: '1000000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const ready = /ready at (\S+)\/graphql/.exec(out);
      if (ready) resolve(ready[1]!);
    });
    void exited.then(() => reject(new Error('the server exited before it was ready')));
  });
  return { url, child, exited };
}

async function stop(server: Server, signal: NodeJS.Signals = 'SIGTERM') {
  if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill(signal);
  await server.exited;
}

async function gql(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<any> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(10_000),
  });
  return ((await res.json()) as { data?: any }).data;
}

interface User {
  id: string;
  token: string;
}

async function user(url: string, username: string): Promise<User> {
  await gql(url, `mutation($a: ID!, $u: String!, $p: String!) { registerUser(appId: $a, input: { username: $u, password: $p }) { __typename } }`, { a: APP, u: username, p: PASSWORD });
  const data = await gql(
    url,
    `mutation($a: ID!, $u: String!, $p: String!) { createAccessToken(appId: $a, input: { username: $u, password: $p }) { ... on CreateAccessTokenPayload { accessToken { token userId } } } }`,
    { a: APP, u: username, p: PASSWORD },
  );
  return { id: data.createAccessToken.accessToken.userId, token: data.createAccessToken.accessToken.token };
}

const SEND = `mutation($to: ID!, $c: String!, $t: String!) {
  sendMessage(input: { toKind: USER, targets: [$to], contentType: TEXT, content: $c, transactionId: $t }) { __typename }
}`;

/** Senders sending to one receiver, as fast as answers come; what was acknowledged and what was not. */
class Load {
  readonly acked = new Set<string>();
  readonly unacked = new Set<string>();
  private counter = 0;
  private running = true;
  private loops: Promise<void>[] = [];

  constructor(
    private readonly urls: () => string[],
    private readonly senders: User[],
    private readonly to: User,
  ) {}

  start() {
    this.loops = this.senders.map((sender, i) => this.loop(sender, i));
  }

  private async loop(sender: User, i: number) {
    while (this.running) {
      const content = `s${i}-${this.counter++}`;
      if (await this.send(sender, content)) this.acked.add(content);
      else {
        this.unacked.add(content);
        await sleep(50);
      }
    }
  }

  async send(sender: User, content: string, url = this.urls()[Number(content.split('-')[1]) % this.urls().length]!): Promise<boolean> {
    try {
      const data = await gql(url, SEND, { to: this.to.id, c: content, t: content }, sender.token);
      return data?.sendMessage?.__typename === 'SendMessagePayload';
    } catch {
      return false;
    }
  }

  async stop() {
    this.running = false;
    await Promise.all(this.loops);
  }

  /** Sends every unacknowledged message again, same transactionId, until it is acknowledged. */
  async retry(): Promise<number> {
    let retried = 0;
    for (const content of this.unacked) {
      const sender = this.senders[Number(content.slice(1).split('-')[0])]!;
      for (let attempt = 0; attempt < 40; attempt++) {
        if (await this.send(sender, content)) {
          this.acked.add(content);
          retried++;
          break;
        }
        await sleep(250);
      }
    }
    return retried;
  }
}

/** Every message the receiver holds from the senders, read back through history. */
async function stored(url: string, senders: User[], to: User): Promise<string[]> {
  const contents: string[] = [];
  for (const sender of senders) {
    let after: string | null = null;
    for (;;) {
      const data: any = await gql(
        url,
        `query($with: ID!, $after: String) { messages(conversation: { userId: $with }, first: 100, after: $after) { edges { node { content } } pageInfo { hasNextPage endCursor } } }`,
        { with: sender.id, after },
        to.token,
      );
      contents.push(...data.messages.edges.map((e: any) => e.node.content));
      if (!data.messages.pageInfo.hasNextPage) break;
      after = data.messages.pageInfo.endCursor;
    }
  }
  return contents;
}

interface Figures {
  scenario: string;
  acknowledged: number;
  unacknowledgedThenRetried: number;
  stored: number;
  duplicates: number;
  lost: number;
  [extra: string]: unknown;
}

async function figures(scenario: string, load: Load, retried: number, url: string, senders: User[], to: User, extra: Record<string, unknown> = {}): Promise<Figures> {
  const contents = await stored(url, senders, to);
  const unique = new Set(contents);
  const result: Figures = {
    scenario,
    acknowledged: load.acked.size,
    unacknowledgedThenRetried: retried,
    stored: contents.length,
    duplicates: contents.length - unique.size,
    lost: [...load.acked].filter((c) => !unique.has(c)).length,
    ...extra,
  };
  log(`  ${JSON.stringify(result)}`);
  return result;
}

async function readyz(url: string): Promise<number> {
  try {
    return (await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(3000) })).status;
  } catch {
    return 0;
  }
}

async function killAndRestart(): Promise<Figures> {
  log('(a) kill -9 the server during sends, restart it');
  const dataDir = mkdtempSync(join(tmpdir(), 'im-chaos-'));
  try {
    let server = await startServer({ DATA_DIR: dataDir });
    const senders = await Promise.all(Array.from({ length: SENDERS }, (_, i) => user(server.url, `sender${i}`)));
    const sink = await user(server.url, 'sink');
    const load = new Load(() => [server.url], senders, sink);
    load.start();
    await sleep((SECONDS * 1000) / 3);
    await stop(server, 'SIGKILL');
    const down = Date.now();
    server = await startServer({ DATA_DIR: dataDir });
    const restartSeconds = (Date.now() - down) / 1000;
    await sleep((SECONDS * 1000 * 2) / 3);
    await load.stop();
    const retried = await load.retry();
    const result = await figures('kill -9 and restart (PGlite)', load, retried, server.url, senders, sink, { restartSeconds });
    await stop(server);
    return result;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function have(binary: string) {
  return spawnSync('sh', ['-c', `command -v ${binary}`]).status === 0;
}

/** A private PostgreSQL cluster on an ephemeral port (initdb refuses root: run as postgres then). */
async function privatePostgres() {
  const dir = mkdtempSync(join(tmpdir(), 'im-chaos-pg-'));
  chmodSync(dir, 0o777);
  const asPostgres = (args: string[]) => {
    const command = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--', ...args] : args;
    const result = spawnSync(command[0]!, command.slice(1), { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${args[0]} failed: ${result.stderr}`);
  };
  const port = await freePort();
  const data = join(dir, 'data');
  asPostgres(['initdb', '-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const start = () => asPostgres(['pg_ctl', '-D', data, '-l', join(dir, 'log'), '-w', '-o', `-p ${port} -k ${dir} -h 127.0.0.1 -c fsync=on`, 'start']);
  start();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe('create database chaos');
  await admin.end();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/chaos`,
    start,
    crash: () => asPostgres(['pg_ctl', '-D', data, '-m', 'immediate', 'stop']),
    remove: () => {
      spawnSync('runuser', ['-u', 'postgres', '--', 'pg_ctl', '-D', data, '-m', 'immediate', 'stop']);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function restartPostgres(): Promise<Figures> {
  log('(b) stop PostgreSQL abruptly during sends, start it again');
  const pg = await privatePostgres();
  try {
    const server = await startServer({ DATABASE_URL: pg.url, DATA_DIR: mkdtempSync(join(tmpdir(), 'im-chaos-files-')) });
    const senders = await Promise.all(Array.from({ length: SENDERS }, (_, i) => user(server.url, `sender${i}`)));
    const sink = await user(server.url, 'sink');
    const load = new Load(() => [server.url], senders, sink);
    load.start();
    await sleep((SECONDS * 1000) / 3);
    pg.crash();
    let readyWhileDown = 0;
    for (let i = 0; i < 20 && readyWhileDown !== 503; i++) readyWhileDown = await readyz(server.url);
    await sleep(1000);
    const restarted = Date.now();
    pg.start();
    while ((await readyz(server.url)) !== 200) await sleep(100);
    const recoverySeconds = (Date.now() - restarted) / 1000;
    await sleep((SECONDS * 1000 * 2) / 3);
    await load.stop();
    const retried = await load.retry();
    const result = await figures('PostgreSQL crash and restart', load, retried, server.url, senders, sink, { readyzWhileDown: readyWhileDown, recoverySeconds });
    await stop(server);
    return result;
  } finally {
    pg.remove();
  }
}

async function restartRedis(): Promise<Figures> {
  log('(c) kill Redis during sends with two server processes, start it again');
  const pg = await privatePostgres();
  const port = await freePort();
  const startRedis = () => spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  let redis = startRedis();
  const files = mkdtempSync(join(tmpdir(), 'im-chaos-files-'));
  try {
    const env = { DATABASE_URL: pg.url, DATA_DIR: files, REDIS_URL: `redis://127.0.0.1:${port}` };
    const a = await startServer(env);
    const b = await startServer(env);
    const senders = await Promise.all(Array.from({ length: SENDERS }, (_, i) => user(a.url, `sender${i}`)));
    const sink = await user(a.url, 'sink');
    // The receiver listens on process B; half the sends go to process A.
    const heard = new Set<string>();
    const client = createClient({ url: `${b.url.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { token: sink.token }, retryAttempts: 0 });
    client.subscribe(
      { query: `subscription { events { __typename ... on MessageEvent { message { content } } } }` },
      { next: (r: any) => r.data?.events?.message && heard.add(r.data.events.message.content), error: () => {}, complete: () => {} },
    );
    await sleep(500);
    const load = new Load(() => [a.url, b.url], senders, sink);
    load.start();
    await sleep((SECONDS * 1000) / 3);
    redis.kill('SIGKILL');
    await sleep(1500);
    redis = startRedis();
    const back = Date.now();
    await sleep((SECONDS * 1000 * 2) / 3);
    await load.stop();
    const retried = await load.retry();
    // Delivery after Redis came back (and settled for a second): what the listener on B heard of it.
    const lateSends = [...load.acked].filter((c) => Number(c.split('-')[1]) % 2 === 0);
    await sleep(1000);
    const result = await figures('Redis crash and restart, two processes', load, retried, a.url, senders, sink, {
      redisDownSeconds: 1.5,
      liveEventsHeardOnB: heard.size,
      sendsThroughA: lateSends.length,
      sinceRedisBackMs: Date.now() - back,
    });
    await client.dispose();
    await Promise.all([stop(a), stop(b)]);
    return result;
  } finally {
    redis.kill('SIGKILL');
    rmSync(files, { recursive: true, force: true });
    pg.remove();
  }
}

const results: Figures[] = [await killAndRestart()];
if (have('initdb') && have('pg_ctl')) results.push(await restartPostgres());
else log('(b) skipped: no initdb/pg_ctl');
if (have('initdb') && have('redis-server')) results.push(await restartRedis());
else log('(c) skipped: no redis-server');

log('');
log('| scenario | acknowledged | retried after the fault | stored | duplicates | lost |');
log('| --- | --- | --- | --- | --- | --- |');
for (const r of results) log(`| ${r.scenario} | ${r.acknowledged} | ${r.unacknowledgedThenRetried} | ${r.stored} | ${r.duplicates} | ${r.lost} |`);
const failed = results.some((r) => r.lost > 0 || r.duplicates > 0);
process.exit(failed ? 1 : 0);
