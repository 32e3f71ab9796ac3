/**
 * The message-path benchmark suite (issue 10). Every scenario runs a real server process
 * (src/main.ts) on a fresh PostgreSQL database beside the one DATABASE_URL names, checks that
 * every expected delivery arrived once and in order, and reports beside this machine's ceilings
 * measured in the same run. Prints one table, then the JSON of every figure.
 *
 *   DATABASE_URL=postgres://… [REDIS_URL=redis://…] npm run bench -- [--quick] [--scenario a,b] [--workers 2]
 *
 * Scenarios: throughput (closed loop, then open loop at half its max: 1:1, group-10, group-500
 * over HTTP and graphql-ws), idle, storm, history; ceilings always run when throughput does.
 * --traffic and --transport narrow throughput; --cpu-prof DIR profiles the server processes.
 * --push (with throughput) measures offline push instead: every user also has an offline phone
 * with an FCM token; runs alternate push off (no credentials) and push on (credentials for a
 * local fake FCM that answers late, some sends with 500), closed loop only, and the table puts
 * their sends/s side by side (issue 13: on within 10% of off).
 */
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { WsClient } from './lib/client.js';
import { broadcastCeiling, insertCeiling } from './lib/ceilings.js';
import { fakeFcm } from './lib/fake-fcm.js';
import { createDatabase, loadAverage } from './lib/server.js';
import { runHistory, type HistoryResult } from './scenarios/history.js';
import { runIdle, type IdleResult } from './scenarios/idle.js';
import { runStorm, type StormResult } from './scenarios/storm.js';
import { runTraffic, type Traffic, type TrafficResult, type Transport } from './scenarios/traffic.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    scenario: { type: 'string', default: 'throughput,idle,storm,history' },
    traffic: { type: 'string', default: '1:1,group-10,group-500' },
    transport: { type: 'string', default: 'http,ws' },
    workers: { type: 'string', default: '1' },
    seconds: { type: 'string' },
    'cpu-prof': { type: 'string' },
    json: { type: 'string' },
    push: { type: 'boolean', default: false },
    'push-rounds': { type: 'string', default: '2' },
    // Where the push worker runs: its own process at a lower priority (what the bench uses with REDIS_URL), or the server's event loop.
    'push-worker': { type: 'string', default: process.env['REDIS_URL'] ? 'process' : 'inline' },
    'push-delay-ms': { type: 'string', default: '300' },
    'push-error-rate': { type: 'string', default: '0.5' },
  },
});
const quick = values.quick!;
const scenarios = new Set(values.scenario!.split(','));
const workers = Number(values.workers);
const seconds = Number(values.seconds ?? (quick ? 3 : 10));
const nodeArgs = values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`] : undefined;

/** Users, senders and sends in flight per sender, for each kind of traffic. */
const SHAPES: Record<Traffic, { users: number; senders: number; inFlight: number }> = quick
  ? { '1:1': { users: 20, senders: 20, inFlight: 2 }, 'group-10': { users: 20, senders: 20, inFlight: 2 }, 'group-500': { users: 500, senders: 5, inFlight: 2 } }
  : { '1:1': { users: 200, senders: 200, inFlight: 2 }, 'group-10': { users: 200, senders: 200, inFlight: 2 }, 'group-500': { users: 500, senders: 20, inFlight: 2 } };
const IDLE = quick ? 1000 : 10_000;
const STORM = quick ? { clients: 200, rate: 100, seconds: 6 } : { clients: 5000, rate: 500, seconds: 10 };
const HISTORY = quick ? { messages: 100_000, pages: 200 } : { messages: 1_000_000, pages: 1000 };

const log = (line: string) => process.stderr.write(`${line}\n`);

interface Ceilings {
  insertsPerSecond: { connections1: number; connections4: number; loadAverage: number };
  /** sockets → frames/s */
  broadcast: Record<string, { framesPerSecond: number; frameBytes: number; loadAverage: number }>;
}

const results: {
  machine: Record<string, unknown>;
  mode: string;
  workers: number;
  ceilings?: Ceilings;
  traffic: (TrafficResult & { ratios: Record<string, number> })[];
  push?: PushComparison[];
  idle?: IdleResult;
  storm?: StormResult;
  history?: HistoryResult;
} = {
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, loadAverageAtStart: loadAverage() },
  mode: quick ? 'quick' : 'full',
  workers,
  traffic: [],
};
results.machine['date'] = new Date().toISOString();

/** Push off and on, alternated, for one kind of traffic: the closed loop's sends/s of each run. */
interface PushComparison {
  traffic: Traffic;
  transport: Transport;
  provider: { delayMs: number; errorRate: number };
  /** Where the push worker ran (PUSH_WORKER). */
  worker: 'inline' | 'process';
  runs: TrafficResult[];
  offSendsPerSecond: number;
  onSendsPerSecond: number;
  /** on / off, of the medians. */
  ratio: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

if (scenarios.has('throughput') && values.push) {
  const provider = { delayMs: Number(values['push-delay-ms']), errorRate: Number(values['push-error-rate']) };
  const fcm = await fakeFcm(provider);
  const pushWorker = values['push-worker'] as 'inline' | 'process';
  if (pushWorker !== 'inline' && pushWorker !== 'process') throw new Error('--push-worker is inline or process');
  if (pushWorker === 'process' && !process.env['REDIS_URL']) throw new Error('--push-worker process needs REDIS_URL');
  results.push = [];
  try {
    for (const traffic of values.traffic!.split(',') as Traffic[]) {
      for (const transport of values.transport!.split(',') as Transport[]) {
        const runs: TrafficResult[] = [];
        for (let round = 0; round < Number(values['push-rounds']); round++) {
          // Alternated, so a change of load on the shared machine falls on both.
          for (const mode of ['off', 'on'] as const) {
            log(`push ${mode}: ${traffic} over ${transport} (round ${round + 1})`);
            runs.push(await runTraffic({ traffic, transport, ...SHAPES[traffic], seconds, workers, openRate: 0, nodeArgs, push: { mode, fcm, worker: pushWorker } }, log));
          }
        }
        const of = (mode: string) => median(runs.filter((r) => r.push!.mode === mode).map((r) => r.closed.sendsPerSecond));
        const [off, on] = [of('off'), of('on')];
        results.push.push({ traffic, transport, provider, worker: pushWorker, runs, offSendsPerSecond: off, onSendsPerSecond: on, ratio: ratio(on, off) });
      }
    }
  } finally {
    await fcm.close();
  }
} else if (scenarios.has('throughput')) {
  for (const traffic of values.traffic!.split(',') as Traffic[]) {
    for (const transport of values.transport!.split(',') as Transport[]) {
      log(`throughput: ${traffic} over ${transport}`);
      const shape = SHAPES[traffic];
      const r = await runTraffic({ traffic, transport, ...shape, seconds, workers, openRate: 'half', nodeArgs }, log);
      results.traffic.push({ ...r, ratios: {} });
    }
  }
  log('ceilings');
  const db = await createDatabase();
  try {
    const s = quick ? 2 : 5;
    const connections1 = Math.round(await insertCeiling(db.url, 1, s));
    const connections4 = Math.round(await insertCeiling(db.url, 4, s));
    const ceilings: Ceilings = { insertsPerSecond: { connections1, connections4, loadAverage: loadAverage() }, broadcast: {} };
    const frameBytes = WsClient.lastFrameBytes || 300;
    for (const sockets of new Set(results.traffic.map((t) => t.users))) {
      ceilings.broadcast[sockets] = { framesPerSecond: Math.round(await broadcastCeiling(sockets, frameBytes, s)), frameBytes, loadAverage: loadAverage() };
    }
    results.ceilings = ceilings;
    log(`  INSERTs/s: ${connections1} (1 connection), ${connections4} (4); broadcast: ${JSON.stringify(ceilings.broadcast)}`);
  } finally {
    await db.drop();
  }
  for (const t of results.traffic) {
    const c = results.ceilings!;
    t.ratios = {
      sendsToInserts1: ratio(t.closed.sendsPerSecond, c.insertsPerSecond.connections1),
      sendsToInserts4: ratio(t.closed.sendsPerSecond, c.insertsPerSecond.connections4),
      deliveriesToBroadcast: ratio(t.closed.deliveriesPerSecond, c.broadcast[t.users]!.framesPerSecond),
    };
  }
}
if (scenarios.has('idle')) {
  log(`idle: ${IDLE} subscribers`);
  results.idle = await runIdle(IDLE, log);
}
if (scenarios.has('storm')) {
  log(`storm: ${STORM.clients} clients`);
  results.storm = await runStorm(STORM.clients, STORM.rate, STORM.seconds, workers, log);
}
if (scenarios.has('history')) {
  log(`history: ${HISTORY.messages} messages`);
  results.history = await runHistory(HISTORY.messages, HISTORY.pages, log);
}

function inexact(v: { lost: number; duplicated: number; outOfOrder: number; unexpected: number; problems: string[] }) {
  return `NO (${v.lost} lost, ${v.duplicated} twice, ${v.outOfOrder} out of order, ${v.unexpected} unexpected; e.g. ${v.problems[0]})`;
}

function ratio(a: number, b: number) {
  return Math.round((a / b) * 1000) / 1000;
}

// One table.
const rows: string[][] = [['scenario', 'sends/s', 'deliveries/s', 'p50 ms', 'p99 ms', 'max ms', 'server CPU', 'server RSS', 'vs ceiling', 'exact', 'load avg']];
for (const t of results.traffic) {
  const name = `${t.traffic} ${t.transport}${t.workers > 1 ? ` ×${t.workers}` : ''} (${t.users} users, ${t.senders}×${t.inFlight} in flight)`;
  const c = t.closed;
  const exact = t.verdict.exact ? 'yes' : inexact(t.verdict);
  rows.push([`max ${name}`, `${c.sendsPerSecond}`, `${c.deliveriesPerSecond}`, `${c.latencyMs.p50}`, `${c.latencyMs.p99}`, `${c.latencyMs.max}`, `${c.serverCpuCores} cores`, `${c.serverRssMB} MB`,
    `sends ${t.ratios['sendsToInserts1']}× / ${t.ratios['sendsToInserts4']}× INSERT(1/4 conn); deliveries ${t.ratios['deliveriesToBroadcast']}× ws`, exact, `${c.loadAverage}`]);
  if (t.open) {
    const o = t.open;
    rows.push([`open ${t.traffic} ${t.transport} at ${o.targetRate}/s`, `${o.sendsPerSecond}`, `${o.deliveriesPerSecond}`, `${o.latencyMs.p50}`, `${o.latencyMs.p99}`, `${o.latencyMs.max}`, `${o.serverCpuCores} cores`, `${o.serverRssMB} MB`, '', exact, `${o.loadAverage}`]);
  }
}
for (const p of results.push ?? []) {
  for (const r of p.runs) {
    const f = r.push!;
    rows.push([
      `push ${f.mode} ${r.traffic} ${r.transport} (${r.users} users, ${r.senders}×${r.inFlight} in flight)`,
      `${r.closed.sendsPerSecond}`,
      `${r.closed.deliveriesPerSecond}`,
      `${r.closed.latencyMs.p50}`,
      `${r.closed.latencyMs.p99}`,
      `${r.closed.latencyMs.max}`,
      `${r.closed.serverCpuCores} cores`,
      `${r.closed.serverRssMB} MB`,
      f.mode === 'on'
        ? `provider ${f.providerSendsPerSecond} req/s (${f.providerErrors} × 500), backlog ${f.deliveriesPending}, sent ${f.deliveriesSent}`
        : 'no credentials: nothing pushed',
      r.verdict.exact ? 'yes' : inexact(r.verdict),
      `${r.closed.loadAverage}`,
    ]);
  }
  rows.push([
    `push ${p.traffic} ${p.transport}: median sends/s off vs on (PUSH_WORKER=${p.worker}; provider ${p.provider.delayMs} ms, 1 in ${Math.round(1 / p.provider.errorRate)} → 500)`,
    `${p.offSendsPerSecond} vs ${p.onSendsPerSecond}`,
    '', '', '', '', '', '',
    `on/off ${p.ratio} (${p.ratio >= 0.9 ? 'within' : 'NOT within'} 10%)`,
    '', '',
  ]);
}
if (results.ceilings) {
  const c = results.ceilings;
  rows.push(['ceiling: durable INSERTs, 1 / 4 connections', `${c.insertsPerSecond.connections1} / ${c.insertsPerSecond.connections4}`, '', '', '', '', '', '', '', '', `${c.insertsPerSecond.loadAverage}`]);
  for (const [sockets, b] of Object.entries(c.broadcast)) {
    rows.push([`ceiling: bare ws broadcast to ${sockets} sockets (${b.frameBytes} B)`, '', `${b.framesPerSecond}`, '', '', '', '', '', '', '', `${b.loadAverage}`]);
  }
}
if (results.idle) {
  const i = results.idle;
  rows.push([`idle: ${i.connections} subscribed graphql-ws connections`, '', '', '', '', '', '', `${i.rssBeforeMB} → ${i.rssAfterMB} MB`, `${(i.bytesPerSubscriber / 1024).toFixed(1)} KB per subscriber`, '', `${i.loadAverage}`]);
}
if (results.storm) {
  const s = results.storm;
  rows.push([`storm: ${s.clients} clients resubscribe after a restart (${s.sendRate} sends/s)`, '', '', '', '', '', '', '', `all READY in ${s.secondsUntilAllReady} s${s.retries ? ` (${s.retries} retried connections)` : ''}`,
    s.verdict.exact ? `yes (${s.verdict.delivered} deliveries)` : inexact(s.verdict), `${s.loadAverage}`]);
}
if (results.history) {
  const h = results.history;
  rows.push([`history: page of 50, ${h.messagesInTable} messages in the table`, '', '', `${h.latencyMs.p50}`, `${h.latencyMs.p99}`, `${h.latencyMs.max}`, `${h.serverCpuMsPerPage} ms per page`, '', '', '', `${h.loadAverage}`]);
}
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
const line = (r: string[]) => `| ${r.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
console.log(line(rows[0]!));
console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
for (const r of rows.slice(1)) console.log(line(r));
console.log(JSON.stringify(results));
if (values.json) writeFileSync(values.json, JSON.stringify(results, null, 2));

const anyInexact = results.traffic.some((t) => !t.verdict.exact) || (results.push ?? []).some((p) => p.runs.some((r) => !r.verdict.exact)) || (results.storm && !results.storm.verdict.exact);
process.exit(anyInexact ? 1 : 0);
