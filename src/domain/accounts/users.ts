import { emitEvent } from '../push/outbox.js';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '../../db/client.js';
import { devices, users, userSettings } from '../../db/schema/index.js';
import { findApp } from '../apps.js';
import type { Deps } from '../deps.js';
import { ConflictError, DomainError, InvalidInputError, NotFoundError, isUniqueViolation, type ErrorCode } from '../errors.js';
import { afterId, countRows } from '../paging.js';
import { hashPassword } from '../secrets.js';
import * as v from '../validation.js';
import { parseInput } from '../validation.js';
import { requireAdmin, viewerApp, type Viewer } from '../viewer.js';

export type User = typeof users.$inferSelect;
export type UserSettings = typeof userSettings.$inferSelect;
export interface Registration {
  user: User;
  settings: UserSettings;
}

const registerInput = z.object({
  username: v.username,
  password: v.password,
  mobile: v.mobile.optional(),
  email: v.email.optional(),
});
export type RegisterInput = z.input<typeof registerInput>;

/** Registers a user of an app, with default settings. */
export async function registerUser(deps: Deps, appId: string, input: RegisterInput): Promise<Registration> {
  await requireApp(deps, appId);
  return insertUser(deps, appId, parseRegistration(input));
}

const MAX_BATCH = 500;

export interface BatchRegistrationItem {
  username: string;
  success: boolean;
  userId: number | null;
  /** Why the item failed, for programs (USER_EXISTS, INVALID_INPUT, …). */
  code: ErrorCode | null;
  reason: string | null;
}

/** Admin batch registration: each item succeeds or fails on its own. */
export async function registerUsers(
  deps: Deps,
  viewer: Viewer,
  list: RegisterInput[],
): Promise<BatchRegistrationItem[]> {
  const { appId } = requireAdmin(viewer);
  if (list.length === 0) throw new InvalidInputError('list', 'must not be empty');
  if (list.length > MAX_BATCH) throw new InvalidInputError('list', `must have at most ${MAX_BATCH} items`);
  const results: BatchRegistrationItem[] = [];
  for (const [i, item] of list.entries()) {
    try {
      const { user } = await insertUser(deps, appId, parseRegistration(item, `list.${i}`));
      results.push({ username: user.username, success: true, userId: user.id, code: null, reason: null });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      results.push({ username: String(item?.username ?? ''), success: false, userId: null, code: error.code, reason: error.message });
    }
  }
  return results;
}

const pushRegisterInput = registerInput.extend({
  deviceGuid: v.deviceGuid,
  pushToken: z.string().min(1).max(512, 'must be at most 512 characters').optional(),
  alias: z.string().min(1).max(128, 'must be at most 128 characters').optional(),
});

/** Registers a user together with the device that will receive push notifications. */
export async function registerPushUser(
  deps: Deps,
  appId: string,
  input: z.input<typeof pushRegisterInput>,
): Promise<Registration> {
  await requireApp(deps, appId);
  const { deviceGuid, pushToken, alias, ...account } = parseInput(pushRegisterInput, input);
  const fields = { ...account, passwordHash: await hashPassword(account.password) };
  return deps.db.transaction(async (tx) => {
    const registration = await insertUserRow(tx, appId, { ...fields, pushAlias: alias });
    await tx.insert(devices).values({
      appId,
      userId: registration.user.id,
      deviceSn: 1,
      deviceGuid,
      pushToken: pushToken ?? null,
    });
    return registration;
  });
}

export async function findUser(db: Queryable, appId: string, userId: number): Promise<User | undefined> {
  const [user] = await db
    .select()
    .from(users)
    .where(and(eq(users.appId, appId), eq(users.id, userId)));
  return user;
}

export async function getUser(db: Queryable, appId: string, userId: number): Promise<User> {
  const user = await findUser(db, appId, userId);
  if (!user) throw new NotFoundError('USER_NOT_FOUND', `user ${userId} does not exist`);
  return user;
}

export async function findUsers(db: Queryable, appId: string, ids: readonly number[]): Promise<User[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(users)
    .where(and(eq(users.appId, appId), inArray(users.id, [...ids])));
}

const MAX_USERNAMES = 500;

/** Users of the viewer's app by username, in the order asked; unknown names are left out. */
export async function findUsersByUsername(deps: Deps, viewer: Viewer, usernames: string[]): Promise<User[]> {
  const appId = viewerApp(viewer);
  if (usernames.length > MAX_USERNAMES) throw new InvalidInputError('usernames', `must have at most ${MAX_USERNAMES} names`);
  if (usernames.length === 0) return [];
  const rows = await deps.db
    .select()
    .from(users)
    .where(and(eq(users.appId, appId), inArray(users.username, [...new Set(usernames)])));
  const byName = new Map(rows.map((u) => [u.username, u]));
  return usernames.flatMap((name) => byName.get(name) ?? []);
}

/**
 * Admin: the app's users by id (registration order), after a cursor (the last id seen) or after
 * skipping `offset` users, for clients that page by position.
 */
export async function listUsers(deps: Deps, viewer: Viewer, page: { after?: string; offset?: number; limit: number }): Promise<User[]> {
  const { appId } = requireAdmin(viewer);
  if (page.offset !== undefined && (!Number.isSafeInteger(page.offset) || page.offset < 0)) {
    throw new InvalidInputError('offset', 'must be a whole number, 0 or more');
  }
  return deps.db
    .select()
    .from(users)
    .where(and(eq(users.appId, appId), afterId(page.after, users.id)))
    .orderBy(asc(users.id))
    .offset(page.offset ?? 0)
    .limit(page.limit);
}

/** Admin: how many users the app has. */
export const countUsers = (deps: Deps, viewer: Viewer) => countRows(deps.db, users, eq(users.appId, requireAdmin(viewer).appId));

export async function findSettings(db: Queryable, ids: readonly number[]): Promise<UserSettings[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(userSettings)
    .where(inArray(userSettings.userId, [...ids]));
}

async function requireApp(deps: Deps, appId: string) {
  parseInput(v.appId, appId, 'appId');
  if (!(await findApp(deps.db, appId))) throw new NotFoundError('APP_NOT_FOUND', `app ${appId} does not exist`);
}

function parseRegistration(input: RegisterInput, prefix?: string) {
  return parseInput(registerInput, input, prefix);
}

async function insertUser(deps: Deps, appId: string, account: z.output<typeof registerInput>) {
  const passwordHash = await hashPassword(account.password);
  return deps.db.transaction((tx) => insertUserRow(tx, appId, { ...account, passwordHash }));
}

async function insertUserRow(
  tx: Queryable,
  appId: string,
  account: { username: string; passwordHash: string; mobile?: string; email?: string; pushAlias?: string },
): Promise<Registration> {
  try {
    const [user] = await tx
      .insert(users)
      .values({
        appId,
        username: account.username,
        passwordHash: account.passwordHash,
        mobile: account.mobile ?? null,
        email: account.email ?? null,
        pushAlias: account.pushAlias ?? null,
      })
      .returning();
    const [settings] = await tx.insert(userSettings).values({ appId, userId: user!.id }).returning();
    await emitEvent(tx, appId, 'user.registered', user!.id, { userId: String(user!.id), username: user!.username });
    return { user: user!, settings: settings! };
  } catch (error) {
    throw translateUniqueViolation(error);
  }
}

/** A unique violation on a login name becomes a ConflictError naming the field; anything else is rethrown. */
export function translateUniqueViolation(error: unknown): unknown {
  const taken = (
    [
      ['users_app_username_key', 'username'],
      ['users_app_mobile_key', 'mobile'],
      ['users_app_email_key', 'email'],
    ] as const
  ).find(([constraint]) => isUniqueViolation(error, constraint));
  return taken ? new ConflictError('USER_EXISTS', taken[1], `${taken[1]} is already taken`) : error;
}

