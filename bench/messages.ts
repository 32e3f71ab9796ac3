/**
 * Message throughput and latency: N users online on graphql-ws, 1:1 and group traffic at a set
 * rate (a share of the sends goes to the sender's group, the rest to a partner).
 * Prints sends/s, deliveries/s and p50/p99 send-to-receipt latency. The server runs as its own
 * process (src/main.ts) on embedded PGlite, or on PostgreSQL when DATABASE_URL is set (a fresh
 * database is created beside the one named, and dropped after).
 *
 *   npm run bench -- [--users 50] [--rate 200] [--seconds 10] [--group-size 10] [--group-share 0.5]
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createClient } from 'graphql-ws';
import postgres from 'postgres';
import WebSocket from 'ws';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '50' },
    rate: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '10' },
    'group-size': { type: 'string', default: '10' },
    'group-share': { type: 'string', default: '0.5' },
  },
});
const GROUP_SIZE = Number(values['group-size']);
const GROUP_SHARE = Number(values['group-share']);
const USERS = Number(values.users);
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const APP = 'benchapp';
const SECRET = 'bench-secret-0123456789';
const root = fileURLToPath(new URL('..', import.meta.url));

async function database(): Promise<{ label: string; env: Record<string, string>; drop: () => Promise<void> }> {
  const url = process.env['DATABASE_URL'];
  if (!url) {
    const dir = await mkdtemp(join(tmpdir(), 'im-bench-'));
    return { label: 'PGlite', env: { DATA_DIR: dir }, drop: () => rm(dir, { recursive: true, force: true }) };
  }
  const name = `im_bench_${randomBytes(4).toString('hex')}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const target = new URL(url);
  target.pathname = `/${name}`;
  return {
    label: 'PostgreSQL',
    env: { DATABASE_URL: target.toString() },
    drop: async () => {
      const sql = postgres(url, { max: 1, onnotice: () => {} });
      await sql.unsafe(`drop database if exists ${name} with (force)`);
      await sql.end();
    },
  };
}

function startServer(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: { PATH: process.env['PATH']!, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', NODE_ENV: 'production', IM_BOOTSTRAP_APP_ID: APP, IM_BOOTSTRAP_APP_SECRET: SECRET, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /ready at (\S+)\/graphql/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { child, url };
}

async function gql(url: string, query: string, variables: Record<string, unknown>, token?: string) {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data: any; errors?: unknown[] };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function main() {
  const db = await database();
  const server = startServer(db.env);
  try {
    const url = await server.url;
    const admin = (await gql(url, `mutation { createAdminToken(appId: "${APP}", appSecret: "${SECRET}") { ... on CreateAdminTokenPayload { adminToken { token } } } }`, {})).data
      .createAdminToken.adminToken.token as string;
    const names = Array.from({ length: USERS }, (_, i) => ({ username: `bench${i}`, password: 'bench-password' }));
    await gql(url, `mutation($i: [RegisterUserInput!]!) { registerUsers(input: $i) { __typename } }`, { i: names }, admin);
    const users: { id: string; token: string }[] = [];
    for (const { username, password } of names) {
      const login = await gql(
        url,
        `mutation($u: String!, $p: String!) { createAccessToken(appId: "${APP}", input: { username: $u, password: $p }) { ... on CreateAccessTokenPayload { accessToken { token userId } } } }`,
        { u: username, p: password },
      );
      users.push({ id: login.data.createAccessToken.accessToken.userId, token: login.data.createAccessToken.accessToken.token });
    }

    // Groups of consecutive users; each user sends group traffic to its own group.
    const groupOf: string[] = [];
    for (let start = 0; start + 1 < USERS; start += GROUP_SIZE) {
      const members = users.slice(start, start + GROUP_SIZE);
      const created = await gql(
        url,
        `mutation($input: CreateGroupInput!) { createGroup(input: $input) { ... on CreatedGroup { group { id } } } }`,
        { input: { name: `bench ${start}`, memberIds: members.slice(1).map((m) => m.id) } },
        members[0]!.token,
      );
      for (let i = 0; i < members.length; i++) groupOf[start + i] = created.data.createGroup.group.id;
    }

    const latencies: number[] = [];
    let deliveries = 0;
    const clients = await Promise.all(
      users.map(
        (user) =>
          new Promise<ReturnType<typeof createClient>>((resolve) => {
            const client = createClient({ url: `${url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { token: user.token }, retryAttempts: 0 });
            client.subscribe<any>(
              { query: `subscription { events { __typename ... on MessageEvent { message { content from { id } } } } }` },
              {
                next: ({ data }) => {
                  const event = data?.events;
                  if (event?.__typename === 'StreamReadyEvent') resolve(client);
                  if (event?.__typename === 'MessageEvent' && event.message.from?.id !== user.id) {
                    deliveries++;
                    latencies.push(Date.now() - Number(event.message.content));
                  }
                },
                error: () => {},
                complete: () => {},
              },
            );
          }),
      ),
    );

    const SEND = `mutation($kind: TargetKind!, $to: ID!, $c: String!) { sendMessage(input: { toKind: $kind, targets: [$to], contentType: TEXT, content: $c }) { __typename } }`;
    let groupSends = 0;
    let sent = 0;
    let failed = 0;
    const inFlight = new Set<Promise<void>>();
    const started = Date.now();
    const total = RATE * SECONDS;
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / RATE;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait)); // pacing the load, not synchronising
      const from = users[i % USERS]!;
      const toGroup = groupOf[i % USERS] !== undefined && Math.random() < GROUP_SHARE;
      if (toGroup) groupSends++;
      const variables = toGroup
        ? { kind: 'GROUP', to: groupOf[i % USERS], c: String(Date.now()) }
        : { kind: 'USER', to: (users[(i % USERS) ^ 1] ?? users[0]!).id, c: String(Date.now()) };
      const p = gql(url, SEND, variables, from.token).then(
        (r) => void (r.data?.sendMessage?.__typename === 'SendMessagePayload' ? sent++ : failed++),
        () => void failed++,
      );
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    }
    await Promise.all(inFlight);
    const sendSeconds = (Date.now() - started) / 1000;
    const drainUntil = Date.now() + 5000;
    const expected = sent - groupSends + groupSends * (Math.min(GROUP_SIZE, USERS) - 1);
    while (deliveries < expected && Date.now() < drainUntil) await new Promise((r) => setTimeout(r, 50));
    const elapsed = (Date.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    console.log(
      JSON.stringify({
        database: db.label,
        users: USERS,
        targetRate: RATE,
        seconds: SECONDS,
        groupSize: GROUP_SIZE,
        sent,
        groupSends,
        failed,
        delivered: deliveries,
        expectedDeliveries: expected,
        sendsPerSecond: Math.round(sent / sendSeconds),
        deliveriesPerSecond: Math.round(deliveries / elapsed),
        latencyMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies.at(-1) },
      }),
    );
    await Promise.all(clients.map((c) => c.dispose()));
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((r) => server.child.once('exit', r));
    await db.drop();
  }
}

await main();
