import type { Queryable } from '../../db/client.js';
import type { Deps } from '../deps.js';
import { BusCache } from '../bus-cache.js';
import { afterCommit } from '../transactions.js';

/**
 * The rows a send's target check read (sender, target, their relation, the group and the sender's
 * membership, the conversation), per process, so a chat's steady traffic costs no check query.
 * Rows are kept, not verdicts: each send is still judged on them at its own time (a ban that runs
 * out, say). Whatever changes what the checks read calls `checksChanged` in its transaction: once
 * it commits, this process's caches start over before the change is answered, and every other
 * process's as soon as it hears of it on the bus (`checks` topic). Kept at most a minute.
 */
export function checkCache<T>(deps: Deps): BusCache<T> {
  const cache = new BusCache<T>({ ttlMs: 60_000, maxEntries: 100_000 });
  registerCheckCache(deps, cache);
  return cache.serveOnceAttached(deps.events.listen('checks', 'all', () => cache.clear()));
}

// By the server's bus: every handle of a server's deps shares it.
const caches = new WeakMap<Deps['events'], Set<{ clear(): void }>>();

/** Registers a cache of a server, to be cleared by checksChanged. */
function registerCheckCache(deps: Deps, cache: { clear(): void }) {
  let set = caches.get(deps.events);
  if (!set) caches.set(deps.events, (set = new Set()));
  set.add(cache);
}

/**
 * Call in (or after) the transaction of any change to what a send's target check reads: blocks,
 * friendships, the app's stranger policy, group memberships, roles and bans, a group's settings
 * or dissolution, a user's deletion. Once `db` commits, this process's checks start over at once
 * and every other process's when it hears of it through the bus.
 */
export function checksChanged(deps: Deps, db: Queryable = deps.db) {
  afterCommit(db, () => {
    for (const cache of caches.get(deps.events) ?? []) cache.clear();
    deps.events.publish('checks', 'all', { at: Date.now() });
  });
}
