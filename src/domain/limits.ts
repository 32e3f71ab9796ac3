import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config } from '../config.js';
import { RateLimitedError } from './errors.js';

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
 * slip past the budget), and a successful check gives them back. With Redis the budgets are shared
 * by every server process.
 */
export interface FailureLimiter {
  /**
   * Takes one attempt at `account` (a login name, an app's secret) from `address`; throws a
   * RateLimitedError when either budget is spent. Call `succeeded()` after a correct check.
   */
  attempt(account: string, address: string): Promise<{ succeeded(): Promise<void> }>;
  close(): Promise<void>;
}

export async function createFailureLimiter(config: Config): Promise<FailureLimiter> {
  const perAccount = { keyPrefix: 'im:login-account', points: config.loginMaxFailures, duration: config.loginLockoutSeconds };
  const perAddress = { keyPrefix: 'im:login-address', points: config.loginAddressMaxFailures, duration: config.loginAddressWindowSeconds };
  let byAccount: RateLimiterAbstract;
  let byAddress: RateLimiterAbstract;
  let close = async () => {};
  if (config.redisUrl) {
    const { Redis } = await import('ioredis');
    const client = new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 3 });
    await client.connect();
    byAccount = new RateLimiterRedis({ ...perAccount, storeClient: client });
    byAddress = new RateLimiterRedis({ ...perAddress, storeClient: client });
    close = async () => void (await client.quit().catch(() => {}));
  } else {
    byAccount = new RateLimiterMemory(perAccount);
    byAddress = new RateLimiterMemory(perAddress);
  }
  return {
    async attempt(account, address) {
      const key = `${account}|${address}`;
      await take(byAddress, address);
      try {
        await take(byAccount, key);
      } catch (error) {
        // Refused before any check was made: the address's budget is not charged for it.
        await byAddress.reward(address, 1);
        throw error;
      }
      return {
        succeeded: async () => void (await Promise.all([byAccount.delete(key), byAddress.reward(address, 1)])),
      };
    },
    close,
  };
}

async function take(limiter: RateLimiterAbstract, key: string) {
  try {
    await limiter.consume(key, 1);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) throw new RateLimitedError(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
    throw rejection;
  }
}
