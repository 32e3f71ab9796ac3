/**
 * A process's cache of what changes elsewhere invalidate through the event bus: the viewers of
 * tokens (a revocation forgets them), the rows of send checks (any change to blocks, memberships,
 * bans... clears them). It only saves queries, so it is bounded every way:
 *
 * - it serves nothing until its bus listener is attached everywhere (`serveOnceAttached`), so an
 *   invalidation published after that is always heard;
 * - a lookup that overlapped an invalidation is not kept: take a `mark()` before reading, hand it
 *   to `set`, which drops the value if anything was invalidated meanwhile;
 * - entries expire after `ttlMs` whatever happens, and beyond `maxEntries` it starts over.
 *
 * An entry may belong to a group (the token whose viewers it holds), forgotten together.
 */
export class BusCache<V> {
  private readonly entries = new Map<string, { value: V; until: number; group: string | undefined }>();
  /** The keys of each group, for entries set with one. */
  private readonly groups = new Map<string, Set<string>>();
  /** Counts invalidations, so a lookup that overlapped one is not kept. */
  private changes = 0;
  private serving = false;

  constructor(private readonly limits: { ttlMs: number; maxEntries: number }) {}

  /** Serves once `attached` resolves (the listener that invalidates this cache is in place). */
  serveOnceAttached(attached: Promise<unknown>): this {
    attached.then(
      () => (this.serving = true),
      () => {}, // a bus that could not attach it (closing): serve nothing
    );
    return this;
  }

  get(key: string): V | undefined {
    if (!this.serving) return undefined;
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until > Date.now()) return entry.value;
    this.delete(key, entry.group);
    return undefined;
  }

  mark(): number {
    return this.changes;
  }

  set(key: string, value: V, mark: number, group?: string) {
    if (!this.serving || mark !== this.changes) return;
    if (this.entries.size >= this.limits.maxEntries) this.clear();
    this.entries.set(key, { value, until: Date.now() + this.limits.ttlMs, group });
    if (group === undefined) return;
    let keys = this.groups.get(group);
    if (!keys) this.groups.set(group, (keys = new Set()));
    keys.add(key);
  }

  forget(groups: readonly string[]) {
    this.changes++;
    for (const group of groups) {
      for (const key of this.groups.get(group) ?? []) this.entries.delete(key);
      this.groups.delete(group);
    }
  }

  clear() {
    this.changes++;
    this.entries.clear();
    this.groups.clear();
  }

  private delete(key: string, group: string | undefined) {
    this.entries.delete(key);
    if (group === undefined) return;
    const keys = this.groups.get(group);
    keys?.delete(key);
    if (keys?.size === 0) this.groups.delete(group);
  }
}
