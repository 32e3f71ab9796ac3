import { and, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { users } from '../../db/schema/index.js';
import type { Deps } from '../deps.js';
import { NotFoundError } from '../errors.js';
import { transaction } from '../transactions.js';
import { entityId, parseInput } from '../validation.js';
import { requireAdmin, type Viewer } from '../viewer.js';
import { endSessions } from './tokens.js';

const idList = z.array(entityId).min(1, 'must not be empty').max(500, 'must have at most 500 ids');

/**
 * Admin: disables users. They can no longer log in, their tokens stop working at once and their
 * live connections close. All or nothing: an unknown id changes no one.
 */
export async function disableUsers(deps: Deps, viewer: Viewer, ids: (string | number)[]): Promise<boolean> {
  const { appId } = requireAdmin(viewer);
  const userIds = [...new Set(parseInput(idList, ids, 'userIds'))];
  await transaction(deps.db, async (tx) => {
    const found = await tx
      .update(users)
      .set({ disabledAt: sql`coalesce(${users.disabledAt}, now())` })
      .where(and(eq(users.appId, appId), inArray(users.id, userIds)))
      .returning({ id: users.id });
    requireAll(userIds, found);
    for (const { id } of found) await endSessions(deps, appId, id, sql`true`, 'ACCOUNT_DISABLED', tx);
  });
  return true;
}

/** Admin: lets disabled users log in again (their old tokens stay revoked). */
export async function enableUsers(deps: Deps, viewer: Viewer, ids: (string | number)[]): Promise<boolean> {
  const { appId } = requireAdmin(viewer);
  const userIds = [...new Set(parseInput(idList, ids, 'userIds'))];
  await transaction(deps.db, async (tx) => {
    const found = await tx
      .update(users)
      .set({ disabledAt: null })
      .where(and(eq(users.appId, appId), inArray(users.id, userIds)))
      .returning({ id: users.id });
    requireAll(userIds, found);
  });
  return true;
}

function requireAll(ids: number[], found: { id: number }[]) {
  const seen = new Set(found.map((f) => f.id));
  const missing = ids.find((id) => !seen.has(id));
  // Thrown inside the transaction, so nothing was changed.
  if (missing !== undefined) throw new NotFoundError('USER_NOT_FOUND', `user ${missing} does not exist`);
}

