import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Budget, Config, RateLimitSettings } from '../config.js';
import { RateLimitedError } from './errors.js';

/**
 * Every budget of the server, counted by rate-limiter-flexible: in Redis when REDIS_URL is set (so
 * every server process spends from the same budgets), in this process's memory otherwise. While
 * Redis is unreachable each process counts in its own memory instead, so a Redis outage neither
 * refuses every request nor lifts the limits.
 */
export interface Limits {
  failures: FailureLimiter;
  requests: RequestLimiter;
  close(): Promise<void>;
}

/**
 * Budgets for password (and app secret) checks, so that secrets cannot be guessed at speed and
 * a guesser cannot lock the owner out:
 *
 * - per account and client address: `loginMaxFailures` failed checks per `loginLockoutSeconds`;
 *   a stranger's failures lock only the stranger's address out of that account;
 * - per client address, across accounts: `loginAddressMaxFailures` failed checks per
 *   `loginAddressWindowSeconds`, which bounds the hashes one client can make the server compute.
 *
 * An attempt takes its points atomically before the check it guards (concurrent attempts cannot
 * slip past the budget), and a successful check gives them back.
 */
export interface FailureLimiter {
  /**
   * Takes one attempt at `account` (a login name, an app's secret) from `address`; throws a
   * RateLimitedError when either budget is spent. Call `succeeded()` after a correct check.
   */
  attempt(account: string, address: string): Promise<{ succeeded(): Promise<void> }>;
}

/** The request budgets of RateLimitSettings (the `prefix` aside), by name. */
export type RequestBudget = Exclude<keyof RateLimitSettings, 'prefix'>;

/** Request budgets (see RateLimitSettings): what one user, app or client address may ask per window. */
export interface RequestLimiter {
  /** Takes `points` (at most the whole budget) from `key`'s budget; throws a RateLimitedError (nothing taken) when they are not there. */
  take(budget: RequestBudget, key: string, points?: number): Promise<void>;
}

export async function openLimits(config: Config): Promise<Limits> {
  const store = await openStore(config);
  const failures = createFailureLimiter(store.limiter, config);
  const settings = config.rateLimits;
  const budgets = new Map<RequestBudget, RateLimiterAbstract>();
  for (const name of Object.keys(settings) as (keyof RateLimitSettings)[]) {
    if (name !== 'prefix') budgets.set(name, store.limiter(name, settings[name]));
  }
  return {
    failures,
    requests: {
      // A request larger than a whole budget (a send to 100 targets, 50 a second) takes all of it.
      take: (budget, key, points = 1) => take(budgets.get(budget)!, key, Math.min(points, settings[budget].points)),
    },
    close: store.close,
  };
}

type MakeLimiter = (name: string, budget: Budget) => RateLimiterAbstract;

async function openStore(config: Config): Promise<{ limiter: MakeLimiter; close(): Promise<void> }> {
  const prefix = config.rateLimits.prefix;
  const options = (name: string, { points, seconds }: Budget) => ({ keyPrefix: `${prefix}:${name}`, points, duration: seconds });
  if (!config.redisUrl) return { limiter: (name, budget) => new RateLimiterMemory(options(name, budget)), close: async () => {} };
  const { Redis } = await import('ioredis');
  const client = new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 3, enableOfflineQueue: false });
  client.on('error', () => {}); // reconnects by itself; meanwhile the memory insurance counts
  await client.connect();
  return {
    limiter: (name, budget) =>
      new RateLimiterRedis({
        ...options(name, budget),
        storeClient: client,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory(options(name, budget)),
      }),
    close: async () => void (await client.quit().catch(() => {})),
  };
}

function createFailureLimiter(limiter: MakeLimiter, config: Config): FailureLimiter {
  const byAccount = limiter('login-account', { points: config.loginMaxFailures, seconds: config.loginLockoutSeconds });
  const byAddress = limiter('login-address', { points: config.loginAddressMaxFailures, seconds: config.loginAddressWindowSeconds });
  return {
    async attempt(account, address) {
      const key = `${account}|${address}`;
      await take(byAddress, address, 1, 'failed');
      try {
        await take(byAccount, key, 1, 'failed');
      } catch (error) {
        // Refused before any check was made: the address's budget is not charged for it.
        await byAddress.reward(address, 1);
        throw error;
      }
      return {
        succeeded: async () => void (await Promise.all([byAccount.delete(key), byAddress.reward(address, 1)])),
      };
    },
  };
}

async function take(limiter: RateLimiterAbstract, key: string, points: number, what: 'failed' | 'requests' = 'requests') {
  try {
    await limiter.consume(key, points);
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    // A refused consume still counted its points: give them back, so that a client retrying
    // too early is not locked out longer by the refusals themselves.
    if (what === 'requests') await limiter.reward(key, points).catch(() => {});
    throw new RateLimitedError(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)), what);
  }
}
