import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, usingPostgres, type TestDatabase } from './helpers/database.js';
import { PASSWORD } from './helpers/server.js';

const redisUrl = process.env['REDIS_URL'];
const APP = 'clusterapp';
const SECRET = 'cluster-secret-0123456789';

/** The server as an operator runs it: `WORKERS=2 npm start`, its own processes. */
describe.runIf(usingPostgres && redisUrl)('WORKERS=2 (DATABASE_URL and REDIS_URL)', () => {
  let database: TestDatabase;
  let primary: ChildProcess;
  let url: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    primary = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: {
        PATH: process.env['PATH']!,
        ...database.env,
        REDIS_URL: redisUrl!,
        // What is under test is the workers; push worker processes (one per worker) would only slow their start.
        PUSH_WORKER: 'inline',
        // Its own namespace on the shared Redis: other tests' servers may be running meanwhile.
        REDIS_CHANNEL_PREFIX: `cluster-${process.pid}:`,
        WORKERS: '2',
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        NODE_ENV: 'test',
        IM_BOOTSTRAP_APP_ID: APP,
        IM_BOOTSTRAP_APP_SECRET: SECRET,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    // Each worker says it is ready once it listens.
    url = await new Promise<string>((resolve, reject) => {
      let out = '';
      primary.stdout!.on('data', (chunk) => {
        out += chunk;
        const ready = [...out.matchAll(/ready at (\S+)\/graphql/g)];
        if (ready.length === 2) resolve(ready[0]![1]!);
      });
      primary.once('exit', (code) => reject(new Error(`the cluster exited with ${code}`)));
    });
  });

  afterAll(async () => {
    if (primary.exitCode === null) {
      const exited = new Promise((resolve) => primary.once('exit', resolve));
      primary.kill('SIGTERM');
      await exited;
    }
    await database?.drop();
  });

  const gql = async (query: string, variables: Record<string, unknown>, token?: string) => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as { data: any };
  };

  async function user(username: string) {
    await gql(`mutation($a: ID!, $u: String!, $p: String!) { registerUser(appId: $a, input: { username: $u, password: $p }) { __typename } }`, {
      a: APP,
      u: username,
      p: PASSWORD,
    });
    const login = await gql(
      `mutation($a: ID!, $u: String!, $p: String!) { createAccessToken(appId: $a, input: { username: $u, password: $p }) { ... on CreateAccessTokenPayload { accessToken { token userId } } } }`,
      { a: APP, u: username, p: PASSWORD },
    );
    const { accessToken } = login.data.createAccessToken;
    return { id: accessToken.userId as string, token: accessToken.token as string };
  }

  /** A graphql-ws connection on the given worker (connections go to the workers in turn). */
  async function connect(token: string, worker?: string) {
    for (;;) {
      const socket = new WebSocket(`${url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
      const opened = new Promise((resolve) => socket.once('open', resolve));
      const served = await new Promise<string>((resolve, reject) => {
        socket.once('upgrade', (res) => resolve(String(res.headers['x-worker'])));
        socket.once('error', reject);
      });
      if (worker !== undefined && served !== worker) {
        socket.close();
        continue;
      }
      const frames: any[] = [];
      const waiters: (() => void)[] = [];
      socket.on('message', (data) => {
        frames.push(JSON.parse(String(data)));
        waiters.splice(0).forEach((wake) => wake());
      });
      const take = async (match: (f: any) => boolean) => {
        for (;;) {
          const i = frames.findIndex(match);
          if (i >= 0) return frames.splice(i, 1)[0];
          await new Promise<void>((resolve) => waiters.push(resolve));
        }
      };
      await opened;
      socket.send(JSON.stringify({ type: 'connection_init', payload: { token } }));
      await take((f) => f.type === 'connection_ack');
      let ids = 0;
      return {
        worker: served,
        /** Starts an operation; answers a function that takes its next frame. */
        start(query: string, variables: Record<string, unknown> = {}) {
          const id = String(++ids);
          socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query, variables } }));
          return () => take((f) => f.id === id);
        },
        close: () => socket.close(),
      };
    }
  }

  const EVENTS = `subscription($since: String) { events(since: $since) { __typename cursor ... on MessageEvent { message { content seq } } } }`;
  const SEND = `mutation($to: ID!, $c: String!) { sendMessage(input: { toKind: USER, targets: [$to], contentType: TEXT, content: $c }) { __typename } }`;

  it('delivers a message sent through one worker to a subscriber on the other, and resumes across them', async () => {
    const [a, b] = [await user('ann'), await user('bob')];
    const onB = await connect(b.token);
    const other = onB.worker === '1' ? '2' : '1';
    const fromA = await connect(a.token, other);
    expect(new Set([onB.worker, fromA.worker])).toEqual(new Set(['1', '2']));

    const events = onB.start(EVENTS);
    expect((await events()).payload.data.events.__typename).toBe('StreamReadyEvent');
    const sent = fromA.start(SEND, { to: b.id, c: 'across workers' });
    expect((await sent()).payload.data.sendMessage.__typename).toBe('SendMessagePayload');
    const received = (await events()).payload.data.events;
    expect(received.message).toEqual({ content: 'across workers', seq: 1 });
    onB.close();

    for (const content of ['while away 1', 'while away 2']) {
      const next = fromA.start(SEND, { to: b.id, c: content });
      expect((await next()).payload.data.sendMessage.__typename).toBe('SendMessagePayload');
    }
    // Back on the other worker, from the cursor the first worker gave.
    const again = await connect(b.token, other);
    const resumed = again.start(EVENTS, { since: received.cursor });
    const replayed = [(await resumed()).payload.data.events, (await resumed()).payload.data.events, (await resumed()).payload.data.events];
    expect(replayed.map((e) => e.message?.content ?? e.__typename)).toEqual(['while away 1', 'while away 2', 'StreamReadyEvent']);
    again.close();
    fromA.close();
  });

  it('stops every worker, then itself, on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => primary.once('exit', resolve));
    primary.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
