import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '../../db/client.js';
import { users } from '../../db/schema/index.js';
import { userKey } from '../../realtime/events.js';
import type { Deps } from '../deps.js';
import { DomainError, InvalidInputError, NotFoundError, type ErrorCode } from '../errors.js';
import { afterCommit, transaction } from '../transactions.js';
import * as v from '../validation.js';
import { parseInput } from '../validation.js';
import { requireAdmin, requireUser, type Viewer } from '../viewer.js';
import { translateUniqueViolation, type User } from './users.js';

const text = (max: number) => z.string().max(max, `must be at most ${max} characters`);
/** An empty string clears a login name; anything else must be valid. */
const clearable = <S extends z.ZodType<string>>(schema: S) => z.union([z.literal(''), schema]);

const profileInput = z.object({
  username: v.username.optional(),
  nickName: text(64).optional(),
  avatar: text(1024).optional(),
  description: text(512).optional(),
  publicInfo: text(8192).optional(),
  privateInfo: text(8192).optional(),
  mobile: clearable(v.mobile).optional(),
  email: clearable(v.email).optional(),
  ext: v.jsonText(8192).optional(),
});
export type ProfileInput = z.input<typeof profileInput>;

/** Changes the viewer's own profile; absent fields stay as they are. */
export async function updateProfile(deps: Deps, viewer: Viewer, input: ProfileInput): Promise<User> {
  const { appId, userId } = requireUser(viewer);
  const changes = parseInput(profileInput, input);
  return transaction(deps.db, (tx) => applyProfile(deps, tx, appId, userId, changes));
}

const MAX_BATCH = 100;

export interface BatchProfileItem {
  userId: number;
  success: boolean;
  /** Why the item failed, for programs. */
  code: ErrorCode | null;
  reason: string | null;
}

/** Admin: changes several users' profiles; each item succeeds or fails on its own. */
export async function updateProfiles(
  deps: Deps,
  viewer: Viewer,
  list: (ProfileInput & { userId: string | number })[],
): Promise<BatchProfileItem[]> {
  const { appId } = requireAdmin(viewer);
  if (list.length === 0) throw new InvalidInputError('list', 'must not be empty');
  if (list.length > MAX_BATCH) throw new InvalidInputError('list', `must have at most ${MAX_BATCH} items`);
  const results: BatchProfileItem[] = [];
  for (const [i, { userId: rawId, ...input }] of list.entries()) {
    const userId = Number(rawId);
    try {
      const id = parseInput(v.entityId, rawId, `list.${i}.userId`);
      const changes = parseInput(profileInput, input, `list.${i}`);
      await transaction(deps.db, (tx) => applyProfile(deps, tx, appId, id, changes));
      results.push({ userId: id, success: true, code: null, reason: null });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      results.push({ userId: Number.isSafeInteger(userId) ? userId : 0, success: false, code: error.code, reason: error.message });
    }
  }
  return results;
}

async function applyProfile(
  deps: Deps,
  tx: Queryable,
  appId: string,
  userId: number,
  changes: z.output<typeof profileInput>,
): Promise<User> {
  const { mobile, email, ...rest } = changes;
  const set = {
    ...rest,
    ...(mobile !== undefined && { mobile: mobile || null }),
    ...(email !== undefined && { email: email || null }),
    updatedAt: new Date(),
  };
  let user: User | undefined;
  try {
    [user] = await tx
      .update(users)
      .set(set)
      .where(and(eq(users.appId, appId), eq(users.id, userId)))
      .returning();
  } catch (error) {
    throw translateUniqueViolation(error);
  }
  if (!user) throw new NotFoundError('USER_NOT_FOUND', `user ${userId} does not exist`);
  afterCommit(tx, () =>
    deps.events.publish('user', userKey(appId, userId), { type: 'PROFILE_CHANGED', at: Date.now() }),
  );
  return user;
}
