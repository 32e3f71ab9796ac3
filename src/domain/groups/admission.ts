import { emitEvent } from '../push/outbox.js';
import { and, count, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { groupBlocks, groupMembers, groups, users, userSettings } from '../../db/schema/index.js';
import type { Deps } from '../deps.js';
import { joinGroupConversation, leaveGroupConversation } from '../messages/groups.js';
import { ConflictError, type DomainError, ForbiddenError, NotFoundError } from '../errors.js';
import type { Group } from './access.js';
import { tellMembers } from './notify.js';
import { checksChanged } from '../messages/check-cache.js';

/** A would-be member: their invitation preference, or why they cannot join. */
export interface Candidate {
  userId: number;
  /** The user wants to accept invitations themself (setting group_confirm). */
  groupConfirm: boolean;
  error?: DomainError;
}

/**
 * Checks would-be members of a locked group: they exist in the app, are not blocked from it, and
 * are not members yet. Their user rows are locked (in id order, so concurrent admissions cannot
 * deadlock), which serialises each user's joined-groups quota.
 */
export async function screen(db: Queryable, group: Group, userIds: number[]): Promise<Candidate[]> {
  const ids = [...new Set(userIds)];
  if (ids.length === 0) return [];
  const found = await db
    .select({ id: users.id, groupConfirm: userSettings.groupConfirm })
    .from(users)
    .leftJoin(userSettings, eq(userSettings.userId, users.id))
    .where(and(eq(users.appId, group.appId), inArray(users.id, ids)))
    .orderBy(users.id)
    .for('no key update', { of: users });
  const blocked = await idsIn(db, groupBlocks, group.id, ids);
  const members = await idsIn(db, groupMembers, group.id, ids);
  const settings = new Map(found.map((u) => [u.id, u.groupConfirm]));
  return ids.map((userId) => ({ userId, groupConfirm: settings.get(userId) ?? false, error: refusal(group, userId, settings.has(userId), blocked, members) }));
}

function refusal(group: Group, userId: number, exists: boolean, blocked: Set<number>, members: Set<number>): DomainError | undefined {
  if (!exists) return new NotFoundError('USER_NOT_FOUND', `user ${userId} does not exist`);
  if (blocked.has(userId)) return new ForbiddenError(`user ${userId} is blocked from group ${group.id}`, 'BLOCKED_FROM_GROUP');
  if (members.has(userId)) return new ConflictError('ALREADY_GROUP_MEMBER', 'userId', `user ${userId} is already a member of group ${group.id}`);
  return undefined;
}

async function idsIn(db: Queryable, table: typeof groupBlocks | typeof groupMembers, groupId: number, ids: number[]) {
  const rows = await db
    .select({ id: table.userId })
    .from(table)
    .where(and(eq(table.groupId, groupId), inArray(table.userId, ids)));
  return new Set(rows.map((r) => r.id));
}

/**
 * Makes screened users members of a locked group, as far as its capacity and each user's
 * joined-groups quota allow; answers why each one that could not join did not. Tells the
 * members who joined.
 */
export async function admit(deps: Deps, db: Queryable, group: Group, userIds: number[]): Promise<Map<number, DomainError>> {
  const refused = new Map<number, DomainError>();
  if (userIds.length === 0) return refused;
  const joined = await joinedCounts(db, group.appId, userIds);
  const { joinedLimit } = deps.config.groups;
  let room = group.capacity - group.memberCount;
  const admitted: number[] = [];
  for (const userId of userIds) {
    if ((joined.get(userId) ?? 0) >= joinedLimit) {
      refused.set(userId, new ConflictError('JOINED_GROUPS_QUOTA', 'userId', `user ${userId} already belongs to ${joinedLimit} groups`));
    } else if (room <= 0) {
      refused.set(userId, new ConflictError('GROUP_FULL', 'groupId', `group ${group.id} is full (${group.capacity} members)`));
    } else {
      admitted.push(userId);
      room -= 1;
    }
  }
  if (admitted.length === 0) return refused;
  await db.insert(groupMembers).values(admitted.map((userId) => ({ appId: group.appId, groupId: group.id, userId })));
  checksChanged(deps, db);
  await joinGroupConversation(db, group, admitted);
  await changeMemberCount(db, group, admitted.length);
  await tellMembers(deps, db, group, { type: 'GROUP_MEMBERS_JOINED', userIds: admitted });
  await emitEvent(db, group.appId, 'group.members_changed', group.id, { groupId: String(group.id), joined: admitted.map(String), left: [] });
  return refused;
}

/** Screens and admits one user; throws why they cannot join. */
export async function admitOne(deps: Deps, db: Queryable, group: Group, userId: number) {
  const [candidate] = await screen(db, group, [userId]);
  if (candidate!.error) throw candidate!.error;
  const refusal = (await admit(deps, db, group, [userId])).get(userId);
  if (refusal) throw refusal;
}

async function joinedCounts(db: Queryable, appId: string, userIds: number[]) {
  const rows = await db
    .select({ userId: groupMembers.userId, n: count() })
    .from(groupMembers)
    .innerJoin(groups, and(eq(groups.id, groupMembers.groupId), isNull(groups.dissolvedAt)))
    .where(and(eq(groupMembers.appId, appId), inArray(groupMembers.userId, userIds)))
    .groupBy(groupMembers.userId);
  return new Map(rows.map((r) => [r.userId, r.n]));
}

/** Keeps groups.member_count in step with the rows, in the same transaction (the group row is locked). */
export async function changeMemberCount(db: Queryable, group: Group, delta: number) {
  group.memberCount += delta;
  await db
    .update(groups)
    .set({ memberCount: sql`${groups.memberCount} + ${delta}` })
    .where(eq(groups.id, group.id));
}

/** Removes members (any role but the owner's is the caller's to check) and keeps the count. */
export async function removeMembers(db: Queryable, group: Group, userIds: number[]) {
  if (userIds.length === 0) return;
  const removed = await db
    .delete(groupMembers)
    .where(and(eq(groupMembers.groupId, group.id), inArray(groupMembers.userId, userIds)))
    .returning({ id: groupMembers.userId });
  await leaveGroupConversation(db, group, removed.map((r) => r.id));
  await changeMemberCount(db, group, -removed.length);
  if (removed.length > 0) {
    await emitEvent(db, group.appId, 'group.members_changed', group.id, { groupId: String(group.id), joined: [], left: removed.map((r) => String(r.id)) });
  }
}
