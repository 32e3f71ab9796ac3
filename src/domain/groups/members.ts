import { and, asc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '../../db/client.js';
import { groupMembers, groups } from '../../db/schema/index.js';
import type { GroupRole } from './vocabulary.js';
import type { Deps } from '../deps.js';
import { ConflictError, type DomainError, ForbiddenError, InvalidInputError } from '../errors.js';
import { afterTimeId, countRows, type Page } from '../paging.js';
import { transaction } from '../transactions.js';
import { entityId, parseInput } from '../validation.js';
import type { Viewer } from '../viewer.js';
import { actOn, type Actor, type Group, type GroupMember, idList, outranks, personOf, roleOf } from './access.js';
import { removeMembers } from './admission.js';
import { lockUsers, ownedCount } from './groups.js';
import { tell, tellMembers } from './notify.js';
import { failure, success, type TargetResult } from './results.js';
import { checksChanged } from '../messages/check-cache.js';

/** A membership with the member's role in the group. */
export type Membership = GroupMember & { role: GroupRole };

export const withRole = (group: Group, member: GroupMember): Membership => ({ ...member, role: roleOf(group, member)! });

const MAX_TARGETS = 500;

/**
 * A page of the members in join order. It reads only the page, from the (group, joined_at,
 * user_id) index, however large the group; the total is the group's kept member count.
 */
export async function listMembers(deps: Deps, viewer: Viewer, groupId: string | number, page: Page) {
  const { group } = await actOn(deps.db, viewer, groupId, 'MEMBER', { dissolved: true });
  const rows = await memberPage(deps.db, group, page);
  return { members: rows.map((m) => withRole(group, m)), total: group.memberCount };
}

export function memberPage(db: Queryable, group: Group, page: Page) {
  return db
    .select()
    .from(groupMembers)
    .where(
      and(
        eq(groupMembers.appId, group.appId),
        eq(groupMembers.groupId, group.id),
        afterTimeId(page.after, groupMembers.joinedAt, groupMembers.userId),
      ),
    )
    .orderBy(asc(groupMembers.joinedAt), asc(groupMembers.userId))
    .limit(page.limit);
}

/** The members among `userIds` (display names, join times), for other members. */
export async function getMembers(deps: Deps, viewer: Viewer, groupId: string | number, userIds: (string | number)[]): Promise<Membership[]> {
  const ids = parseInput(idList(100).min(1, 'must not be empty'), userIds, 'userIds');
  const { group } = await actOn(deps.db, viewer, groupId, 'MEMBER', { dissolved: true });
  const rows = await memberships(deps.db, group, ids);
  return rows.sort((a, b) => ids.indexOf(a.userId) - ids.indexOf(b.userId));
}

async function memberships(db: Queryable, group: Group, ids: number[]): Promise<Membership[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select()
    .from(groupMembers)
    .where(and(eq(groupMembers.groupId, group.id), inArray(groupMembers.userId, ids)));
  return rows.map((m) => withRole(group, m));
}

/** The admins (not the owner), in join order. */
export async function listAdmins(deps: Deps, viewer: Viewer, groupId: string | number): Promise<Membership[]> {
  const { group } = await actOn(deps.db, viewer, groupId, 'MEMBER', { dissolved: true });
  const rows = await deps.db
    .select()
    .from(groupMembers)
    .where(and(eq(groupMembers.groupId, group.id), eq(groupMembers.isAdmin, true)))
    .orderBy(asc(groupMembers.joinedAt), asc(groupMembers.userId));
  return rows.map((m) => withRole(group, m));
}

const mode = (max: number, meaning: string) =>
  z.number({ error: `must be ${meaning}` }).int(`must be ${meaning}`).min(0, `must be ${meaning}`).max(max, `must be ${meaning}`);

const membershipInput = z.object({
  displayName: z.string().max(64, 'must be at most 64 characters').optional(),
  msgMuteMode: mode(2, '0 (normal), 1 (no notification) or 2 (do not receive)').optional(),
  msgPushMode: mode(4, '0 (all), 1 (none), 2 (admins and mentions), 3 (admins) or 4 (mentions)').optional(),
});
export type MembershipInput = z.input<typeof membershipInput>;

/** The viewer's own view of a group: display name, mute and push modes. A bad mode answers INVALID_GROUP_MODE. */
export async function updateMembership(deps: Deps, viewer: Viewer, groupId: string | number, input: MembershipInput): Promise<Membership> {
  const parsed = membershipInput.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0] ?? 'input');
    throw new InvalidInputError(field, issue.message, field === 'displayName' ? 'INVALID_INPUT' : 'INVALID_GROUP_MODE');
  }
  if (Object.values(parsed.data).every((value) => value === undefined)) throw new InvalidInputError('input', 'names nothing to change');
  const { group, actor } = await actOn(deps.db, viewer, groupId, 'MEMBER');
  const [member] = await deps.db
    .update(groupMembers)
    .set(parsed.data)
    .where(and(eq(groupMembers.groupId, group.id), eq(groupMembers.userId, personOf(actor))))
    .returning();
  // The member's own devices follow their view (a stream stops or starts receiving the group).
  if (parsed.data.msgMuteMode !== undefined) tell(deps, deps.db, group, [member!.userId], { type: 'GROUP_UPDATED' });
  return withRole(group, member!);
}

/** The viewer leaves; the owner must hand the group over first (OWNER_CANNOT_LEAVE). */
export async function leaveGroup(deps: Deps, viewer: Viewer, groupId: string | number): Promise<boolean> {
  return transaction(deps.db, async (tx) => {
    const { group, actor } = await actOn(tx, viewer, groupId, 'MEMBER', { lock: true });
    const userId = personOf(actor);
    if (actor.role === 'OWNER') throw new ForbiddenError('the owner must transfer the group before leaving', 'OWNER_CANNOT_LEAVE');
    await removeMembers(tx, group, [userId]);
    checksChanged(deps, tx);
    await tellMembers(deps, tx, group, { type: 'GROUP_MEMBERS_REMOVED', userIds: [userId], reason: 'LEFT' }, [userId]);
    return true;
  });
}

/**
 * Runs a batch action on members of a locked group: ids that are no members fail with
 * NOT_GROUP_MEMBER, `refuse` may fail others; the rest are handed to `apply`.
 */
export async function onMembers(
  tx: Queryable,
  group: Group,
  rawIds: (string | number)[],
  refuse: (target: Membership) => DomainError | undefined,
  apply: (targets: Membership[]) => Promise<void>,
): Promise<TargetResult[]> {
  const ids = [...new Set(parseInput(idList(MAX_TARGETS).min(1, 'must not be empty'), rawIds, 'userIds'))];
  const byId = new Map((await memberships(tx, group, ids)).map((m) => [m.userId, m]));
  const accepted: Membership[] = [];
  const results = ids.map((id) => {
    const target = byId.get(id);
    const error = target ? refuse(target) : new ForbiddenError(`user ${id} is not a member of group ${group.id}`, 'NOT_GROUP_MEMBER');
    if (error) return failure(id, error);
    accepted.push(target!);
    return success(id);
  });
  if (accepted.length > 0) await apply(accepted);
  return results;
}

/** Admins act on members, the owner on admins too, and nobody on the owner. */
export function outrankedBy(actor: Actor, verb: string) {
  return (target: Membership): DomainError | undefined => {
    if (target.role === 'OWNER') return new ForbiddenError(`the group owner cannot be ${verb}`);
    if (!outranks(actor.role, target.role)) return new ForbiddenError(`only the group owner may act on an admin`, 'NEEDS_GROUP_OWNER');
    return undefined;
  };
}

/** Admins: removes members (the owner removes admins too); they and the members are told. */
export async function kickMembers(deps: Deps, viewer: Viewer, groupId: string | number, userIds: (string | number)[]) {
  return transaction(deps.db, async (tx) => {
    const { group, actor } = await actOn(tx, viewer, groupId, 'ADMIN', { lock: true });
    return onMembers(tx, group, userIds, outrankedBy(actor, 'kicked'), async (targets) => {
      const ids = targets.map((t) => t.userId);
      await removeMembers(tx, group, ids);
      checksChanged(deps, tx);
      await tellMembers(deps, tx, group, { type: 'GROUP_MEMBERS_REMOVED', userIds: ids, reason: 'KICKED' }, ids);
    });
  });
}

/** The owner makes members admins, up to the admin limit (GROUP_ADMINS_QUOTA). */
export async function addAdmins(deps: Deps, viewer: Viewer, groupId: string | number, userIds: (string | number)[]) {
  const { adminLimit } = deps.config.groups;
  return transaction(deps.db, async (tx) => {
    const { group } = await actOn(tx, viewer, groupId, 'OWNER', { lock: true });
    let admins = await adminCount(tx, group);
    const refuse = (target: Membership) => {
      if (target.role === 'OWNER') return new ForbiddenError('the owner is not made an admin');
      if (target.role === 'ADMIN') return undefined;
      if (admins >= adminLimit) return new ConflictError('GROUP_ADMINS_QUOTA', 'userIds', `a group may have at most ${adminLimit} admins`);
      admins += 1;
      return undefined;
    };
    return onMembers(tx, group, userIds, refuse, (targets) => setAdmin(deps, tx, group, targets, true));
  });
}

/** The owner makes admins members again. */
export async function removeAdmins(deps: Deps, viewer: Viewer, groupId: string | number, userIds: (string | number)[]) {
  return transaction(deps.db, async (tx) => {
    const { group } = await actOn(tx, viewer, groupId, 'OWNER', { lock: true });
    const refuse = (target: Membership) => (target.role === 'OWNER' ? new ForbiddenError('the owner is not an admin') : undefined);
    return onMembers(tx, group, userIds, refuse, (targets) => setAdmin(deps, tx, group, targets, false));
  });
}

const adminCount = (tx: Queryable, group: Group) =>
  countRows(tx, groupMembers, and(eq(groupMembers.groupId, group.id), eq(groupMembers.isAdmin, true)));

async function setAdmin(deps: Deps, tx: Queryable, group: Group, targets: Membership[], isAdmin: boolean) {
  const changed = targets.filter((t) => t.isAdmin !== isAdmin).map((t) => t.userId);
  if (changed.length === 0) return;
  await tx
    .update(groupMembers)
    .set({ isAdmin })
    .where(and(eq(groupMembers.groupId, group.id), inArray(groupMembers.userId, changed)));
  checksChanged(deps, tx);
  const role = isAdmin ? 'ADMIN' : 'MEMBER';
  await tellMembers(deps, tx, group, { type: 'GROUP_ROLES_CHANGED', changes: changed.map((userId) => ({ userId, role })) });
}

/** The owner hands the group to a member (NEW_OWNER_NOT_MEMBER otherwise) and becomes a plain member. */
export async function transferOwnership(deps: Deps, viewer: Viewer, groupId: string | number, newOwnerId: string | number): Promise<Group> {
  const newOwner = parseInput(entityId, newOwnerId, 'newOwnerId');
  return transaction(deps.db, async (tx) => {
    const { group } = await actOn(tx, viewer, groupId, 'OWNER', { lock: true });
    if (newOwner === group.ownerId) throw new InvalidInputError('newOwnerId', 'is the owner already');
    const [target] = await memberships(tx, group, [newOwner]);
    if (!target) throw new ForbiddenError(`user ${newOwner} is not a member of group ${group.id}`, 'NEW_OWNER_NOT_MEMBER');
    await lockUsers(tx, group.appId, [newOwner]);
    const { ownedLimit } = deps.config.groups;
    if ((await ownedCount(tx, group.appId, newOwner)) >= ownedLimit) {
      throw new ConflictError('OWNED_GROUPS_QUOTA', 'newOwnerId', `a user may own at most ${ownedLimit} groups`);
    }
    const [updated] = await tx.update(groups).set({ ownerId: newOwner, updatedAt: new Date() }).where(eq(groups.id, group.id)).returning();
    await tx
      .update(groupMembers)
      .set({ isAdmin: false })
      .where(and(eq(groupMembers.groupId, group.id), inArray(groupMembers.userId, [newOwner, group.ownerId])));
    checksChanged(deps, tx);
    const changes = [
      { userId: newOwner, role: 'OWNER' as const },
      { userId: group.ownerId, role: 'MEMBER' as const },
    ];
    await tellMembers(deps, tx, group, { type: 'GROUP_ROLES_CHANGED', changes });
    return updated!;
  });
}
