import { describe, expect, it } from 'vitest';
import { BusCache } from '../src/domain/bus-cache.js';
import { checkCache } from '../src/domain/messages/check-cache.js';
import type { Deps } from '../src/domain/deps.js';
import { createLocalEventBus } from '../src/realtime/pubsub.js';
import { later } from './helpers/clock.js';

const serving = <V>(limits = { ttlMs: 60_000, maxEntries: 100 }) => new BusCache<V>(limits).serveOnceAttached(Promise.resolve());
// serveOnceAttached takes effect once the promise's reaction has run.
const settled = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('BusCache', () => {
  it('serves nothing until its listener is attached, nor ever if attaching fails', async () => {
    let attach!: () => void;
    const cache = new BusCache<number>({ ttlMs: 60_000, maxEntries: 100 }).serveOnceAttached(new Promise<void>((resolve) => (attach = resolve)));
    cache.set('k', 1, cache.mark());
    expect(cache.get('k')).toBeUndefined();
    attach();
    await settled();
    cache.set('k', 1, cache.mark());
    expect(cache.get('k')).toBe(1);

    const failed = new BusCache<number>({ ttlMs: 60_000, maxEntries: 100 }).serveOnceAttached(Promise.reject(new Error('bus closing')));
    await settled();
    failed.set('k', 1, failed.mark());
    expect(failed.get('k')).toBeUndefined();
  });

  it('does not keep a value read while something was invalidated', async () => {
    const cache = serving<number>();
    await settled();
    const mark = cache.mark();
    cache.forget(['someone else']);
    cache.set('k', 1, mark);
    expect(cache.get('k')).toBeUndefined();
    const mark2 = cache.mark();
    cache.clear();
    cache.set('k', 1, mark2);
    expect(cache.get('k')).toBeUndefined();
  });

  it('forgets a group together, and only that group', async () => {
    const cache = serving<string>();
    await settled();
    cache.set('t1|a', 'viewer a', cache.mark(), 't1');
    cache.set('t1|b', 'viewer b', cache.mark(), 't1');
    cache.set('t2|a', 'other', cache.mark(), 't2');
    cache.set('plain', 'row', cache.mark());
    cache.forget(['t1']);
    expect([cache.get('t1|a'), cache.get('t1|b'), cache.get('t2|a'), cache.get('plain')]).toEqual([undefined, undefined, 'other', 'row']);
  });

  it('lets entries expire, and starts over beyond its size', async () => {
    const cache = serving<number>({ ttlMs: 1000, maxEntries: 3 });
    await settled();
    cache.set('old', 1, cache.mark(), 'g');
    expect(await later(1001, async () => cache.get('old'))).toBeUndefined();
    expect(cache.get('old')).toBeUndefined(); // gone, not only hidden
    for (const k of ['a', 'b', 'c']) cache.set(k, 1, cache.mark());
    cache.set('d', 4, cache.mark());
    expect([cache.get('a'), cache.get('d')]).toEqual([undefined, 4]);
  });
});

describe('checkCache', () => {
  it('is cleared by a change heard on the bus', async () => {
    const deps = { events: createLocalEventBus() } as unknown as Deps;
    const cache = checkCache<{ v: number }>(deps);
    // Serving once the listener is attached: probe until a value is kept.
    while ((cache.set('probe', { v: 0 }, cache.mark()), cache.get('probe') === undefined)) await settled();
    cache.set('k', { v: 2 }, cache.mark());
    deps.events.publish('checks', 'all', { at: 1 });
    await expect.poll(() => cache.get('k')).toBeUndefined();
  });
});
