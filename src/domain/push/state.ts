import { and, asc, count, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { openIds, pushTags, users } from '../../db/schema/index.js';
import type { Deps } from '../deps.js';
import { ConflictError, InvalidInputError, isUniqueViolation } from '../errors.js';
import { transaction } from '../transactions.js';
import { parseInput } from '../validation.js';
import { requireUser, type Viewer } from '../viewer.js';

// What the push feature will read: per-user alias, badge and tags. Delivery comes later.

const MAX_TAGS = 100;
const tag = z.string().trim().min(1, 'must not be empty').max(64, 'must be at most 64 characters');
const tagList = z.array(tag).min(1, 'must not be empty').max(MAX_TAGS, `must have at most ${MAX_TAGS} tags`);

export async function setPushAlias(deps: Deps, viewer: Viewer, alias: string): Promise<boolean> {
  const { appId, userId } = requireUser(viewer);
  const value = parseInput(z.string().max(128, 'must be at most 128 characters'), alias, 'alias');
  await deps.db
    .update(users)
    .set({ pushAlias: value || null })
    .where(and(eq(users.appId, appId), eq(users.id, userId)));
  return true;
}

export async function setPushBadge(deps: Deps, viewer: Viewer, badge: number): Promise<boolean> {
  const { appId, userId } = requireUser(viewer);
  const value = parseInput(z.number().int('must be a whole number').min(0, 'must not be negative').max(99_999, 'must be at most 99999'), badge, 'badge');
  await deps.db
    .update(users)
    .set({ pushBadge: value })
    .where(and(eq(users.appId, appId), eq(users.id, userId)));
  return true;
}

export async function listPushTags(deps: Deps, viewer: Viewer): Promise<string[]> {
  const { userId } = requireUser(viewer);
  const rows = await deps.db.select({ tag: pushTags.tag }).from(pushTags).where(eq(pushTags.userId, userId)).orderBy(asc(pushTags.tag));
  return rows.map((r) => r.tag);
}

/** Adds tags (existing ones stay); a user has at most 100. */
export async function addPushTags(deps: Deps, viewer: Viewer, tags: string[]): Promise<boolean> {
  const { appId, userId } = requireUser(viewer);
  const values = [...new Set(parseInput(tagList, tags, 'tags'))];
  await transaction(deps.db, async (tx) => {
    await tx.insert(pushTags).values(values.map((t) => ({ appId, userId, tag: t }))).onConflictDoNothing();
    const [row] = await tx.select({ n: count() }).from(pushTags).where(eq(pushTags.userId, userId));
    if (row!.n > MAX_TAGS) throw new InvalidInputError('tags', `a user may have at most ${MAX_TAGS} tags`);
  });
  return true;
}

export async function removePushTags(deps: Deps, viewer: Viewer, tags?: string[]): Promise<boolean> {
  const { userId } = requireUser(viewer);
  const values = tags === undefined ? undefined : parseInput(tagList, tags, 'tags');
  await deps.db
    .delete(pushTags)
    .where(and(eq(pushTags.userId, userId), values ? inArray(pushTags.tag, values) : undefined));
  return true;
}

const openIdInput = z.object({
  openId: z.string().min(1, 'is required').max(128, 'must be at most 128 characters'),
  type: z.string().min(1, 'is required').max(32, 'must be at most 32 characters'),
});

/** Binds a third-party account id to the viewer; one that is bound to someone already is refused. */
export async function bindOpenId(deps: Deps, viewer: Viewer, input: z.input<typeof openIdInput>): Promise<boolean> {
  const { appId, userId } = requireUser(viewer);
  const { openId, type } = parseInput(openIdInput, input);
  const [existing] = await deps.db
    .select({ userId: openIds.userId })
    .from(openIds)
    .where(and(eq(openIds.appId, appId), eq(openIds.type, type), eq(openIds.openId, openId)));
  if (existing?.userId === userId) return true;
  if (existing) throw new ConflictError('ALREADY_BOUND', 'openId', 'this open id is bound to another user');
  try {
    await deps.db.insert(openIds).values({ appId, type, openId, userId });
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError('ALREADY_BOUND', 'openId', 'this open id is bound to another user');
    throw error;
  }
  return true;
}
