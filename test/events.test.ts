import { afterAll, describe, expect, it } from 'vitest';
import { createLocalEventBus, createRedisEventBus, StreamOverflowError, type EventBus } from '../src/realtime/pubsub.js';
import type { UserEvent } from '../src/realtime/events.js';
import { usingPostgres } from './helpers/database.js';
import { collect, TestServer } from './helpers/server.js';

const redisUrl = process.env['REDIS_URL'];

const revoked = (n: number): UserEvent => ({
  type: 'TOKEN_REVOKED',
  at: n,
  tokenIds: [n],
  deviceSns: [],
  reason: 'SIGNED_OUT',
});

describe('event bus', () => {
  it('delivers in order to every subscriber of a key, and nothing of other keys', async () => {
    const bus = createLocalEventBus();
    const a = await bus.subscribe('user', 'app:1');
    const b = await bus.subscribe('user', 'app:1');
    const other = await bus.subscribe('user', 'app:2');
    for (const n of [1, 2, 3]) bus.publish('user', 'app:1', revoked(n));
    bus.publish('user', 'app:2', revoked(99));
    for (const stream of [a, b]) {
      const seen = [(await stream.next()).value.at, (await stream.next()).value.at, (await stream.next()).value.at];
      expect(seen).toEqual([1, 2, 3]);
    }
    expect((await other.next()).value.at).toBe(99);
    a.close();
    expect(await a.next()).toEqual({ value: undefined, done: true });
  });

  it('ends a stream whose consumer falls behind, instead of buffering without bound', async () => {
    const bus = createLocalEventBus();
    const stream = await bus.subscribe('user', 'slow', { buffer: 3 });
    for (const n of [1, 2, 3, 4]) bus.publish('user', 'slow', revoked(n));
    await expect(stream.next()).rejects.toBeInstanceOf(StreamOverflowError);
    expect(await stream.next()).toEqual({ value: undefined, done: true });
    // Nothing more is queued for it.
    bus.publish('user', 'slow', revoked(5));
    expect(await stream.next()).toEqual({ value: undefined, done: true });
  });
});

describe.runIf(redisUrl)('event bus on Redis (REDIS_URL)', () => {
  const buses: EventBus[] = [];
  afterAll(() => Promise.all(buses.map((b) => b.close())));

  it('fans events out to subscribers on another process’s bus', async () => {
    const [a, b] = await Promise.all([createRedisEventBus(redisUrl!), createRedisEventBus(redisUrl!)]);
    buses.push(a, b);
    const key = `test:${Date.now()}:${Math.random()}`;
    const onB = await b.subscribe('user', key);
    const onA = await a.subscribe('user', key);
    a.publish('user', key, revoked(1));
    b.publish('user', key, revoked(2));
    expect([(await onB.next()).value.at, (await onB.next()).value.at]).toEqual([1, 2]);
    expect([(await onA.next()).value.at, (await onA.next()).value.at]).toEqual([1, 2]);
  });

  it('keeps deployments with different channel prefixes apart on one Redis', async () => {
    const tag = `${Date.now()}-${Math.random()}`;
    const [one, sameDeployment, other] = await Promise.all([
      createRedisEventBus(redisUrl!, `one-${tag}:`),
      createRedisEventBus(redisUrl!, `one-${tag}:`),
      createRedisEventBus(redisUrl!, `two-${tag}:`),
    ]);
    buses.push(one, sameDeployment, other);
    const onSame = await sameDeployment.subscribe('user', 'u1');
    const onOther = await other.subscribe('user', 'u1');
    one.publish('user', 'u1', revoked(1));
    other.publish('user', 'u1', revoked(2));
    // Each hears its own deployment only: the other's event never comes first.
    expect((await onSame.next()).value.at).toBe(1);
    expect((await onOther.next()).value.at).toBe(2);
  });
});

describe.runIf(redisUrl && usingPostgres)('two servers behind a load balancer (REDIS_URL and DATABASE_URL)', () => {
  it('closes a connection on one server when its token is revoked through the other', async () => {
    const one = await TestServer.start({ env: { REDIS_URL: redisUrl! } });
    const two = await TestServer.start({ database: one.database, env: { REDIS_URL: redisUrl! } });
    try {
      const user = await one.user('roamer', { deviceGuid: 'phone' });
      const ws = two.ws({ token: user.token });
      const events = collect(ws.client, `subscription { events { __typename ... on TokenRevokedEvent { thisConnection } } }`);
      expect((await events.next()).events.__typename).toBe('StreamReadyEvent');
      // Server two has just checked the token (and keeps its viewer for a few seconds)...
      const VIEWER = `{ viewer { username } }`;
      expect((await two.gql(VIEWER, {}, { token: user.token })).data.viewer.username).toBe('roamer');
      await one.gql(`mutation { signOut { __typename } }`, {}, { token: user.token });
      expect((await events.next()).events).toEqual({ __typename: 'TokenRevokedEvent', thisConnection: true });
      expect(await ws.closed).toEqual({ code: 4403, reason: 'Forbidden: SIGNED_OUT' });
      // ...and hears of the revocation through Redis, well before its cached viewer would expire.
      await expect
        .poll(async () => (await two.gql(VIEWER, {}, { token: user.token })).errors?.[0]?.extensions?.code, { timeout: 1000 })
        .toBe('TOKEN_REVOKED');
    } finally {
      await two.close();
      await one.close();
    }
  });
});
