import type { Queryable } from '../../db/client.js';
import type { Deps } from '../deps.js';
import { afterCommit } from '../transactions.js';

/** Beyond this many cached checks the cache starts over (it only saves a query). */
const MAX_ENTRIES = 100_000;
/** How long a check is kept at most, changes or not (a bound, not what makes it correct). */
const TTL_MS = 60_000;

interface Entry<T> {
  row: T;
  until: number;
}

/**
 * The rows a send's target check read (sender, target, their relation, the group and the sender's
 * membership, the conversation), per process, so a chat's steady traffic costs no check query.
 * Rows are kept, not verdicts: each send is still judged on them at its own time (a ban that runs
 * out, say). Whatever changes what the checks read calls `checksChanged` in its transaction: once
 * it commits, this process's cache starts over before the change is answered, and every other
 * process's as soon as it hears of it on the bus (`checks` topic). A lookup that overlapped a
 * change is not kept. While the cache is not listening to the bus it serves nothing.
 */
export class CheckCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  /** Counts changes heard, so a lookup that overlapped one is not kept. */
  private changes = 0;
  private listening = false;

  constructor(private readonly deps: Deps) {
    void this.listen();
  }

  private async listen() {
    try {
      const stream = await this.deps.events.subscribe('checks', 'all');
      this.listening = true;
      for await (const _ of stream) this.clear();
    } catch {
      // An overflowing stream (a flood of changes) or a bus that is closing: serve uncached.
    }
    this.listening = false;
    this.clear();
  }

  clear() {
    this.changes++;
    this.entries.clear();
  }

  /** The cached row, if any. */
  get(key: string): T | undefined {
    if (!this.listening) return undefined;
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until > Date.now()) return entry.row;
    this.entries.delete(key);
    return undefined;
  }

  /** A mark to hand to `set`: the row is kept only if nothing changed since. */
  mark(): number {
    return this.changes;
  }

  set(key: string, row: T, mark: number) {
    if (!this.listening || mark !== this.changes) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(key, { row, until: Date.now() + TTL_MS });
  }
}

// By the server's bus: every handle of a server's deps shares it.
const caches = new WeakMap<Deps['events'], Set<{ clear(): void }>>();

/** Registers a cache of a server, to be cleared by checksChanged. */
export function registerCheckCache(deps: Deps, cache: { clear(): void }) {
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
