import { createHmac, timingSafeEqual } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Queryable } from '../db/client.js';
import { signingKeys } from '../db/schema/index.js';
import { randomToken } from './secrets.js';

/**
 * The app's signing key for one purpose, created the first time it is needed. Concurrent first
 * uses race on the insert; the one that loses reads the winner's key.
 */
export function signingKey(db: Queryable, appId: string, purpose: string): Promise<Buffer> {
  const cache = known.get(db) ?? new Map<string, Promise<Buffer>>();
  known.set(db, cache);
  const id = `${appId}\u0000${purpose}`;
  let key = cache.get(id);
  if (!key) {
    key = loadKey(db, appId, purpose);
    cache.set(id, key);
    key.catch(() => cache.delete(id));
  }
  return key;
}

/** Keys never change once made: each database handle reads each one once (a transaction's handle does not outlive it). */
const known = new WeakMap<Queryable, Map<string, Promise<Buffer>>>();

async function loadKey(db: Queryable, appId: string, purpose: string): Promise<Buffer> {
  const where = and(eq(signingKeys.appId, appId), eq(signingKeys.purpose, purpose));
  let [row] = await db.select({ key: signingKeys.key }).from(signingKeys).where(where);
  if (!row) {
    await db.insert(signingKeys).values({ appId, purpose, key: randomToken() }).onConflictDoNothing();
    [row] = await db.select({ key: signingKeys.key }).from(signingKeys).where(where);
  }
  return Buffer.from(row!.key, 'base64url');
}

const mac = (key: Buffer, body: Buffer) => createHmac('sha256', key).update(body).digest();

/** `<payload>.<HMAC>`, both base64url: a value the server hands out and later takes back unchanged. */
export async function seal(db: Queryable, appId: string, purpose: string, payload: object): Promise<string> {
  const body = Buffer.from(JSON.stringify(payload));
  return `${body.toString('base64url')}.${mac(await signingKey(db, appId, purpose), body).toString('base64url')}`;
}

/** The payload of a sealed value if the app's key signed it; undefined when forged or malformed. */
export async function unseal(db: Queryable, appId: string, purpose: string, sealed: string): Promise<unknown> {
  const [body, signature, ...rest] = sealed.split('.');
  if (!body || !signature || rest.length > 0) return undefined;
  const bytes = Buffer.from(body, 'base64url');
  const expected = mac(await signingKey(db, appId, purpose), bytes);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** The app a sealed value claims to come from (unverified: unseal with that app's key next). */
export function claimedApp(sealed: string): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(sealed.split('.')[0] ?? '', 'base64url').toString('utf8')) as { a?: unknown };
    return typeof payload.a === 'string' ? payload.a : undefined;
  } catch {
    return undefined;
  }
}
