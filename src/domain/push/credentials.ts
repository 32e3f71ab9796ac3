import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { pushCredentials } from '../../db/schema/index.js';
import type { Database } from '../../db/client.js';
import type { Deps } from '../deps.js';
import { ForbiddenError, InvalidInputError } from '../errors.js';
import { parseInput } from '../validation.js';
import type { Viewer } from '../viewer.js';
import { providersOf, UNSUPPORTED } from './providers/index.js';
import { ENVIRONMENT, PROVIDER, type Credential, type ProviderCode } from './providers/types.js';
import { sealerOf } from './sealed.js';

const providerCode = z.union(Object.values(PROVIDER).map((p) => z.literal(p)) as [z.ZodLiteral<ProviderCode>, ...z.ZodLiteral<ProviderCode>[]], {
  error: 'must be a known provider',
});
const environment = z.union([z.literal(ENVIRONMENT.DEVELOPMENT), z.literal(ENVIRONMENT.PRODUCTION)], {
  error: 'must be 0 (development) or 1 (production)',
});
const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);

const credentialInput = z.object({
  provider: providerCode,
  environment: environment.default(ENVIRONMENT.PRODUCTION),
  name: text(128).default(''),
  providerAppId: text(256).default(''),
  appKey: text(256).default(''),
  appSecret: text(1024).default(''),
  certificate: z.string().max(16_384, 'must be at most 16384 characters').default(''),
  url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).max(2048).optional(),
});
export type CredentialInput = z.input<typeof credentialInput>;

function requireAdmin(viewer: Viewer): string {
  if (viewer.kind !== 'admin') throw new ForbiddenError('push credentials need an admin token');
  return viewer.appId;
}

/** Vendor channels this server does not speak are said to be so, with their own code (REST 12006). */
function refuseUnsupported(provider: number) {
  const unsupported = UNSUPPORTED[provider as ProviderCode];
  if (unsupported) throw new InvalidInputError('provider', unsupported, 'PUSH_PROVIDER_NOT_SUPPORTED');
}

/**
 * Sets (or replaces) the app's credentials for one provider and environment, after the provider
 * checked them (a malformed key or service account is refused here, not at the first push).
 */
export async function setPushCredential(deps: Deps, viewer: Viewer, input: CredentialInput): Promise<Credential> {
  const appId = requireAdmin(viewer);
  const parsed = parseInput(credentialInput, input);
  refuseUnsupported(parsed.provider);
  const credential: Credential = { appId, ...parsed, url: parsed.url ?? null };
  try {
    await providersOf(deps.config)[parsed.provider]!.check(credential);
  } catch (error) {
    throw new InvalidInputError('certificate', (error as Error).message);
  }
  const sealed = (await sealerOf(deps.config)).seal(JSON.stringify({ appSecret: parsed.appSecret, certificate: parsed.certificate }));
  const row = { appId, provider: parsed.provider, environment: parsed.environment, name: parsed.name, providerAppId: parsed.providerAppId, appKey: parsed.appKey, url: credential.url, sealed, updatedAt: new Date() };
  await deps.db
    .insert(pushCredentials)
    .values(row)
    .onConflictDoUpdate({ target: [pushCredentials.appId, pushCredentials.provider, pushCredentials.environment], set: row });
  return credential;
}

export async function deletePushCredential(deps: Deps, viewer: Viewer, provider: number, env: number): Promise<boolean> {
  const appId = requireAdmin(viewer);
  const deleted = await deps.db
    .delete(pushCredentials)
    .where(and(eq(pushCredentials.appId, appId), eq(pushCredentials.provider, provider), eq(pushCredentials.environment, env)))
    .returning({ provider: pushCredentials.provider });
  return deleted.length > 0;
}

/** Admin: the app's credentials for a provider and environment, secrets opened; null when none. */
export async function pushCredential(deps: Deps, viewer: Viewer, provider: number, env: number): Promise<Credential | null> {
  const appId = requireAdmin(viewer);
  refuseUnsupported(provider);
  const [row] = await deps.db
    .select()
    .from(pushCredentials)
    .where(and(eq(pushCredentials.appId, appId), eq(pushCredentials.provider, provider), eq(pushCredentials.environment, env)));
  return row ? open(deps, row) : null;
}

/** Admin: every credential of the app (secrets opened). */
export async function pushCredentialList(deps: Deps, viewer: Viewer): Promise<Credential[]> {
  const appId = requireAdmin(viewer);
  const rows = await deps.db.select().from(pushCredentials).where(eq(pushCredentials.appId, appId));
  return Promise.all(rows.map((r) => open(deps, r)));
}

/**
 * The credentials a delivery uses: production when the app has them for the provider, otherwise
 * development (an app in development has only those).
 */
export async function deliveryCredential(deps: Deps, db: Database, appId: string, provider: number): Promise<Credential | null> {
  const [row] = await db
    .select()
    .from(pushCredentials)
    .where(and(eq(pushCredentials.appId, appId), eq(pushCredentials.provider, provider)))
    .orderBy(desc(pushCredentials.environment))
    .limit(1);
  return row ? open(deps, row) : null;
}

async function open(deps: Deps, row: typeof pushCredentials.$inferSelect): Promise<Credential> {
  const secrets = JSON.parse((await sealerOf(deps.config)).open(row.sealed)) as { appSecret: string; certificate: string };
  return {
    appId: row.appId,
    provider: row.provider as ProviderCode,
    environment: row.environment,
    name: row.name,
    providerAppId: row.providerAppId,
    appKey: row.appKey,
    url: row.url,
    ...secrets,
  };
}
