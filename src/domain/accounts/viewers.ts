import type { Deps } from '../deps.js';
import { sha256 } from '../secrets.js';
import type { Viewer } from '../viewer.js';
import { authenticate, type Credentials } from './tokens.js';

/** How long a process keeps the viewer of a token it has checked. */
const TTL_MS = 5_000;
/** Beyond this many cached viewers the cache starts over (it only saves a query). */
const MAX_ENTRIES = 50_000;

interface Entry {
  viewer: Viewer;
  until: number;
}

/**
 * The viewers of recently seen tokens, so that a client sending many requests costs one token
 * lookup every few seconds, not one per request. A revocation reaches every process's cache
 * through the event bus (`revoked` topic) and removes the token at once; a lookup that overlapped
 * a revocation is not cached at all. An expired token is checked again (and refused).
 */
class ViewerCache {
  private readonly byToken = new Map<string, Map<string, Entry>>();
  private size = 0;
  /** Counts revocations heard, so a lookup that overlapped one is not kept. */
  private revocations = 0;
  private listening = false;

  constructor(private readonly deps: Deps) {
    void this.listen();
  }

  /** Serves from the cache only while it hears revocations; a stream that ends (overflow, shutdown) empties it. */
  private async listen() {
    try {
      const stream = await this.deps.events.subscribe('revoked', 'all');
      this.listening = true;
      for await (const { tokenHashes } of stream) this.forget(tokenHashes);
    } catch {
      // An overflowing stream (a flood of revocations) or a bus that is closing: serve uncached.
    }
    this.listening = false;
    this.clear();
  }

  forget(tokenHashes: readonly string[]) {
    this.revocations++;
    for (const hash of tokenHashes) {
      this.size -= this.byToken.get(hash)?.size ?? 0;
      this.byToken.delete(hash);
    }
  }

  private clear() {
    this.revocations++;
    this.byToken.clear();
    this.size = 0;
  }

  async viewerOf(credentials: Credentials): Promise<Viewer> {
    if (!credentials.token || !this.listening) return authenticate(this.deps, credentials);
    const hash = sha256(credentials.token).toString('hex');
    const key = `${credentials.appId ?? ''}|${credentials.actAsUserId ?? ''}|${credentials.actAsGroupAdminOf ?? ''}`;
    const now = Date.now();
    const cached = this.byToken.get(hash)?.get(key);
    if (cached && cached.until > now && (cached.viewer.kind === 'anonymous' || cached.viewer.tokenExpiresAt.getTime() > now)) return cached.viewer;
    const revocations = this.revocations;
    const viewer = await authenticate(this.deps, credentials);
    if (revocations !== this.revocations) return viewer;
    if (this.size >= MAX_ENTRIES) this.clear();
    let entries = this.byToken.get(hash);
    if (!entries) this.byToken.set(hash, (entries = new Map()));
    if (!entries.has(key)) this.size++;
    entries.set(key, { viewer, until: now + TTL_MS });
    return viewer;
  }
}

const caches = new WeakMap<Deps, ViewerCache>();

function cacheOf(deps: Deps): ViewerCache {
  let cache = caches.get(deps);
  if (!cache) caches.set(deps, (cache = new ViewerCache(deps)));
  return cache;
}

/** authenticate(), answered from this process's cache of recently checked tokens when it can be. */
export const cachedViewer = (deps: Deps, credentials: Credentials) => cacheOf(deps).viewerOf(credentials);

/** Removes revoked tokens from this process's cache at once and tells the other processes. */
export function announceRevoked(deps: Deps, tokenHashes: string[]) {
  cacheOf(deps).forget(tokenHashes);
  deps.events.publish('revoked', 'all', { tokenHashes });
}
