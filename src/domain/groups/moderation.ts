import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { groupBlocks, groupMembers, users } from '../../db/schema/index.js';
import type { Deps } from '../deps.js';
import { NotFoundError } from '../errors.js';
import { afterId, countRows, type Page } from '../paging.js';
import { transaction } from '../transactions.js';
import { parseInput } from '../validation.js';
import type { Viewer } from '../viewer.js';
import { actOn, type Group, idList, roleOf } from './access.js';
import { removeMembers } from './admission.js';
import { banMinutes } from './groups.js';
import { type Membership, onMembers, outrankedBy, withRole } from './members.js';
import { tellMembers } from './notify.js';
import { failure, success, type TargetResult } from './results.js';
import { checksChanged } from '../messages/check-cache.js';

/**
 * Admins ban (mute) members for some minutes; the owner may ban admins too. A ban expires by
 * itself: whoever checks compares banned_until with the time.
 */
export async function banMembers(deps: Deps, viewer: Viewer, groupId: string | number, userIds: (string | number)[], minutes: number) {
  const until = new Date(Date.now() + parseInput(banMinutes, minutes, 'minutes') * 60_000);
  return transaction(deps.db, async (tx) => {
    const { group, actor } = await actOn(tx, viewer, groupId, 'ADMIN', { lock: true });
    return onMembers(tx, group, userIds, outrankedBy(actor, 'banned'), (targets) => setBan(deps, tx, group, targets, until));
  });
}

export async function unbanMembers(deps: Deps, viewer: Viewer, groupId: string | number, userIds: (string | number)[]) {
  return transaction(deps.db, async (tx) => {
    const { group, actor } = await actOn(tx, viewer, groupId, 'ADMIN', { lock: true });
    return onMembers(tx, group, userIds, outrankedBy(actor, 'banned'), (targets) => setBan(deps, tx, group, targets, null));
  });
}

async function setBan(deps: Deps, tx: Queryable, group: Group, targets: Membership[], until: Date | null) {
  const ids = targets.map((t) => t.userId);
  await tx
    .update(groupMembers)
    .set({ bannedUntil: until })
    .where(and(eq(groupMembers.groupId, group.id), inArray(groupMembers.userId, ids)));
  checksChanged(deps, tx);
  await tellMembers(deps, tx, group, { type: 'GROUP_MEMBERS_BANNED', userIds: ids, until: until?.getTime() ?? null });
}

const bannedNow = (groupId: number) => and(eq(groupMembers.groupId, groupId), gt(groupMembers.bannedUntil, sql`now()`));

/** Admins: members banned now (expired bans are not listed), by user id. */
export async function listBanned(deps: Deps, viewer: Viewer, groupId: string | number, page: Page): Promise<Membership[]> {
  const { group } = await actOn(deps.db, viewer, groupId, 'ADMIN', { dissolved: true });
  const rows = await deps.db
    .select()
    .from(groupMembers)
    .where(and(bannedNow(group.id), afterId(page.after, groupMembers.userId)))
    .orderBy(asc(groupMembers.userId))
    .limit(page.limit);
  return rows.map((m) => withRole(group, m));
}

export async function countBanned(deps: Deps, viewer: Viewer, groupId: string | number): Promise<number> {
  const { group } = await actOn(deps.db, viewer, groupId, 'ADMIN', { dissolved: true });
  return countRows(deps.db, groupMembers, bannedNow(group.id));
}

export type GroupBlock = typeof groupBlocks.$inferSelect;

/**
 * Admins block users of the app from the group (the owner blocks admins too): members among them
 * are removed, and none of them can apply, be invited or scan a QR code until unblocked.
 */
export async function blockUsers(deps: Deps, viewer: Viewer, groupId: string | number, userIds: (string | number)[]): Promise<TargetResult[]> {
  const ids = [...new Set(parseInput(idList(500).min(1, 'must not be empty'), userIds, 'userIds'))];
  return transaction(deps.db, async (tx) => {
    const { group, actor } = await actOn(tx, viewer, groupId, 'ADMIN', { lock: true });
    const found = await tx
      .select({ id: users.id, member: groupMembers })
      .from(users)
      .leftJoin(groupMembers, and(eq(groupMembers.groupId, group.id), eq(groupMembers.userId, users.id)))
      .where(and(eq(users.appId, group.appId), inArray(users.id, ids)));
    const byId = new Map(found.map((row) => [row.id, row.member]));
    const refuse = outrankedBy(actor, 'blocked');
    const results = ids.map((id) => {
      if (!byId.has(id)) return failure(id, new NotFoundError('USER_NOT_FOUND', `user ${id} does not exist`));
      const member = byId.get(id);
      const error = member ? refuse({ ...member, role: roleOf(group, member)! }) : undefined;
      return error ? failure(id, error) : success(id);
    });
    const blocked = results.filter((r) => r.outcome === 'SUCCESS').map((r) => r.id);
    if (blocked.length === 0) return results;
    await tx
      .insert(groupBlocks)
      .values(blocked.map((userId) => ({ appId: group.appId, groupId: group.id, userId })))
      .onConflictDoNothing();
    const removed = blocked.filter((id) => byId.get(id));
    if (removed.length > 0) {
      await removeMembers(tx, group, removed);
      checksChanged(deps, tx);
      await tellMembers(deps, tx, group, { type: 'GROUP_MEMBERS_REMOVED', userIds: removed, reason: 'BLOCKED' }, removed);
    }
    return results;
  });
}

/** Admins let blocked users come back (by applying, an invitation or a QR code); they do not rejoin by this. */
export async function unblockUsers(deps: Deps, viewer: Viewer, groupId: string | number, userIds: (string | number)[]): Promise<TargetResult[]> {
  const ids = [...new Set(parseInput(idList(500).min(1, 'must not be empty'), userIds, 'userIds'))];
  return transaction(deps.db, async (tx) => {
    const { group } = await actOn(tx, viewer, groupId, 'ADMIN', { lock: true });
    await tx.delete(groupBlocks).where(and(eq(groupBlocks.groupId, group.id), inArray(groupBlocks.userId, ids)));
    return ids.map((id) => success(id));
  });
}

/** Admins: the blocked users, by user id. */
export async function listBlocked(deps: Deps, viewer: Viewer, groupId: string | number, page: Page): Promise<GroupBlock[]> {
  const { group } = await actOn(deps.db, viewer, groupId, 'ADMIN', { dissolved: true });
  return deps.db
    .select()
    .from(groupBlocks)
    .where(and(eq(groupBlocks.groupId, group.id), afterId(page.after, groupBlocks.userId)))
    .orderBy(asc(groupBlocks.userId))
    .limit(page.limit);
}

export async function countBlocked(deps: Deps, viewer: Viewer, groupId: string | number): Promise<number> {
  const { group } = await actOn(deps.db, viewer, groupId, 'ADMIN', { dissolved: true });
  return countRows(deps.db, groupBlocks, eq(groupBlocks.groupId, group.id));
}
