import { and, eq } from 'drizzle-orm';
import type { Queryable } from '../db/client.js';
import { signingKeys } from '../db/schema/index.js';
import { randomToken } from './secrets.js';

/**
 * The app's signing key for one purpose, created the first time it is needed. Concurrent first
 * uses race on the insert; the one that loses reads the winner's key.
 */
export async function signingKey(db: Queryable, appId: string, purpose: string): Promise<Buffer> {
  const where = and(eq(signingKeys.appId, appId), eq(signingKeys.purpose, purpose));
  let [row] = await db.select({ key: signingKeys.key }).from(signingKeys).where(where);
  if (!row) {
    await db.insert(signingKeys).values({ appId, purpose, key: randomToken() }).onConflictDoNothing();
    [row] = await db.select({ key: signingKeys.key }).from(signingKeys).where(where);
  }
  return Buffer.from(row!.key, 'base64url');
}
