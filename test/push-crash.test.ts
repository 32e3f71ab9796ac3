import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/client.js';
import { createTestDatabase, usingPostgres, type TestDatabase } from './helpers/database.js';
import { apnsKey, fakeApns } from './helpers/push.js';
import { PASSWORD } from './helpers/server.js';

const APP = 'crashapp';
const SECRET = 'crash-secret-0123456789';

let database: TestDatabase;
let apns: Awaited<ReturnType<typeof fakeApns>>;
const processes: ChildProcess[] = [];

beforeAll(async () => {
  [database, apns] = await Promise.all([createTestDatabase(), fakeApns()]);
});

afterAll(async () => {
  await Promise.all(processes.filter((p) => p.exitCode === null && p.signalCode === null).map(stop));
  await apns?.close();
  await database?.drop();
});

/** The server as an operator runs it, in its own process; resolves with its URL once it listens. */
async function start(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: {
      PATH: process.env['PATH']!,
      ...database.env,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: process.env['CRASH_LOG'] ?? 'warn',
      NODE_ENV: 'test',
      IM_BOOTSTRAP_APP_ID: APP,
      IM_BOOTSTRAP_APP_SECRET: SECRET,
      PUSH_APNS_URL: apns.url,
      PUSH_CA_FILE: apns.caFile,
      PUSH_POLL_MS: '50',
      // Longer than a restart takes here, so the new process finds the dead one's claims expired.
      PUSH_LEASE_SECONDS: '20',
      PUSH_TIMEOUT_MS: '5000',
      PUSH_RETRY_BASE_MS: '100',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  processes.push(child);
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const ready = /ready at (\S+)\/graphql/.exec(out);
      if (ready) resolve(ready[1]!);
      if (process.env['CRASH_LOG']) process.stderr.write(chunk);
    });
    child.once('exit', (code) => reject(new Error(`the server exited with ${code}`)));
  });
  return { child, url };
}

function stop(child: ChildProcess) {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  return exited;
}

async function gql(url: string, query: string, variables: Record<string, unknown> = {}, token?: string) {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data: any; errors?: unknown[] };
}

async function user(url: string, username: string) {
  await gql(url, `mutation($a: ID!, $u: String!, $p: String!) { registerUser(appId: $a, input: { username: $u, password: $p }) { __typename } }`, {
    a: APP,
    u: username,
    p: PASSWORD,
  });
  const login = await gql(
    url,
    `mutation($a: ID!, $u: String!, $p: String!) { createAccessToken(appId: $a, input: { username: $u, password: $p, deviceGuid: "phone" }) { ... on CreateAccessTokenPayload { accessToken { token userId } } } }`,
    { a: APP, u: username, p: PASSWORD },
  );
  const { token, userId } = login.data.createAccessToken.accessToken;
  await gql(url, `mutation($t: String!) { bindPushToken(deviceSn: 1, deviceToken: $t, notifierName: "apns") { __typename } }`, { t: `tok-${username}` }, token);
  return { id: userId as string, token: token as string, pushToken: `tok-${username}` };
}

async function setUp(url: string) {
  const adminRes = await gql(url, `mutation { createAdminToken(appId: "${APP}", appSecret: "${SECRET}") { ... on CreateAdminTokenPayload { adminToken { token } } } }`);
  const admin = adminRes.data.createAdminToken.adminToken.token as string;
  const set = await gql(
    url,
    `mutation($input: SetPushCredentialInput!) { setPushCredential(input: $input) { __typename } }`,
    { input: { provider: 'APNS', providerAppId: 'com.example.chat', appKey: 'KEY1234567', appSecret: 'TEAM123456', certificate: apnsKey().p8 } },
    admin,
  );
  expect(set.data.setPushCredential.__typename).toBe('SetPushCredentialPayload');
}

const sendAll = (url: string, from: { token: string }, to: { id: string }, texts: string[]) =>
  Promise.all(
    texts.map(async (content) => {
      const res = await gql(
        url,
        `mutation($input: SendMessageInput!) { sendMessage(input: $input) { __typename ... on Error { code } } }`,
        { input: { toKind: 'USER', targets: [to.id], contentType: 'TEXT', content } },
        from.token,
      );
      expect(res.data.sendMessage.__typename).not.toMatch(/Error/);
    }),
  );

/**
 * Rows of a query on the servers' database, opened from here: PGlite only once the server that
 * owns its files has stopped; PostgreSQL any time.
 */
async function rows(query: string): Promise<any[]> {
  const handle = await openDatabase({ databaseUrl: database.env.DATABASE_URL, dataDir: database.env.DATA_DIR! });
  try {
    const result = (await handle.db.execute(sql.raw(query))) as any;
    return Array.isArray(result) ? result : result.rows;
  } finally {
    await handle.close();
  }
}

/** Each delivery to a token: its message's text is told by the fake's log; here, its state and attempts. */
const deliveriesTo = (token: string) =>
  rows(`select message_id, status, attempts from push_deliveries where token = '${token}' order by message_id`).then((all) =>
    all.map((r) => ({ messageId: String(r.message_id), status: Number(r.status), attempts: Number(r.attempts) })),
  );

/** How often APNs acknowledged (answered 200 to) each notification text sent to `token`. */
function acknowledged(token: string, answered: Map<string, number>) {
  return [...answered.entries()].filter(([key]) => key.startsWith(`${token}\0`)).map(([key, count]) => [key.split('\0')[1], count] as const);
}

describe('a server killed mid-delivery', () => {
  it('loses no notification, and after restart each is acknowledged once', { timeout: 240_000 }, async () => {
    const first = await start();
    await setUp(first.url);
    const [alice, bob] = [await user(first.url, 'alice'), await user(first.url, 'bob')];
    // APNs takes the requests but does not answer: the deliveries are in flight when the server dies.
    apns.answer(() => 'hang');
    const texts = Array.from({ length: 20 }, (_, i) => `note ${i + 1}`);
    await sendAll(first.url, alice, bob, texts);
    // Every notification has reached APNs, none has been acknowledged: kill -9 now.
    await apns.inbox.until((all) => all.length >= texts.length);
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    const inFlight = apns.inbox.all.length;
    expect(inFlight).toBeGreaterThanOrEqual(texts.length);

    const answered = new Map<string, number>();
    apns.answer((r) => {
      const key = `${r.path.split('/').pop()}\0${r.json.aps.alert.body}`;
      answered.set(key, (answered.get(key) ?? 0) + 1);
      return { status: 200 };
    });
    const second = await start();
    // Claims of the dead process run out (PUSH_LEASE_SECONDS), then the new one delivers them.
    await apns.inbox.until(() => acknowledged(bob.pushToken, answered).length === texts.length);
    await gql(second.url, `{ __typename }`);
    expect(acknowledged(bob.pushToken, answered).map(([text]) => text).sort()).toEqual([...texts].sort());
    expect(acknowledged(bob.pushToken, answered).every(([, count]) => count === 1)).toBe(true);
    await stop(second.child);

    // One delivery per message and device, each sent, taken at least twice (by the dead process,
    // then the new one; on a slow machine a hanging send can time out and be taken again before the
    // kill) and recorded sent: nothing is left that could be sent again.
    const delivered = await deliveriesTo(bob.pushToken);
    expect(delivered).toHaveLength(texts.length);
    expect(new Set(delivered.map((d) => d.messageId)).size).toBe(texts.length);
    expect(delivered.every((d) => d.status === 1 && d.attempts >= 2)).toBe(true);
    expect(await rows(`select id from push_outbox`)).toEqual([]);
    // Had APNs taken a request before the kill, its resend would replace it on the phone, not add
    // to it: both carry the message's collapse id.
    const toBob = apns.inbox.all.filter((r) => r.path.endsWith(bob.pushToken));
    for (const text of texts) {
      const sends = toBob.filter((r) => r.json.aps.alert.body === text);
      expect(sends.length, text).toBeGreaterThanOrEqual(2);
      expect(new Set(sends.map((r) => r.headers['apns-collapse-id'])).size, text).toBe(1);
    }
  });
});

describe.runIf(usingPostgres)('several processes draining one outbox', () => {
  it('deliver every notification once between them', { timeout: 240_000 }, async () => {
    const [one, two] = [await start(), await start()];
    const [carol, dave] = [await user(one.url, 'carol'), await user(two.url, 'dave')];
    const answered = new Map<string, number>();
    apns.answer((r) => {
      const key = `${r.path.split('/').pop()}\0${r.json.aps.alert.body}`;
      answered.set(key, (answered.get(key) ?? 0) + 1);
      return { status: 200 };
    });
    const texts = Array.from({ length: 30 }, (_, i) => `shared ${i + 1}`);
    await Promise.all([sendAll(one.url, carol, dave, texts.slice(0, 15)), sendAll(two.url, carol, dave, texts.slice(15))]);
    await apns.inbox.until(() => acknowledged(dave.pushToken, answered).length === texts.length);
    // Stopped gracefully, each records what APNs answered it before it exits.
    await Promise.all([stop(one.child), stop(two.child)]);
    expect(acknowledged(dave.pushToken, answered).every(([, count]) => count === 1)).toBe(true);
    // One delivery per message and device, claimed once (attempts counts claims) by one of the two
    // processes, and recorded sent: only pending ones are ever claimed, so none can go out again.
    const delivered = await deliveriesTo(dave.pushToken);
    expect(delivered).toHaveLength(texts.length);
    expect(new Set(delivered.map((d) => d.messageId)).size).toBe(texts.length);
    expect(delivered.every((d) => d.status === 1 && d.attempts === 1)).toBe(true);
    expect(apns.inbox.all.filter((r) => r.path.endsWith(dave.pushToken))).toHaveLength(texts.length);
  });
});
