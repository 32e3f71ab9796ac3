import { randomBytes } from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../db/client.js';
import { apps } from '../db/schema/index.js';
import { ConflictError, InvalidInputError, isUniqueViolation } from './errors.js';
import { hashPassword, randomToken } from './secrets.js';
import { hmacSha1State } from './signing-state.js';
import { appId as appIdSchema, parseInput } from './validation.js';

export interface AppCredentials {
  appId: string;
  appSecret: string;
  name: string;
}

const createAppInput = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
  appId: appIdSchema.optional(),
  appSecret: z.string().min(16, 'must be at least 16 characters').max(256, 'must be at most 256 characters').optional(),
});

/** Creates an app. The secret is returned here once and only its hash is kept. */
export async function createApp(db: Database, input: z.input<typeof createAppInput>): Promise<AppCredentials> {
  const { name, appId = generateAppId(), appSecret = randomToken() } = parseInput(createAppInput, input);
  try {
    await db.insert(apps).values({ id: appId, name, secretHash: await hashPassword(appSecret), signatureState: hmacSha1State(appSecret) });
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError('APP_EXISTS', 'appId', `app ${appId} already exists`);
    throw error;
  }
  return { appId, appSecret, name };
}

const generateAppId = () => `app${randomBytes(8).toString('hex')}`;

/**
 * On a database without apps, creates the default app: the configured one, or a random one whose
 * credentials are returned so the caller can show them once. A configured app missing from a
 * non-empty database is created too, so deployments can declare their app.
 */
export async function ensureBootstrapApp(
  db: Database,
  configured: { appId: string; appSecret: string } | undefined,
): Promise<AppCredentials | undefined> {
  if (configured) {
    const [existing] = await db.select({ id: apps.id }).from(apps).where(eq(apps.id, configured.appId));
    if (existing) return undefined;
    return createApp(db, { name: 'default', ...configured });
  }
  const [row] = await db.select({ n: count() }).from(apps);
  if (row!.n > 0) return undefined;
  return createApp(db, { name: 'default' });
}

export async function findApp(db: Database, appId: string) {
  if (!appId) throw new InvalidInputError('appId', 'is required');
  const [app] = await db.select().from(apps).where(eq(apps.id, appId));
  return app;
}
