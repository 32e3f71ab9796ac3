import { BusCache } from '../bus-cache.js';
import type { Deps } from '../deps.js';
import { sha256 } from '../secrets.js';
import type { Viewer } from '../viewer.js';
import { authenticate, type Credentials } from './tokens.js';

/**
 * The viewers of recently seen tokens, so that a client sending many requests costs one token
 * lookup every few seconds (5 s), not one per request. A revocation reaches every process's cache
 * through the event bus (`revoked` topic) and forgets the token at once; a lookup that overlapped
 * a revocation is not kept (domain/bus-cache.ts). An expired token is checked again (and refused).
 */
const caches = new WeakMap<Deps, BusCache<Viewer>>();

function cacheOf(deps: Deps): BusCache<Viewer> {
  let cache = caches.get(deps);
  if (cache) return cache;
  const created = new BusCache<Viewer>({ ttlMs: 5_000, maxEntries: 50_000 });
  caches.set(deps, created.serveOnceAttached(deps.events.listen('revoked', 'all', ({ tokenHashes }) => created.forget(tokenHashes))));
  return created;
}

/** authenticate(), answered from this process's cache of recently checked tokens when it can be. */
export async function cachedViewer(deps: Deps, credentials: Credentials): Promise<Viewer> {
  if (!credentials.token) return authenticate(deps, credentials);
  const cache = cacheOf(deps);
  const hash = sha256(credentials.token).toString('hex');
  // A token's viewers: as itself, or acting as a user or group admin (admin tokens).
  const key = `${hash}|${credentials.appId ?? ''}|${credentials.actAsUserId ?? ''}|${credentials.actAsGroupAdminOf ?? ''}`;
  const cached = cache.get(key);
  if (cached && (cached.kind === 'anonymous' || cached.tokenExpiresAt.getTime() > Date.now())) return cached;
  const mark = cache.mark();
  const viewer = await authenticate(deps, credentials);
  cache.set(key, viewer, mark, hash);
  return viewer;
}

/** Removes revoked tokens from this process's cache at once and tells the other processes. */
export function announceRevoked(deps: Deps, tokenHashes: string[]) {
  cacheOf(deps).forget(tokenHashes);
  deps.events.publish('revoked', 'all', { tokenHashes });
}
