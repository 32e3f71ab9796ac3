import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

describe('configuration', () => {
  it('has defaults that run on a bare machine', () => {
    expect(loadConfig({})).toMatchObject({
      port: 4000,
      dataDir: './data',
      databaseUrl: undefined,
      redisUrl: undefined,
      logLevel: 'info',
      bootstrapApp: undefined,
      groups: { capacity: 2000, ownedLimit: 100, joinedLimit: 1000, adminLimit: 20, requestTtlSeconds: 604_800, qrTtlSeconds: 604_800 },
    });
  });

  it.each([
    [{ PORT: '70000' }, 'PORT'],
    [{ PORT: 'http' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ REDIS_URL: 'nope' }, 'REDIS_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ TOKEN_TTL_SECONDS: '0' }, 'TOKEN_TTL_SECONDS'],
    [{ IM_BOOTSTRAP_APP_ID: 'only-the-id' }, 'IM_BOOTSTRAP_APP_SECRET'],
    [{ GROUP_CAPACITY: '1' }, 'GROUP_CAPACITY'],
    [{ GROUP_ADMIN_LIMIT: 'many' }, 'GROUP_ADMIN_LIMIT'],
    [{ GROUP_QR_TTL_SECONDS: '0' }, 'GROUP_QR_TTL_SECONDS'],
    [{ MESSAGE_BATCH_SIZE: '0' }, 'MESSAGE_BATCH_SIZE'],
    [{ STREAM_BUFFER: 'big' }, 'STREAM_BUFFER'],
    [{ WORKERS: '0' }, 'WORKERS'],
    [{ MAX_LIVE_CONNECTIONS_PER_USER: '0' }, 'MAX_LIVE_CONNECTIONS_PER_USER'],
    [{ BODY_TIMEOUT_SECONDS: 'slow' }, 'BODY_TIMEOUT_SECONDS'],
    [{ CORS_ORIGINS: 'evil.example' }, 'CORS_ORIGINS.0'],
    // Several workers share PostgreSQL and Redis: not the embedded database, nor each its own bus.
    [{ WORKERS: '2', REDIS_URL: 'redis://cache:6379' }, 'WORKERS'],
    [{ WORKERS: '2', DATABASE_URL: 'postgres://u@db:5432/im' }, 'WORKERS'],
    // The push worker's own process shares the database and hears nothing but through Redis.
    [{ PUSH_WORKER: 'process' }, 'PUSH_WORKER'],
    [{ PUSH_WORKER: 'process', DATABASE_URL: 'postgres://u@db:5432/im' }, 'PUSH_WORKER'],
    [{ PUSH_WORKER: 'elsewhere' }, 'PUSH_WORKER'],
    [{ PUSH_WORKER_NICE: '20' }, 'PUSH_WORKER_NICE'],
    [{ REDIS_CHANNEL_PREFIX: 'a b' }, 'REDIS_CHANNEL_PREFIX'],
  ])('refuses %j naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(new RegExp(`^Invalid configuration: ${variable}:`));
  });

  it('bounds live connections and slow clients by default, and allows no other origin', () => {
    expect(loadConfig({})).toMatchObject({
      live: { maxConnections: 50_000, maxConnectionsPerUser: 32, maxSubscriptionsPerConnection: 100 },
      timeouts: { headersSeconds: 10, bodySeconds: 30 },
      corsOrigins: [],
    });
    expect(loadConfig({ CORS_ORIGINS: 'https://app.example.com/, http://localhost:5173 ,*' }).corsOrigins).toEqual([
      'https://app.example.com',
      'http://localhost:5173',
      '*',
    ]);
  });

  it('reads the bootstrap app and the external services', () => {
    const config = loadConfig({
      IM_BOOTSTRAP_APP_ID: 'myapp',
      IM_BOOTSTRAP_APP_SECRET: 'a-long-enough-secret',
      DATABASE_URL: 'postgres://u@db:5432/im',
      REDIS_URL: 'redis://cache:6379',
    });
    expect(config.bootstrapApp).toEqual({ appId: 'myapp', appSecret: 'a-long-enough-secret' });
    expect(config.databaseUrl).toBe('postgres://u@db:5432/im');
    expect(config.redisUrl).toBe('redis://cache:6379');
  });

  it('runs the push worker in the server unless told to run it in its own process', () => {
    const both = { DATABASE_URL: 'postgres://u@db:5432/im', REDIS_URL: 'redis://cache:6379' };
    expect(loadConfig({}).push).toMatchObject({ worker: 'inline', workerNice: 10 });
    expect(loadConfig(both).push.worker).toBe('inline');
    expect(loadConfig({ ...both, PUSH_WORKER: 'process', PUSH_WORKER_NICE: '15' }).push).toMatchObject({ worker: 'process', workerNice: 15 });
    // The boolean of earlier versions still reads.
    expect(loadConfig({ ...both, PUSH_WORKER: 'false' }).push.worker).toBe('off');
    expect(loadConfig({ PUSH_WORKER: 'true' }).push.worker).toBe('inline');
  });
});
