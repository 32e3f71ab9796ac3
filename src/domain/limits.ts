import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config } from '../config.js';
import { RateLimitedError } from './errors.js';

/**
 * Counts failures per key (a login name, an app's secret) and locks the key out once there were
 * too many in the window, so passwords cannot be guessed at speed. Shared through Redis when the
 * servers share one, so a guesser gains nothing from the load balancer.
 */
export interface FailureLimiter {
  /** Throws a RateLimitedError while the key is locked out. */
  check(key: string): Promise<void>;
  fail(key: string): Promise<void>;
  reset(key: string): Promise<void>;
  close(): Promise<void>;
}

export async function createFailureLimiter(config: Config): Promise<FailureLimiter> {
  const options = { keyPrefix: 'im:login-failures', points: config.loginMaxFailures, duration: config.loginLockoutSeconds };
  let limiter: RateLimiterAbstract;
  let close = async () => {};
  if (config.redisUrl) {
    const { Redis } = await import('ioredis');
    const client = new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 3 });
    await client.connect();
    limiter = new RateLimiterRedis({ ...options, storeClient: client });
    close = async () => void (await client.quit().catch(() => {}));
  } else {
    limiter = new RateLimiterMemory(options);
  }
  return {
    check: async (key) => {
      const state = await limiter.get(key);
      if (state && state.consumedPoints >= config.loginMaxFailures) {
        throw new RateLimitedError(Math.max(1, Math.ceil(state.msBeforeNext / 1000)));
      }
    },
    fail: async (key) => void (await limiter.penalty(key, 1)),
    reset: async (key) => void (await limiter.delete(key)),
    close,
  };
}
