import { and, eq, gt, inArray, isNull, max, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '../../db/client.js';
import { accessTokens, apps, devices, users } from '../../db/schema/index.js';
import { userKey, type SessionEndReason } from '../../realtime/events.js';
import { afterCommit, transaction } from '../transactions.js';
import { findApp } from '../apps.js';
import type { Deps } from '../deps.js';
import { AuthenticationError, InvalidInputError, NotFoundError } from '../errors.js';
import { hashPassword, randomToken, sha256, verifyNothing, verifyPassword } from '../secrets.js';
import { hmacSha1State } from '../signing-state.js';
import * as v from '../validation.js';
import { parseInput } from '../validation.js';
import { requireAdmin, requireUser, type AdminViewer, type Viewer } from '../viewer.js';
import { findUser, type User } from './users.js';
import { announceRevoked } from './viewers.js';

export interface IssuedToken {
  token: string;
  tokenId: number;
  expiresAt: Date;
  userId: number;
  deviceSn: number | null;
  pushToken: string | null;
}

const loginInput = z
  .object({
    username: z.string().min(1, 'must not be empty').optional(),
    userId: v.entityId.optional(),
    loginName: z.string().min(1, 'must not be empty').optional(),
    password: z.string({ error: 'is required' }).min(1, 'is required').max(64, 'must be at most 64 characters'),
    deviceGuid: v.deviceGuid.optional(),
    platform: v.platform.optional(),
  })
  .refine((i) => [i.username, i.userId, i.loginName].filter((x) => x !== undefined).length === 1, {
    path: ['username'],
    message: 'give exactly one of username, userId or loginName',
  });
export type LoginInput = z.input<typeof loginInput>;

/**
 * Exchanges a user's credentials for an access token. A missing user and a wrong password answer
 * alike (and take the same time), so logins cannot be used to discover accounts. Attempts are
 * budgeted per account and per client address (see limits.ts) before the password is checked.
 */
export async function login(deps: Deps, appId: string, input: LoginInput, clientAddress: string): Promise<IssuedToken> {
  parseInput(v.appId, appId, 'appId');
  const credentials = parseInput(loginInput, input);
  if (!(await findApp(deps.db, appId))) throw new NotFoundError('APP_NOT_FOUND', `app ${appId} does not exist`);

  const user = await findLoginUser(deps.db, appId, credentials);
  // Counted per account, whichever name reached it; per name while no account matches.
  const account = `login:${appId}:${user ? `user:${user.id}` : `name:${credentials.username ?? credentials.loginName ?? credentials.userId}`}`;
  const attempt = await deps.failures.attempt(account, clientAddress);
  const ok = user ? await verifyPassword(user.passwordHash, credentials.password) : await verifyNothing(credentials.password);
  if (!user || !ok) throw new AuthenticationError('BAD_CREDENTIALS', 'wrong login name or password');
  await attempt.succeeded();
  if (user.disabledAt) throw new AuthenticationError('USER_DISABLED', 'this account is disabled');

  return deps.db.transaction(async (tx) => {
    const device = credentials.deviceGuid
      ? await upsertDevice(tx, appId, user.id, credentials.deviceGuid, credentials.platform)
      : undefined;
    const { token, id, expiresAt } = await insertToken(tx, {
      appId,
      userId: user.id,
      deviceId: device?.id ?? null,
      ttlSeconds: deps.config.tokenTtlSeconds,
    });
    return {
      token,
      tokenId: id,
      expiresAt,
      userId: user.id,
      deviceSn: device?.deviceSn ?? null,
      pushToken: device?.pushToken ?? null,
    };
  });
}

async function findLoginUser(db: Queryable, appId: string, c: z.output<typeof loginInput>): Promise<User | undefined> {
  if (c.userId !== undefined) return findUser(db, appId, c.userId);
  const name = c.username ?? c.loginName!;
  const match =
    c.username !== undefined
      ? eq(users.username, name)
      : or(eq(users.username, name), eq(users.mobile, name), eq(sql`lower(${users.email})`, name.toLowerCase()));
  const [user] = await db
    .select()
    .from(users)
    .where(and(eq(users.appId, appId), match))
    .limit(1);
  return user;
}

/** The device of a user with this guid, created on first login with the next free device_sn. */
async function upsertDevice(tx: Queryable, appId: string, userId: number, deviceGuid: string, platform?: number) {
  // Serialises concurrent first logins of one user, so two devices never get the same device_sn.
  await tx.execute(sql`select 1 from ${users} where ${users.id} = ${userId} for update`);
  const [existing] = await tx
    .select()
    .from(devices)
    .where(and(eq(devices.userId, userId), eq(devices.deviceGuid, deviceGuid)));
  if (existing) {
    const [device] = await tx
      .update(devices)
      .set({ lastLoginAt: new Date(), ...(platform !== undefined && { platform }) })
      .where(eq(devices.id, existing.id))
      .returning();
    return device!;
  }
  const [last] = await tx
    .select({ sn: max(devices.deviceSn) })
    .from(devices)
    .where(eq(devices.userId, userId));
  const [device] = await tx
    .insert(devices)
    .values({ appId, userId, deviceGuid, deviceSn: (last?.sn ?? 0) + 1, platform: platform ?? 0 })
    .returning();
  return device!;
}

async function insertToken(
  tx: Queryable,
  row: { appId: string; userId: number | null; deviceId: number | null; ttlSeconds: number },
) {
  const token = randomToken();
  const expiresAt = new Date(Date.now() + row.ttlSeconds * 1000);
  const [inserted] = await tx
    .insert(accessTokens)
    .values({ appId: row.appId, userId: row.userId, deviceId: row.deviceId, tokenHash: sha256(token), expiresAt })
    .returning({ id: accessTokens.id });
  return { token, id: inserted!.id, expiresAt };
}

const adminTokenInput = z.object({
  appId: v.appId,
  appSecret: z.string({ error: 'is required' }).min(1, 'is required').max(256, 'must be at most 256 characters'),
});

/** Mints an admin token from the app secret; wrong secrets are budgeted per app and client address, like logins. */
export async function createAdminToken(deps: Deps, input: z.input<typeof adminTokenInput>, clientAddress: string) {
  const { appId, appSecret } = parseInput(adminTokenInput, input);
  const app = await findApp(deps.db, appId);
  if (!app) throw new NotFoundError('APP_NOT_FOUND', `app ${appId} does not exist`);
  const attempt = await deps.failures.attempt(`app-secret:${appId}`, clientAddress);
  if (!(await verifyPassword(app.secretHash, appSecret))) throw new AuthenticationError('BAD_CREDENTIALS', 'wrong app secret');
  await attempt.succeeded();
  if (app.signatureState === null) await deps.db.update(apps).set({ signatureState: hmacSha1State(appSecret) }).where(eq(apps.id, appId));
  const { token, expiresAt } = await insertToken(deps.db, {
    appId,
    userId: null,
    deviceId: null,
    ttlSeconds: deps.config.adminTokenTtlSeconds,
  });
  return { token, appId, expiresAt };
}

export interface Credentials {
  token?: string;
  /** With an admin token: act as this user of the token's app. */
  actAsUserId?: string | number;
  /** With an admin token and no user to act as: act as an admin of this group of the token's app. */
  actAsGroupAdminOf?: string | number;
  /** When the transport names the app (REST `app_id`), the token must belong to it. */
  appId?: string;
}

/** Turns a bearer token into a viewer, or says precisely why it cannot. */
export async function authenticate(deps: Deps, credentials: Credentials): Promise<Viewer> {
  if (credentials.appId !== undefined && !(await findApp(deps.db, credentials.appId))) {
    throw new NotFoundError('APP_NOT_FOUND', `app ${credentials.appId} does not exist`);
  }
  if (!credentials.token) {
    if (credentials.actAsUserId !== undefined) throw new AuthenticationError('TOKEN_MISSING', 'an admin token is required to act as a user');
    return { kind: 'anonymous' };
  }
  const [row] = await deps.db
    .select({
      id: accessTokens.id,
      appId: accessTokens.appId,
      userId: accessTokens.userId,
      deviceId: accessTokens.deviceId,
      deviceSn: devices.deviceSn,
      expiresAt: accessTokens.expiresAt,
      revokedAt: accessTokens.revokedAt,
      disabledAt: users.disabledAt,
    })
    .from(accessTokens)
    .leftJoin(users, eq(users.id, accessTokens.userId))
    .leftJoin(devices, eq(devices.id, accessTokens.deviceId))
    .where(eq(accessTokens.tokenHash, sha256(credentials.token)));

  if (!row || (credentials.appId !== undefined && row.appId !== credentials.appId)) {
    throw new AuthenticationError('TOKEN_INVALID', 'the access token is invalid');
  }
  if (row.revokedAt) throw new AuthenticationError('TOKEN_REVOKED', 'the access token has been revoked; log in again');
  if (row.expiresAt.getTime() <= Date.now()) {
    throw new AuthenticationError('TOKEN_EXPIRED', 'the access token has expired; log in again');
  }
  if (row.userId === null) {
    const admin = { kind: 'admin', appId: row.appId, tokenId: row.id, tokenExpiresAt: row.expiresAt } as const;
    return actAs(deps, withGroup(admin, credentials.actAsGroupAdminOf), credentials.actAsUserId);
  }

  if (credentials.actAsUserId !== undefined) throw new AuthenticationError('TOKEN_INVALID', 'only an admin token may act as another user');
  if (row.disabledAt) throw new AuthenticationError('USER_DISABLED', 'this account is disabled');
  return {
    kind: 'user',
    appId: row.appId,
    userId: row.userId,
    tokenId: row.id,
    tokenExpiresAt: row.expiresAt,
    deviceId: row.deviceId,
    deviceSn: row.deviceSn,
    viaAdmin: false,
  };
}

async function actAs(deps: Deps, admin: AdminViewer, actAsUserId: string | number | undefined): Promise<Viewer> {
  if (actAsUserId === undefined || actAsUserId === '') return admin;
  const userId = parseInput(v.entityId, actAsUserId, 'user_id');
  if (!(await findUser(deps.db, admin.appId, userId))) {
    throw new NotFoundError('USER_NOT_FOUND', `user ${userId} does not exist`);
  }
  return { kind: 'user', appId: admin.appId, userId, tokenId: admin.tokenId, tokenExpiresAt: admin.tokenExpiresAt, deviceId: null, deviceSn: null, viaAdmin: true };
}

function withGroup(admin: AdminViewer, groupId: string | number | undefined): AdminViewer {
  if (groupId === undefined || groupId === '') return admin;
  return { ...admin, actAsGroupAdminOf: parseInput(v.entityId, groupId, 'group_id') };
}

/** The event-bus key of a token's own events (see Topics['token']). */
export const tokenEventKey = (token: string) => sha256(token).toString('hex');

/** Signs the viewer's own token out. Its live connections end. */
export async function signOut(deps: Deps, viewer: Viewer): Promise<boolean> {
  const user = requireUser(viewer);
  if (user.viaAdmin) throw new InvalidInputError('token', 'an admin token acting as a user cannot be signed out this way');
  return (await endSessions(deps, user.appId, user.userId, eq(accessTokens.id, user.tokenId), 'SIGNED_OUT')) > 0;
}

/** Admin: revokes every token of a user (for example after a suspected leak). */
export async function revokeUserTokens(deps: Deps, viewer: Viewer, userId: number): Promise<number> {
  const { appId } = requireAdmin(viewer);
  if (!(await findUser(deps.db, appId, userId))) throw new NotFoundError('USER_NOT_FOUND', `user ${userId} does not exist`);
  return endSessions(deps, appId, userId, sql`true`, 'REVOKED_BY_ADMIN');
}

/** Admin: revokes every admin token of the viewer's app, the one in use included; their live connections close. */
export async function revokeAdminTokens(deps: Deps, viewer: Viewer): Promise<number> {
  const { appId } = requireAdmin(viewer);
  return endAdminSessions(deps, appId, deps.db);
}

/**
 * Admin: replaces the app's secret with a new random one, answered here once (only its hash is
 * kept), and revokes every admin token of the app: whoever held the old secret or a token minted
 * from it holds nothing now. One transaction: the secret never changes without the revocation.
 */
export async function rotateAppSecret(deps: Deps, viewer: Viewer): Promise<{ appId: string; appSecret: string; revokedAdminTokens: number }> {
  const { appId } = requireAdmin(viewer);
  const appSecret = randomToken();
  const secretHash = await hashPassword(appSecret);
  const revokedAdminTokens = await transaction(deps.db, async (tx) => {
    await tx.update(apps).set({ secretHash, signatureState: hmacSha1State(appSecret) }).where(eq(apps.id, appId));
    return endAdminSessions(deps, appId, tx);
  });
  return { appId, appSecret, revokedAdminTokens };
}

/** Revokes the app's live admin tokens and closes the connections that used them; answers how many. */
async function endAdminSessions(deps: Deps, appId: string, db: Queryable): Promise<number> {
  const revoked = await db
    .update(accessTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(accessTokens.appId, appId), isNull(accessTokens.userId), isNull(accessTokens.revokedAt), gt(accessTokens.expiresAt, new Date())))
    .returning({ tokenHash: accessTokens.tokenHash });
  afterCommit(db, () => {
    const hashes = revoked.map(({ tokenHash }) => tokenHash.toString('hex'));
    for (const hash of hashes) deps.events.publish('token', hash, { type: 'REVOKED', reason: 'REVOKED_BY_ADMIN' });
    announceRevoked(deps, hashes);
  });
  return revoked.length;
}

/**
 * Revokes a user's live tokens that match `condition`, then tells the user's devices why and
 * closes the connections that used them. Answers how many were revoked.
 */
export async function endSessions(
  deps: Deps,
  appId: string,
  userId: number,
  condition: SQL,
  reason: SessionEndReason,
  db: Queryable = deps.db,
): Promise<number> {
  const revoked = await db
    .update(accessTokens)
    .set({ revokedAt: new Date() })
    .where(
      and(
        eq(accessTokens.appId, appId),
        eq(accessTokens.userId, userId),
        isNull(accessTokens.revokedAt),
        gt(accessTokens.expiresAt, new Date()),
        condition,
      ),
    )
    .returning({ id: accessTokens.id, deviceId: accessTokens.deviceId, tokenHash: accessTokens.tokenHash });
  // A disabled account is announced even without tokens of its own: sessions that act as it on an
  // app's authority (the action protocol) end on that event.
  if (revoked.length === 0 && reason !== 'ACCOUNT_DISABLED') return 0;
  const deviceIds = [...new Set(revoked.map((r) => r.deviceId).filter((id): id is number => id !== null))];
  const sns = deviceIds.length
    ? await db.select({ sn: devices.deviceSn }).from(devices).where(inArray(devices.id, deviceIds))
    : [];
  afterCommit(db, () => {
    deps.events.publish('user', userKey(appId, userId), {
      type: 'TOKEN_REVOKED',
      at: Date.now(),
      tokenIds: revoked.map((r) => r.id),
      deviceSns: sns.map((s) => s.sn).sort((a, b) => a - b),
      reason,
    });
    // After the account event, so a connection's own subscriptions hear why before it closes.
    const hashes = revoked.map(({ tokenHash }) => tokenHash.toString('hex'));
    for (const hash of hashes) deps.events.publish('token', hash, { type: 'REVOKED', reason });
    announceRevoked(deps, hashes);
  });
  return revoked.length;
}
