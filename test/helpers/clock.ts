import { vi } from 'vitest';

/**
 * Runs `work` with this process's clock `ms` ahead, then puts it back. The test servers run in the
 * test's own process, so what they check against `Date` (a QR code's sealed expiry, say) sees the
 * moved clock: an expiry is reached by moving the clock past it, not by waiting for it, so a test
 * can give its codes a long life and never race a slow machine. Only `Date` is faked (it keeps
 * ticking); timers, and the database's own clock, are untouched.
 */
export async function later<T>(ms: number, work: () => Promise<T>): Promise<T> {
  vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + ms, shouldAdvanceTime: true });
  try {
    return await work();
  } finally {
    vi.useRealTimers();
  }
}
