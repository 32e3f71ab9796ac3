import { existsSync, readFileSync } from 'node:fs';
import { fork, type ChildProcess } from 'node:child_process';
import { getPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { usingPostgres } from './helpers/database.js';
import { fakeFcm, serviceAccount } from './helpers/push.js';
import { collect, TestServer, type TestUser } from './helpers/server.js';

const redisUrl = process.env['REDIS_URL'];

// PUSH_WORKER=process (with DATABASE_URL and REDIS_URL): the worker in a child
// process at nice 10 (PUSH_WORKER_NICE) once started, woken over IPC, publishing in-app notifications through Redis.
describe.runIf(usingPostgres && redisUrl)('the push worker in its own process (DATABASE_URL and REDIS_URL)', () => {
  let server: TestServer;
  let fcm: Awaited<ReturnType<typeof fakeFcm>>;
  let n = 0;

  beforeAll(async () => {
    fcm = await fakeFcm();
    server = await TestServer.start({ env: { REDIS_URL: redisUrl!, PUSH_WORKER: 'process', PUSH_FCM_URL: fcm.url, PUSH_POLL_MS: '50', PUSH_RETRY_BASE_MS: '20' } });
    const admin = await server.adminToken();
    const set = await server.gql(
      `mutation($input: SetPushCredentialInput!) { setPushCredential(input: $input) { __typename } }`,
      { input: { provider: 'FCM', certificate: serviceAccount(fcm.tokenUrl).json } },
      { token: admin },
    );
    expect(set.data.setPushCredential.__typename).toBe('SetPushCredentialPayload');
  });

  afterAll(async () => {
    await server?.close();
    await fcm?.close();
  });

  async function phone(): Promise<TestUser & { pushToken: string }> {
    const name = `pp${++n}`;
    const user = await server.user(name, { deviceGuid: `guid-${name}` });
    const pushToken = `fcm-token-${name}`;
    const bound = await server.gql(`mutation($t: String!) { bindPushToken(deviceSn: 1, deviceToken: $t, notifierName: "fcm") { __typename } }`, { t: pushToken }, { token: user.token });
    expect(bound.data.bindPushToken.__typename).not.toMatch(/Error/);
    return { ...user, pushToken };
  }

  async function send(from: TestUser, to: TestUser, content: string) {
    const res = await server.gql(
      `mutation($input: SendMessageInput!) { sendMessage(input: $input) { __typename } }`,
      { input: { toKind: 'USER', targets: [to.id], contentType: 'TEXT', content } },
      { token: from.token },
    );
    expect(res.data.sendMessage.__typename).toBe('SendMessagePayload');
  }

  const pushedTo = (token: string, body: string) => fcm.inbox.until((all) => all.some((r) => r.json?.message?.token === token && r.json.message.notification?.body === body));

  it('runs at a lower priority and pushes messages to offline devices', async () => {
    const pid = server.running.pushWorkerPid();
    expect(pid).toBeGreaterThan(0);
    expect(pid).not.toBe(process.pid);
    expect(getPriority(pid)).toBe(10);
    // On Linux with autogroups, its own scheduling group weighs as little against everything else.
    if (existsSync(`/proc/${pid}/autogroup`)) {
      expect(readFileSync(`/proc/${pid}/autogroup`, 'utf8')).toMatch(/ nice 10$/m);
      expect(readFileSync(`/proc/${pid}/autogroup`, 'utf8')).not.toBe(readFileSync(`/proc/${process.pid}/autogroup`, 'utf8'));
    }
    const [alice, bob] = [await phone(), await phone()];
    await send(alice, bob, 'from the worker process');
    await pushedTo(bob.pushToken, 'from the worker process');
    const sent = fcm.inbox.all.filter((r) => r.json?.message?.token === bob.pushToken);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.json.message.data).toMatchObject({ type: 'message', from: alice.id });
  });

  it('delivers in-app notifications to a subscriber of the server process through Redis', async () => {
    const carol = await phone();
    const socket = server.ws({ token: carol.token });
    await socket.connected;
    const events = collect(socket.client, `subscription { events { __typename ... on PushNotificationReceivedEvent { title body } } }`);
    expect((await events.next()).events.__typename).toBe('StreamReadyEvent');
    const res = await server.rest('POST', '/push/notify', {
      token: await server.restAdminToken(),
      json: { audience: { user_id: [Number(carol.id)] }, message: { type: 'text', title: 'Hi', body: 'in app' }, setting: { distribution_strategy: 'mxpush_only' } },
    });
    expect(res.body).toMatchObject({ code: 200, data: { task_id: expect.any(Number) } });
    expect((await events.next()).events).toEqual({ __typename: 'PushNotificationReceivedEvent', title: 'Hi', body: 'in app' });
    events.dispose();
    await socket.client.dispose();
  });

  it('is started again after it dies, and what was written meanwhile is still pushed', async () => {
    const dead = server.running.pushWorkerPid()!;
    const [alice, bob] = [await phone(), await phone()];
    process.kill(dead, 'SIGKILL');
    // Written while no worker runs (or just before it died): the next one finds it in the outbox.
    await send(alice, bob, 'while it was down');
    await pushedTo(bob.pushToken, 'while it was down');
    const next = server.running.pushWorkerPid()!;
    expect(next).not.toBe(dead);
    expect(getPriority(next)).toBe(10);
    expect(fcm.inbox.all.filter((r) => r.json?.message?.token === bob.pushToken)).toHaveLength(1);
  });

  it('exits when its server is gone, before or while it starts (no orphan left waiting)', async () => {
    // What a worker sees when its server dies: the IPC channel closes.
    const worker = (onHello: (child: ChildProcess) => void) =>
      new Promise<number | null>((resolve) => {
        const child = fork(fileURLToPath(new URL('../src/push-worker.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: 'ignore' });
        child.on('message', (m: { type?: string }) => m.type === 'hello' && onHello(child));
        child.once('exit', (code) => resolve(code));
      });
    expect(await worker((child) => child.disconnect())).toBe(0);
    const config = loadConfig({ ...server.database.env, REDIS_URL: redisUrl!, LOG_LEVEL: 'silent' });
    expect(await worker((child) => (child.send({ type: 'start', config }), child.disconnect()))).toBe(0);
  });

  it('stops with the server', async () => {
    const pid = server.running.pushWorkerPid()!;
    await server.close();
    expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
  });
});
