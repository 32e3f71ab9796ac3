/**
 * Message traffic against a real server: closed-loop maximum throughput (each sender keeps k
 * sends in flight), then latency at a fixed open-loop rate, then exactness from the database.
 */
import postgres from 'postgres';
import { gql, WsClient, loopback } from '../lib/client.js';
import type { FakeFcm } from '../lib/fake-fcm.js';
import { createGroup, conversationsOf, seedPushPhones, seedUsers, type BenchUser } from '../lib/seed.js';
import { APP, SECRET, createDatabase, freePort, loadAverage, startServer, type ServerProcess } from '../lib/server.js';
import { everyMemberEverything, percentile, verdict, type Received, type Verdict } from '../lib/verdict.js';

export type Traffic = '1:1' | 'group-10' | 'group-500';
export type Transport = 'http' | 'ws';

/** What each client subscribes to: what a chat UI shows with a message. */
export const EVENTS = `subscription($since: String) { events(since: $since) { __typename cursor
  ... on MessageEvent { message { id conversationId seq content from { id username } } } } }`;
const SEND = `mutation($input: SendMessageInput!) { sendMessage(input: $input) { __typename
  ... on SendMessagePayload { messages { id seq } } ... on Error { code message } } }`;

export interface TrafficOptions {
  traffic: Traffic;
  transport: Transport;
  users: number;
  /** Users that send (the first ones); the rest only receive. */
  senders: number;
  inFlight: number;
  seconds: number;
  workers: number;
  /** Open-loop rate after the closed loop: a number, or 'half' of the measured maximum; 0 skips it. */
  openRate: number | 'half';
  nodeArgs?: string[];
  /**
   * Offline push: every user also has a phone that is never connected, with an FCM token, so
   * each message is an offline push to every recipient. 'on' gives the app FCM credentials
   * pointing at `fcm` (a local fake); 'off' leaves them unset, so nothing is pushed.
   */
  push?: { mode: 'on' | 'off'; fcm: FakeFcm; worker: 'inline' | 'process' };
}

/** What the push worker did during a push run's closed loop, and where it stood at the end. */
export interface PushFigures {
  mode: 'on' | 'off';
  /** Requests the fake provider received in the closed-loop window (retries included), and the share it answered 500. */
  providerSendsPerSecond: number;
  providerErrors: number;
  /** push_deliveries by state at the end of the window: not yet sent (a slow provider's backlog), sent, failed. */
  deliveriesPending: number;
  deliveriesSent: number;
  deliveriesFailed: number;
}

export interface LoadFigures {
  sendsPerSecond: number;
  deliveriesPerSecond: number;
  latencyMs: { p50: number; p99: number; max: number };
  serverCpuCores: number;
  serverRssMB: number;
  failedSends: number;
  /** Database transactions (committed or not) in the window, per send and per delivery: no query per delivered event. */
  dbTransactionsPerSend: number;
  dbTransactionsPerDelivery: number;
  /** Server CPU time per delivery (sends included): what a delivery costs, less swayed by a busy machine than rates. */
  serverCpuMicrosPerDelivery: number;
  loadAverage: number;
}

export interface TrafficResult {
  traffic: Traffic;
  transport: Transport;
  workers: number;
  users: number;
  senders: number;
  inFlight: number;
  closed: LoadFigures;
  open?: LoadFigures & { targetRate: number };
  verdict: Verdict;
  /** Deliveries per send to other users' streams (the sender's own stream also receives it). */
  fanOut: number;
  push?: PushFigures;
}

interface Live {
  user: BenchUser;
  ws: WsClient;
  /** Where the user sends: a partner (1:1) or its group. */
  target: { toKind: 'USER' | 'GROUP'; id: number };
}

export async function runTraffic(options: TrafficOptions, log: (line: string) => void): Promise<TrafficResult> {
  const db = await createDatabase();
  let server: ServerProcess | undefined;
  const clients: Live[] = [];
  try {
    // PUSH_WORKER=process needs Redis (in-app notifications reach subscribers through it): push off
    // runs with the same settings, so the two differ only in what is pushed.
    const pushEnv = options.push
      ? { PUSH_FCM_URL: options.push.fcm.url, PUSH_TIMEOUT_MS: '5000', PUSH_WORKER: options.push.worker, ...(options.push.worker === 'process' && { REDIS_URL: process.env['REDIS_URL']! }) }
      : undefined;
    server = await startServer({ databaseUrl: db.url, port: await freePort(), workers: options.workers, nodeArgs: options.nodeArgs, env: pushEnv });
    const url = server.url;
    const users = await seedUsers(db.url, options.users);
    if (options.push) {
      await seedPushPhones(db.url, users);
      if (options.push.mode === 'on') await setFcmCredentials(url, options.push.fcm.serviceAccount);
    }
    const groupSize = options.traffic === 'group-10' ? 10 : options.traffic === 'group-500' ? 500 : 0;
    const targets: Live['target'][] = [];
    if (groupSize === 0) {
      users.forEach((_, i) => targets.push({ toKind: 'USER', id: (users[i ^ 1] ?? users[0]!).id }));
    } else {
      for (let start = 0; start < users.length; start += groupSize) {
        const members = users.slice(start, start + groupSize);
        const group = await createGroup(url, members, `g${start}`);
        members.forEach(() => targets.push({ toKind: 'GROUP', id: group }));
      }
    }
    const fanOut = groupSize === 0 ? 1 : Math.min(groupSize, users.length) - 1;

    const received: Received = new Map();
    const sentAt = new Map<string, number>();
    let deliveries = 0;
    let latencies: number[] = [];
    // Open in slices: a burst of thousands of handshakes at once measures the listen backlog.
    for (let start = 0; start < users.length; start += 200) {
      await Promise.all(
        users.slice(start, start + 200).map(async (user, j) => {
          const i = start + j;
          const ws = new WsClient();
          await ws.open(url, user.token, loopback(i));
          const mine = new Map<number, number[]>();
          received.set(user.name, mine);
          await new Promise<void>((ready, fail) =>
            ws.subscribe(EVENTS, {}, {
              next: (data) => {
                const event = data?.events;
                if (event?.__typename === 'StreamReadyEvent') return ready();
                if (event?.__typename !== 'MessageEvent') return;
                const m = event.message;
                const conversation = Number(m.conversationId);
                let seqs = mine.get(conversation);
                if (!seqs) mine.set(conversation, (seqs = []));
                seqs.push(m.seq);
                if (Number(m.from?.id) !== user.id) {
                  deliveries++;
                  const at = sentAt.get(m.content);
                  if (at !== undefined) latencies.push(performance.now() - at);
                }
              },
              error: (e) => fail(new Error(`stream of ${user.name} failed: ${JSON.stringify(e)}`)),
              complete: () => {},
            }),
          );
          clients[i] = { user, ws, target: targets[i]! };
        }),
      );
    }
    log(`  ${options.users} users subscribed`);

    const senders = clients.slice(0, options.senders);
    let counter = 0;
    let failed = 0;
    let ok = 0;
    const send = async (from: Live) => {
      const content = `${from.user.name}-${counter++}`;
      sentAt.set(content, performance.now());
      const input = { toKind: from.target.toKind, targets: [String(from.target.id)], contentType: 'TEXT', content };
      try {
        const data =
          options.transport === 'ws' ? await from.ws.execute(SEND, { input }) : await gql(url, SEND, { input }, from.user.token);
        if (data.sendMessage.__typename === 'SendMessagePayload') ok++;
        else failed++;
      } catch {
        failed++;
      }
    };

    const measure = async (drive: (until: number) => Promise<void>, seconds: number): Promise<LoadFigures> => {
      ok = 0;
      failed = 0;
      deliveries = 0;
      latencies = [];
      const xacts0 = await transactions(db.url, db.name);
      const cpu0 = server!.cpuSeconds();
      let rss = server!.rss();
      const sampler = setInterval(() => (rss = Math.max(rss, server!.rss())), 250);
      const started = performance.now();
      await drive(Date.now() + seconds * 1000);
      const elapsed = (performance.now() - started) / 1000;
      const figures = {
        sends: ok,
        deliveries,
        cpu: (server!.cpuSeconds() - cpu0) / elapsed,
      };
      clearInterval(sampler);
      await new Promise((r) => setTimeout(r, 1500)); // PostgreSQL flushes its counters about every second
      const xacts = (await transactions(db.url, db.name)) - xacts0 - 2;
      const sorted = latencies.sort((a, b) => a - b);
      return {
        sendsPerSecond: Math.round(figures.sends / elapsed),
        deliveriesPerSecond: Math.round(figures.deliveries / elapsed),
        latencyMs: { p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)), max: round(sorted.at(-1) ?? NaN) },
        serverCpuCores: Math.round(figures.cpu * 100) / 100,
        serverRssMB: Math.round(rss / 2 ** 20),
        failedSends: failed,
        serverCpuMicrosPerDelivery: Math.round(((figures.cpu * elapsed) / Math.max(1, figures.deliveries)) * 1e6),
        dbTransactionsPerSend: Math.round((xacts / Math.max(1, figures.sends)) * 100) / 100,
        dbTransactionsPerDelivery: Math.round((xacts / Math.max(1, figures.deliveries)) * 1000) / 1000,
        loadAverage: loadAverage(),
      };
    };

    // Closed loop: every sender keeps `inFlight` sends outstanding for the whole window.
    await options.push?.fcm.refresh();
    const fcm0 = options.push ? { ...options.push.fcm.counts } : undefined;
    const closedStarted = performance.now();
    const closed = await measure(
      (until) =>
        Promise.all(
          senders.flatMap((sender) =>
            Array.from({ length: options.inFlight }, async () => {
              while (Date.now() < until) await send(sender);
            }),
          ),
        ).then(() => undefined),
      options.seconds,
    );
    log(`  closed loop: ${closed.sendsPerSecond} sends/s, ${closed.deliveriesPerSecond} deliveries/s, p99 ${closed.latencyMs.p99} ms`);
    let push: PushFigures | undefined;
    if (options.push) {
      // The window plus the 1.5 s measure() waits after it: provider requests keep coming then too.
      const elapsed = (performance.now() - closedStarted) / 1000;
      await options.push.fcm.refresh();
      const counts = options.push.fcm.counts;
      const states = await pushStates(db.url);
      push = {
        mode: options.push.mode,
        providerSendsPerSecond: Math.round((counts.sends - fcm0!.sends) / elapsed),
        providerErrors: counts.errors - fcm0!.errors,
        deliveriesPending: states[0] ?? 0,
        deliveriesSent: states[1] ?? 0,
        deliveriesFailed: states[2] ?? 0,
      };
      log(`  push ${push.mode}: provider got ${push.providerSendsPerSecond} sends/s (${push.providerErrors} answered 500); deliveries pending ${push.deliveriesPending}, sent ${push.deliveriesSent}, failed ${push.deliveriesFailed}`);
    }

    let open: TrafficResult['open'];
    const targetRate = options.openRate === 'half' ? Math.max(1, Math.round(closed.sendsPerSecond / 2)) : options.openRate;
    if (targetRate > 0) {
      await settle(() => deliveries, 2000);
      // Open loop: sends start on a fixed schedule whatever the answers, so queueing shows as latency.
      open = {
        targetRate,
        ...(await measure(async (until) => {
          const pending: Promise<void>[] = [];
          const start = Date.now();
          for (let i = 0; ; i++) {
            const due = start + (i * 1000) / targetRate;
            if (due >= until) break;
            const wait = due - Date.now();
            if (wait > 0) await new Promise((r) => setTimeout(r, wait)); // pacing the load
            pending.push(send(senders[i % senders.length]!));
          }
          await Promise.all(pending);
          await settle(() => deliveries, 1000);
        }, options.seconds)),
      };
      log(`  open loop at ${targetRate}/s: p50 ${open.latencyMs.p50} ms, p99 ${open.latencyMs.p99} ms, max ${open.latencyMs.max} ms`);
    }

    // Exactness: every member of every conversation got every message the database holds, once, in order.
    const byId = new Map(users.map((u) => [u.id, u.name]));
    const expect = async () => {
      const conversations = await conversationsOf(db.url);
      return everyMemberEverything(
        new Map([...conversations].map(([id, c]) => [id, { members: c.members.map((m) => byId.get(m)!), seqs: c.seqs }])),
      );
    };
    let result = verdict(await expect(), received);
    for (let i = 0; i < 100 && result.lost > 0; i++) {
      await new Promise((r) => setTimeout(r, 100)); // the last deliveries may still be on the wire
      result = verdict(await expect(), received);
    }
    return {
      traffic: options.traffic,
      transport: options.transport,
      workers: options.workers,
      users: options.users,
      senders: options.senders,
      inFlight: options.inFlight,
      closed,
      open,
      verdict: result,
      fanOut,
      ...(push && { push }),
    };
  } finally {
    for (const c of clients) c?.ws.terminate();
    await server?.stop();
    await db.drop();
  }
}

/** Transactions the database has counted (committed and rolled back). */
async function transactions(url: string, name: string): Promise<number> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ n: string }[]>`select xact_commit + xact_rollback as n from pg_stat_database where datname = ${name}`;
    return Number(row!.n);
  } finally {
    await sql.end();
  }
}

const round = (n: number) => Math.round(n * 10) / 10;

/** The app's FCM credentials, set as an admin sets them (admin GraphQL). */
async function setFcmCredentials(url: string, serviceAccount: string) {
  const login = await gql(
    url,
    `mutation($a: ID!, $s: String!) { createAdminToken(appId: $a, appSecret: $s) { __typename ... on CreateAdminTokenPayload { adminToken { token } } } }`,
    { a: APP, s: SECRET },
  );
  const admin = login.createAdminToken.adminToken.token as string;
  const set = await gql(
    url,
    `mutation($input: SetPushCredentialInput!) { setPushCredential(input: $input) { __typename ... on Error { message } } }`,
    { input: { provider: 'FCM', certificate: serviceAccount } },
    admin,
  );
  if (set.setPushCredential.__typename !== 'SetPushCredentialPayload') throw new Error(`setPushCredential: ${JSON.stringify(set.setPushCredential)}`);
}

/** push_deliveries by status (0 pending, 1 sent, 2 failed). */
async function pushStates(url: string): Promise<Record<number, number>> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql<{ status: number; n: string }[]>`select status, count(*) as n from push_deliveries group by status`;
    return Object.fromEntries(rows.map((r) => [Number(r.status), Number(r.n)]));
  } finally {
    await sql.end();
  }
}

/** Waits until a counter stops moving for `quietMs` (deliveries of the previous phase landed). */
async function settle(counter: () => number, quietMs: number) {
  let last = -1;
  while (counter() !== last) {
    last = counter();
    await new Promise((r) => setTimeout(r, quietMs)); // letting in-flight deliveries land
  }
}
