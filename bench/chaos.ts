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
 * In (a) live subscribers (two connections of the receiver) hold the `events` stream; when the
 * server dies each resumes on the restarted one with its latest cursor (`events(since:)`), and the
 * verdict (bench/lib/verdict.ts) checks that each has every stored message exactly once, in order.
 * (b) and (c) need PostgreSQL's initdb/pg_ctl and redis-server on the PATH; without them they are skipped.
 * CHAOS_SECONDS sets how long each scenario sends (default 6); `--quick` (CI, test/chaos.test.ts)
 * sends 3 seconds each. Exits 1 when anything acknowledged is lost or duplicated, or a subscriber's
 * delivery is not exact.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { freePort } from './lib/server.js';
import { verdict, type Received, type Verdict } from './lib/verdict.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const QUICK = process.argv.includes('--quick');
const SECONDS = Number(process.env['CHAOS_SECONDS'] ?? (QUICK ? 3 : 6));
const SUBSCRIBERS = 2;
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

const SEND = `mutation($to: ID!, $c: String!, $t: ID!) {
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

  /** A client's loop: a send that was not acknowledged is sent again (same transactionId) before the next. */
  private async loop(sender: User, i: number) {
    while (this.running) {
      const content = `s${i}-${this.counter++}`;
      while (!(await this.send(sender, content))) {
        this.unacked.add(content);
        if (!this.running) return;
        await sleep(200);
      }
      this.acked.add(content);
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

  /** Sends what is still unacknowledged again, same transactionId, until it is acknowledged; how many sends failed at least once. */
  async retry(): Promise<number> {
    for (const content of this.unacked) {
      if (this.acked.has(content)) continue;
      const sender = this.senders[Number(content.slice(1).split('-')[0])]!;
      for (let attempt = 0; attempt < 40; attempt++) {
        if (await this.send(sender, content)) {
          this.acked.add(content);
          break;
        }
        await sleep(250);
      }
    }
    return this.unacked.size;
  }
}

interface StoredMessage {
  content: string;
  conversationId: number;
  seq: number;
}

/** Every message the receiver holds from the senders, read back through history. */
async function storedMessages(url: string, senders: User[], to: User): Promise<StoredMessage[]> {
  const contents: StoredMessage[] = [];
  for (const sender of senders) {
    let after: string | null = null;
    for (;;) {
      const data: any = await gql(
        url,
        `query($with: ID!, $after: String) { messages(conversation: { userId: $with }, first: 100, after: $after) { edges { node { content conversationId seq } } pageInfo { hasNextPage endCursor } } }`,
        { with: sender.id, after },
        to.token,
      );
      contents.push(...data.messages.edges.map((e: any) => ({ content: e.node.content, conversationId: Number(e.node.conversationId), seq: e.node.seq })));
      if (!data.messages.pageInfo.hasNextPage) break;
      after = data.messages.pageInfo.endCursor;
    }
  }
  return contents;
}

interface Figures {
  scenario: string;
  acknowledged: number;
  /** Sends that failed (no answer, or an error) at least once, then were sent again until acknowledged. */
  unacknowledgedThenRetried: number;
  stored: number;
  duplicates: number;
  lost: number;
  [extra: string]: unknown;
}

const stored = async (url: string, senders: User[], to: User) => (await storedMessages(url, senders, to)).map((m) => m.content);

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

const EVENTS = `subscription($since: String) {
  events(since: $since) { __typename cursor ... on MessageEvent { message { conversationId seq } } }
}`;

/**
 * A live subscriber to `events`, as a client keeps one: it records each message's (conversation,
 * seq) as it arrives and the latest cursor, and resumes from that cursor on another server.
 */
class Subscriber {
  readonly received = new Map<number, number[]>();
  private cursor: string | null = null;
  private client: ReturnType<typeof createClient> | undefined;
  resumes = 0;

  constructor(
    readonly name: string,
    private readonly token: string,
  ) {}

  /** Subscribes (from the latest cursor, if any) and resolves when the stream is ready. */
  async connect(url: string) {
    if (this.client) {
      this.resumes++;
      await this.client.dispose();
    }
    const client = createClient({ url: `${url.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { token: this.token }, retryAttempts: 0, lazy: false, onNonLazyError: () => {} });
    this.client = client;
    await new Promise<void>((resolve, reject) => {
      client.subscribe(
        { query: EVENTS, variables: { since: this.cursor } },
        {
          next: (result: any) => {
            const event = result.data?.events;
            if (!event) return;
            if (event.message) {
              const conversation = Number(event.message.conversationId);
              const seqs = this.received.get(conversation) ?? [];
              seqs.push(event.message.seq);
              this.received.set(conversation, seqs);
            }
            if (event.cursor) this.cursor = event.cursor;
            if (event.__typename === 'StreamReadyEvent') resolve();
          },
          // The server going away ends the stream: the scenario resumes it on the next server.
          error: reject,
          complete: () => {},
        },
      );
    });
  }

  /** Whether every seq of `want` has arrived (a bounded wait polls this). */
  has(want: Map<number, number[]>) {
    for (const [conversation, seqs] of want) {
      const got = new Set(this.received.get(conversation) ?? []);
      if (seqs.some((seq) => !got.has(seq))) return false;
    }
    return true;
  }

  async close() {
    await this.client?.dispose();
  }
}

/** Every subscriber must have every stored message of its conversations exactly once, in seq order. */
async function deliveryVerdict(url: string, senders: User[], to: User, subscribers: Subscriber[]): Promise<Verdict> {
  const want = new Map<number, number[]>();
  for (const m of await storedMessages(url, senders, to)) want.set(m.conversationId, [...(want.get(m.conversationId) ?? []), m.seq]);
  for (const seqs of want.values()) seqs.sort((a, b) => a - b);
  // Live delivery trails the last acknowledgement a little: wait (bounded) until all have arrived.
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline && !subscribers.every((s) => s.has(want))) await sleep(100);
  const received: Received = new Map(subscribers.map((s) => [s.name, s.received]));
  return verdict({ byReceiver: new Map(subscribers.map((s) => [s.name, want])) }, received);
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
    log('  server ready');
    const senders = await Promise.all(Array.from({ length: SENDERS }, (_, i) => user(server.url, `sender${i}`)));
    const sink = await user(server.url, 'sink');
    // The receiver's devices, each with its own live stream.
    const subscribers = Array.from({ length: SUBSCRIBERS }, (_, i) => new Subscriber(`sink-device${i}`, sink.token));
    for (const subscriber of subscribers) await subscriber.connect(server.url);
    const load = new Load(() => [server.url], senders, sink);
    load.start();
    await sleep((SECONDS * 1000) / 3);
    await stop(server, 'SIGKILL');
    log(`  killed after ${load.acked.size} acknowledged sends`);
    const down = Date.now();
    server = await startServer({ DATA_DIR: dataDir });
    const restartSeconds = (Date.now() - down) / 1000;
    // Each subscriber resumes from the latest cursor it got before the kill.
    for (const subscriber of subscribers) await subscriber.connect(server.url);
    await sleep((SECONDS * 1000 * 2) / 3);
    await load.stop();
    const retried = await load.retry();
    const delivery = await deliveryVerdict(server.url, senders, sink, subscribers);
    const result = await figures('kill -9 and restart (PGlite)', load, retried, server.url, senders, sink, {
      restartSeconds,
      subscribers: subscribers.length,
      resumes: subscribers.reduce((n, s) => n + s.resumes, 0),
      delivery: { expected: delivery.expected, delivered: delivery.delivered, lost: delivery.lost, duplicated: delivery.duplicated, outOfOrder: delivery.outOfOrder, unexpected: delivery.unexpected, exact: delivery.exact },
      ...(delivery.problems.length > 0 && { deliveryProblems: delivery.problems }),
    });
    for (const subscriber of subscribers) await subscriber.close();
    await stop(server);
    return result;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// Debian keeps PostgreSQL's server programs (initdb, pg_ctl) off the PATH, under /usr/lib/postgresql/<version>/bin.
const debianPostgres = existsSync('/usr/lib/postgresql')
  ? readdirSync('/usr/lib/postgresql')
      .filter((v) => existsSync(`/usr/lib/postgresql/${v}/bin/initdb`))
      .sort((a, b) => Number(b) - Number(a))[0]
  : undefined;
if (debianPostgres) process.env['PATH'] = `${process.env['PATH']}:/usr/lib/postgresql/${debianPostgres}/bin`;

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
log('| scenario | acknowledged | retried after the fault | stored | duplicates | lost | live delivery (per subscriber, after resuming) |');
log('| --- | --- | --- | --- | --- | --- | --- |');
const deliveryOf = (r: Figures) => r['delivery'] as Pick<Verdict, 'expected' | 'delivered' | 'lost' | 'duplicated' | 'outOfOrder' | 'exact'> | undefined;
for (const r of results) {
  const d = deliveryOf(r);
  const live = d ? `${d.delivered}/${d.expected} delivered, ${d.lost} lost, ${d.duplicated} duplicated, ${d.outOfOrder} out of order` : '—';
  log(`| ${r.scenario} | ${r.acknowledged} | ${r.unacknowledgedThenRetried} | ${r.stored} | ${r.duplicates} | ${r.lost} | ${live} |`);
}
const failed = results.some((r) => r.lost > 0 || r.duplicates > 0 || r.acknowledged === 0 || deliveryOf(r)?.exact === false);
log(failed ? 'chaos: FAILED' : 'chaos: passed');
process.exit(failed ? 1 : 0);
