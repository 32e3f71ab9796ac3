import { emitEvent } from '../push/outbox.js';
import { and, asc, count, eq, inArray, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '../../db/client.js';
import { groupMembers, groups, users } from '../../db/schema/index.js';
import type { Deps } from '../deps.js';
import { ConflictError, ForbiddenError, InvalidInputError } from '../errors.js';
import { afterId, countRows, type Page } from '../paging.js';
import { transaction } from '../transactions.js';
import * as v from '../validation.js';
import { parseInput } from '../validation.js';
import { requireUser, type Viewer } from '../viewer.js';
import { actOn, FOREVER, findGroup, idList, parseGroupId, PUBLIC, readerApp, type Group } from './access.js';
import { screen } from './admission.js';
import { inviteScreened } from './invitations.js';
import { tellMembers } from './notify.js';
import type { TargetResult } from './results.js';
import { checksChanged } from '../messages/check-cache.js';

const text = (max: number) => z.string().max(max, `must be at most ${max} characters`);
const groupName = z.string({ error: 'is required' }).trim().min(1, 'must not be empty').max(64, 'must be at most 64 characters');

const infoFields = {
  name: groupName,
  description: text(512),
  avatar: text(1024),
  ext: v.jsonText(8192),
};

const settingsFields = {
  memberInvite: z.boolean(),
  memberModify: z.boolean(),
  historyVisible: z.boolean(),
  readAck: z.boolean(),
  applyApproval: z
    .number({ error: 'must be 0 (accept all), 1 (admins approve) or 2 (refuse all)' })
    .int('must be 0 (accept all), 1 (admins approve) or 2 (refuse all)')
    .min(0, 'must be 0 (accept all), 1 (admins approve) or 2 (refuse all)')
    .max(2, 'must be 0 (accept all), 1 (admins approve) or 2 (refuse all)'),
};

const createInput = z.object({
  type: z
    .number({ error: 'must be 0 (private), 1 (public) or 2 (chatroom)' })
    .int('must be 0 (private), 1 (public) or 2 (chatroom)')
    .min(0, 'must be 0 (private), 1 (public) or 2 (chatroom)')
    .max(2, 'must be 0 (private), 1 (public) or 2 (chatroom)')
    .default(0),
  name: infoFields.name,
  description: infoFields.description.optional(),
  avatar: infoFields.avatar.optional(),
  ext: infoFields.ext.optional(),
  memberIds: idList(500).default([]),
  reason: text(256).default(''),
  ...z.object(settingsFields).partial().shape,
});
export type CreateGroupInput = z.input<typeof createInput>;

export interface CreatedGroup {
  group: Group;
  /** One per invitee: joined at once, invited (they confirm invitations themselves), or why not. */
  invitees: TargetResult[];
}

/**
 * Creates a group owned by the viewer. Each invitee joins at once or receives an invitation,
 * by their group_confirm setting; the answer says which, per user.
 */
export async function createGroup(deps: Deps, viewer: Viewer, input: CreateGroupInput): Promise<CreatedGroup> {
  const { appId, userId } = requireUser(viewer);
  const { memberIds, reason, ...fields } = parseInput(createInput, input);
  const { capacity, ownedLimit } = deps.config.groups;
  return transaction(deps.db, async (tx) => {
    // Locks the owner's user row (with the invitees', in id order): serialises the owned quota.
    await lockUsers(tx, appId, [userId, ...memberIds]);
    if ((await ownedCount(tx, appId, userId)) >= ownedLimit) {
      throw new ConflictError('OWNED_GROUPS_QUOTA', 'userId', `a user may own at most ${ownedLimit} groups`);
    }
    const [group] = await tx.insert(groups).values({ ...fields, appId, ownerId: userId, capacity }).returning();
    // Told before its members' joining (group.members_changed), in the order they happened.
    await emitEvent(tx, appId, 'group.created', group!.id, { groupId: String(group!.id), ownerId: String(userId), name: group!.name });
    const [owner, ...invited] = await screen(tx, group!, [userId, ...memberIds.filter((id) => id !== userId)]);
    // The owner joins with the invitees who join at once: one event tells them all.
    const [own, ...invitees] = await inviteScreened(deps, tx, group!, userId, [{ ...owner!, groupConfirm: false }, ...invited], reason);
    if (own!.error) throw own!.error;
    return { group: group!, invitees };
  });
}

export async function lockUsers(db: Queryable, appId: string, ids: number[]) {
  await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.appId, appId), inArray(users.id, [...new Set(ids)])))
    .orderBy(users.id)
    .for('no key update');
}

/** Live groups a user owns; the caller holds the user's row lock. */
export async function ownedCount(db: Queryable, appId: string, userId: number): Promise<number> {
  return countRows(db, groups, and(eq(groups.appId, appId), eq(groups.ownerId, userId), isNull(groups.dissolvedAt)));
}

/** The owner dissolves the group: it stays readable as dissolved, nothing more can be sent, members are told. */
export async function destroyGroup(deps: Deps, viewer: Viewer, groupId: string | number): Promise<boolean> {
  return transaction(deps.db, async (tx) => {
    const { group } = await actOn(tx, viewer, groupId, 'OWNER', { lock: true });
    const now = new Date();
    await tx.update(groups).set({ dissolvedAt: now, updatedAt: now }).where(eq(groups.id, group.id));
    checksChanged(deps, tx);
    await tellMembers(deps, tx, group, { type: 'GROUP_DISSOLVED' });
    await emitEvent(tx, group.appId, 'group.dissolved', group.id, { groupId: String(group.id) });
    return true;
  });
}

/** A group of the viewer's app, dissolved or not: anyone of the app may read its info. */
export async function getGroup(deps: Deps, viewer: Viewer, groupId: string | number): Promise<Group> {
  return findGroup(deps.db, readerApp(viewer), parseGroupId(groupId), { dissolved: true });
}

const MAX_BATCH = 100;

/** Several groups of the viewer's app, in the order asked; ids of no group are left out. */
export async function getGroups(deps: Deps, viewer: Viewer, groupIds: (string | number)[]): Promise<Group[]> {
  const appId = readerApp(viewer);
  const ids = parseInput(idList(MAX_BATCH).min(1, 'must not be empty'), groupIds, 'groupIds');
  const rows = await findGroups(deps.db, appId, ids);
  const byId = new Map(rows.map((g) => [g.id, g]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

export async function findGroups(db: Queryable, appId: string, ids: readonly number[]): Promise<Group[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(groups)
    .where(and(eq(groups.appId, appId), inArray(groups.id, [...ids])));
}

// A literal, not a parameter, so that even a generic plan of this prepared statement can use the partial index.
const isPublic = sql`${groups.type} = ${sql.raw(String(PUBLIC))}`;

/** Public groups of the viewer's app, by id. */
export async function listPublicGroups(deps: Deps, viewer: Viewer, page: Page): Promise<Group[]> {
  const appId = readerApp(viewer);
  return deps.db
    .select()
    .from(groups)
    .where(and(eq(groups.appId, appId), isPublic, isNull(groups.dissolvedAt), afterId(page.after, groups.id)))
    .orderBy(asc(groups.id))
    .limit(page.limit);
}

/** How many public groups the viewer's app has (dissolved ones aside). */
export async function countPublicGroups(deps: Deps, viewer: Viewer): Promise<number> {
  return countRows(deps.db, groups, and(eq(groups.appId, readerApp(viewer)), isPublic, isNull(groups.dissolvedAt)));
}

/** How many live groups the viewer belongs to. */
export async function countJoinedGroups(deps: Deps, viewer: Viewer): Promise<number> {
  const { appId, userId } = requireUser(viewer);
  const [row] = await deps.db
    .select({ n: count() })
    .from(groupMembers)
    .innerJoin(groups, eq(groups.id, groupMembers.groupId))
    .where(and(eq(groupMembers.appId, appId), eq(groupMembers.userId, userId), isNull(groups.dissolvedAt)));
  return row!.n;
}

/** The live groups the viewer belongs to, by id. */
export async function listJoinedGroups(deps: Deps, viewer: Viewer, page: Page): Promise<Group[]> {
  const { appId, userId } = requireUser(viewer);
  const rows = await deps.db
    .select({ group: groups })
    .from(groupMembers)
    .innerJoin(groups, eq(groups.id, groupMembers.groupId))
    .where(
      and(
        eq(groupMembers.appId, appId),
        eq(groupMembers.userId, userId),
        isNull(groups.dissolvedAt),
        afterId(page.after, groupMembers.groupId),
      ),
    )
    .orderBy(asc(groupMembers.groupId))
    .limit(page.limit);
  return rows.map((r) => r.group);
}

const infoInput = z.object(infoFields).partial();
export type GroupInfoInput = z.input<typeof infoInput>;

/** Name, description, avatar, ext: admins change them, and members too when member_modify is on. */
export async function updateGroupInfo(deps: Deps, viewer: Viewer, groupId: string | number, input: GroupInfoInput): Promise<Group> {
  const changes = nonEmpty(parseInput(infoInput, input));
  return transaction(deps.db, async (tx) => {
    const { group, actor } = await actOn(tx, viewer, groupId, 'MEMBER', { lock: true });
    if (actor.role === 'MEMBER' && !group.memberModify) {
      throw new ForbiddenError('only admins may change this group (member_modify is off)', 'NEEDS_GROUP_ADMIN');
    }
    return applyChanges(deps, tx, group, changes);
  });
}

const settingsInput = z.object(settingsFields).partial();
export type GroupSettingsInput = z.input<typeof settingsInput>;

/** member_invite, member_modify, history_visible, read_ack, apply_approval: admins only. */
export async function updateGroupSettings(
  deps: Deps,
  viewer: Viewer,
  groupId: string | number,
  input: GroupSettingsInput,
): Promise<Group> {
  const changes = nonEmpty(parseInput(settingsInput, input));
  return transaction(deps.db, async (tx) => {
    const { group } = await actOn(tx, viewer, groupId, 'ADMIN', { lock: true });
    return applyChanges(deps, tx, group, changes);
  });
}

const MAX_BAN_MINUTES = 10 * 365 * 24 * 60;
export const banMinutes = z
  .number({ error: `must be 1 to ${MAX_BAN_MINUTES} minutes` })
  .int(`must be 1 to ${MAX_BAN_MINUTES} minutes`)
  .min(1, `must be 1 to ${MAX_BAN_MINUTES} minutes`)
  .max(MAX_BAN_MINUTES, `must be 1 to ${MAX_BAN_MINUTES} minutes`);

/**
 * Admins: only admins may send for `minutes` (absent or -1: until lifted). Expiry needs no job:
 * every check compares with the time.
 */
export async function banAll(deps: Deps, viewer: Viewer, groupId: string | number, minutes?: number): Promise<Group> {
  const forever = minutes === undefined || minutes === -1;
  const until = forever ? FOREVER : new Date(Date.now() + parseInput(banMinutes, minutes, 'minutes') * 60_000);
  return transaction(deps.db, async (tx) => {
    const { group } = await actOn(tx, viewer, groupId, 'ADMIN', { lock: true });
    return applyChanges(deps, tx, group, { banAllUntil: until });
  });
}

export async function unbanAll(deps: Deps, viewer: Viewer, groupId: string | number): Promise<Group> {
  return transaction(deps.db, async (tx) => {
    const { group } = await actOn(tx, viewer, groupId, 'ADMIN', { lock: true });
    return applyChanges(deps, tx, group, { banAllUntil: null });
  });
}

async function applyChanges(deps: Deps, tx: Queryable, group: Group, changes: Partial<Group>): Promise<Group> {
  const [updated] = await tx
    .update(groups)
    .set({ ...changes, updatedAt: sql`now()` })
    .where(eq(groups.id, group.id))
    .returning();
  checksChanged(deps, tx);
  await tellMembers(deps, tx, group, { type: 'GROUP_UPDATED' });
  return updated!;
}

function nonEmpty<T extends Record<string, unknown>>(changes: T): T {
  if (Object.values(changes).every((value) => value === undefined)) throw new InvalidInputError('input', 'names nothing to change');
  return changes;
}
