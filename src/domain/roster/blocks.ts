import { countRows } from '../paging.js';
import { and, asc, eq, gt } from 'drizzle-orm';
import { blocks } from '../../db/schema/index.js';
import { findUser } from '../accounts/users.js';
import type { Deps } from '../deps.js';
import { InvalidInputError, NotFoundError } from '../errors.js';
import { notifyUsers } from '../notify.js';
import { entityId, parseInput } from '../validation.js';
import { requireUser, type Viewer } from '../viewer.js';
import { checksChanged } from '../messages/check-cache.js';

/**
 * Blocks a user: they can no longer send friend requests or messages to the viewer. A friendship
 * is kept (unblocking restores things as they were). Blocking twice is harmless.
 */
export async function blockUser(deps: Deps, viewer: Viewer, target: string | number): Promise<boolean> {
  const { appId, userId } = requireUser(viewer);
  const blockedId = parseInput(entityId, target, 'userId');
  if (blockedId === userId) throw new InvalidInputError('userId', 'you cannot block yourself');
  if (!(await findUser(deps.db, appId, blockedId))) throw new NotFoundError('USER_NOT_FOUND', `user ${blockedId} does not exist`);
  const inserted = await deps.db.insert(blocks).values({ appId, userId, blockedId }).onConflictDoNothing().returning();
  if (inserted.length > 0) checksChanged(deps);
  if (inserted.length > 0) notifyUsers(deps, deps.db, appId, [userId], { type: 'BLOCKLIST_CHANGED', userId: blockedId, blocked: true });
  return true;
}

export async function unblockUser(deps: Deps, viewer: Viewer, target: string | number): Promise<boolean> {
  const { appId, userId } = requireUser(viewer);
  const blockedId = parseInput(entityId, target, 'userId');
  const removed = await deps.db
    .delete(blocks)
    .where(and(eq(blocks.userId, userId), eq(blocks.blockedId, blockedId)))
    .returning();
  if (removed.length > 0) checksChanged(deps);
  if (removed.length > 0) notifyUsers(deps, deps.db, appId, [userId], { type: 'BLOCKLIST_CHANGED', userId: blockedId, blocked: false });
  return true;
}

/** How many users the viewer has blocked. */
export async function countBlocked(deps: Deps, viewer: Viewer): Promise<number> {
  const { userId } = requireUser(viewer);
  return countRows(deps.db, blocks, eq(blocks.userId, userId));
}

/** Ids the viewer has blocked, in id order, `limit` after `after`. */
export async function listBlocked(deps: Deps, viewer: Viewer, page: { after?: number; limit: number }): Promise<number[]> {
  const { userId } = requireUser(viewer);
  const rows = await deps.db
    .select({ id: blocks.blockedId })
    .from(blocks)
    .where(and(eq(blocks.userId, userId), page.after === undefined ? undefined : gt(blocks.blockedId, page.after)))
    .orderBy(asc(blocks.blockedId))
    .limit(page.limit);
  return rows.map((r) => r.id);
}
