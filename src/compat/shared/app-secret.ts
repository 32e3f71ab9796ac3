import type { IncomingMessage } from 'node:http';
import type { Credentials } from '../../domain/accounts/tokens.js';
import { sha256 } from '../../domain/secrets.js';
import type { Failure, Runner } from './run.js';

/** How long an app id and secret, once checked, stand for the admin token minted for them. */
const TTL_MS = 60_000;
const MAX_ENTRIES = 10_000;

const MINT = `mutation Mint($appId: ID!, $appSecret: String!) {
  result: createAdminToken(appId: $appId, appSecret: $appSecret) { ...Failure ... on CreateAdminTokenPayload { adminToken { token expiresAt } } }
}`;

/**
 * Dialects whose clients present the app id and secret on every call (HTTP Basic, a login frame)
 * act with an admin token minted by GraphQL's `createAdminToken`, so the secret is checked (and
 * wrong guesses rate-limited) exactly as there. A checked pair keeps its token for a minute, so a
 * busy client costs one argon2 verification a minute rather than one per request.
 */
export function createAppSecretAuth(run: Runner) {
  const cache = new Map<string, { token: string; until: number }>();

  return async function adminCredentials(req: IncomingMessage, appId: string, appSecret: string): Promise<Credentials | Failure> {
    const key = sha256(`${appId}\u0000${appSecret}`).toString('hex');
    const now = Date.now();
    const cached = cache.get(key);
    if (cached && cached.until > now) return { token: cached.token, appId };
    const outcome = await run(req, {}, MINT, { appId, appSecret });
    if (!outcome.ok) return outcome.failure;
    const minted = outcome.value.adminToken;
    if (cache.size >= MAX_ENTRIES) cache.clear();
    cache.set(key, { token: minted.token, until: Math.min(now + TTL_MS, minted.expiresAt - 1000) });
    return { token: minted.token, appId };
  };
}

/** `Authorization: Basic base64(id:secret)`, or undefined when absent or malformed. */
export function basicAuth(req: IncomingMessage): { id: string; secret: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(req.headers.authorization ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}
