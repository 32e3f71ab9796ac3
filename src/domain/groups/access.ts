import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '../../db/client.js';
import { groupMembers, groups } from '../../db/schema/index.js';
import type { GroupRole } from './vocabulary.js';
import { AuthenticationError, ForbiddenError, NotFoundError } from '../errors.js';
import { entityId, parseInput } from '../validation.js';
import type { Viewer } from '../viewer.js';

export type Group = typeof groups.$inferSelect;
export type GroupMember = typeof groupMembers.$inferSelect;

/** Group types. */
export const PRIVATE = 0;
export const PUBLIC = 1;

/** "Until lifted", for bans of everyone: the end of year 9999 compares later than any real expiry. */
export const FOREVER = new Date(Date.UTC(9999, 11, 31));

/** Who acts on a group, and in what standing. */
export interface Actor {
  appId: string;
  /** Null when an app admin token acts as an admin of the group (REST header `group_id`). */
  userId: number | null;
  /** Null when the actor is not a member. */
  role: GroupRole | null;
}

export const roleOf = (group: Group, member: GroupMember | undefined): GroupRole | null =>
  !member ? null : member.userId === group.ownerId ? 'OWNER' : member.isAdmin ? 'ADMIN' : 'MEMBER';

const RANK: Record<GroupRole, number> = { MEMBER: 1, ADMIN: 2, OWNER: 3 };

/** Does `role` rank at least as high as `minimum`? */
export const atLeast = (role: GroupRole | null, minimum: GroupRole) => role !== null && RANK[role] >= RANK[minimum];

/** May an actor of `role` act on (kick, ban, block) a member of `target` role? Admins on members, the owner on anyone else. */
export const outranks = (role: GroupRole | null, target: GroupRole) => role !== null && RANK[role] > RANK[target];

/** The app a viewer reads groups in: any signed-in viewer of the app may read a group's info. */
export function readerApp(viewer: Viewer): string {
  if (viewer.kind === 'anonymous') throw new AuthenticationError('TOKEN_MISSING', 'an access token is required');
  return viewer.appId;
}

/** The user behind a viewer; an app admin token must act as a user (or a group admin, where that suffices). */
function identity(viewer: Viewer, groupId: number): { appId: string; userId: number | null } {
  if (viewer.kind === 'user') return { appId: viewer.appId, userId: viewer.userId };
  if (viewer.kind === 'admin') {
    if (viewer.actAsGroupAdminOf === groupId) return { appId: viewer.appId, userId: null };
    throw new ForbiddenError('an admin token acts on a group as a user (user_id) or as an admin of that group (group_id)');
  }
  throw new AuthenticationError('TOKEN_MISSING', 'an access token is required');
}

export const parseGroupId = (id: string | number, field = 'groupId') => parseInput(entityId, id, field);

/** Ids of a batch (users, files): at most `max`. */
export const idList = (max: number) => z.array(entityId).max(max, `must have at most ${max} ids`);

/**
 * Loads a group of the viewer's app. Changes pass `lock`, which takes the group's row lock: every
 * change of membership, roles or settings holds it, so capacity, counts and the single owner stay
 * consistent under concurrency. A dissolved group is found only for reading.
 */
export async function findGroup(
  db: Queryable,
  appId: string,
  groupId: number,
  options: { lock?: boolean; dissolved?: boolean } = {},
): Promise<Group> {
  const query = db
    .select()
    .from(groups)
    .where(and(eq(groups.appId, appId), eq(groups.id, groupId)));
  const [group] = options.lock ? await query.for('update') : await query;
  if (!group) throw new NotFoundError('GROUP_NOT_FOUND', `group ${groupId} does not exist`);
  if (group.dissolvedAt && !options.dissolved) throw new NotFoundError('GROUP_NOT_FOUND', `group ${groupId} was dissolved`);
  return group;
}

export async function findMember(db: Queryable, groupId: number, userId: number): Promise<GroupMember | undefined> {
  const [member] = await db
    .select()
    .from(groupMembers)
    .where(and(eq(groupMembers.groupId, groupId), eq(groupMembers.userId, userId)));
  return member;
}

/** One user's memberships among some groups (a dataloader's batch). */
export async function findMemberships(db: Queryable, appId: string, userId: number, groupIds: readonly number[]): Promise<GroupMember[]> {
  if (groupIds.length === 0) return [];
  return db
    .select()
    .from(groupMembers)
    .where(and(eq(groupMembers.appId, appId), eq(groupMembers.userId, userId), inArray(groupMembers.groupId, [...groupIds])));
}

/**
 * The group and the viewer's standing in it, for an action that needs at least `minimum` (null:
 * anyone of the app). An app admin token acting for the group stands as an admin.
 */
export async function actOn(
  db: Queryable,
  viewer: Viewer,
  rawGroupId: string | number,
  minimum: GroupRole | null,
  options: { lock?: boolean; dissolved?: boolean } = {},
): Promise<{ group: Group; actor: Actor }> {
  const groupId = parseGroupId(rawGroupId);
  const { appId, userId } = identity(viewer, groupId);
  const group = await findGroup(db, appId, groupId, options);
  const role = userId === null ? 'ADMIN' : roleOf(group, await findMember(db, groupId, userId));
  const actor = { appId, userId, role };
  if (minimum) requireRole(actor, group, minimum);
  return { group, actor };
}

export function requireRole(actor: Actor, group: Group, minimum: GroupRole) {
  if (atLeast(actor.role, minimum)) return;
  if (actor.role === null) throw new ForbiddenError(`you are not a member of group ${group.id}`, 'NEEDS_GROUP_MEMBER');
  if (minimum === 'ADMIN') throw new ForbiddenError('only the group owner and admins may do this', 'NEEDS_GROUP_ADMIN');
  throw new ForbiddenError('only the group owner may do this', 'NEEDS_GROUP_OWNER');
}

/** The user an action must be done by (leaving, applying, one's own display name): not an app admin. */
export function personOf(actor: Actor): number {
  if (actor.userId === null) throw new ForbiddenError('an admin token must name the user it acts as (user_id) for this');
  return actor.userId;
}

/** Is a member banned from sending at `now`? Expired bans simply stop counting. */
export const isBanned = (member: GroupMember, now = new Date()) => member.bannedUntil !== null && member.bannedUntil > now;

export const isAllBanned = (group: Group, now = new Date()) => group.banAllUntil !== null && group.banAllUntil > now;

/**
 * May this member send to the group now? The owner and admins always may while the group lives;
 * others not while they are banned or everyone is. For the messaging area; GraphQL shows it as
 * `Group.viewerCanSend`.
 */
export function maySend(group: Group, member: GroupMember | undefined, now = new Date()): boolean {
  const role = roleOf(group, member);
  if (group.dissolvedAt || !role) return false;
  if (role !== 'MEMBER') return true;
  return !isBanned(member!, now) && !isAllBanned(group, now);
}

/** maySend for ids, in one query. */
export async function canSendToGroup(db: Queryable, appId: string, groupId: number, userId: number): Promise<boolean> {
  const [row] = await db
    .select({ group: groups, member: groupMembers })
    .from(groups)
    .leftJoin(groupMembers, and(eq(groupMembers.groupId, groups.id), eq(groupMembers.userId, userId)))
    .where(and(eq(groups.appId, appId), eq(groups.id, groupId)));
  return row ? maySend(row.group, row.member ?? undefined) : false;
}
