import { and, asc, eq, gt, inArray, isNull, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import {
  blocks,
  devices,
  friendRequests,
  groupApplications,
  groupInvitations,
  groupMembers,
  groups,
  messages,
  openIds,
  pushTags,
  roster,
  users,
  userSettings,
} from '../../db/schema/index.js';
import type { Deps } from '../deps.js';
import { AuthenticationError, ForbiddenError, NotFoundError } from '../errors.js';
import { verifyPassword } from '../secrets.js';
import { transaction } from '../transactions.js';
import { entityId, parseInput } from '../validation.js';
import { requireAdmin, requireUser, type Viewer } from '../viewer.js';
import { endSessions } from './tokens.js';
import { getUser } from './users.js';
import { checksChanged } from '../messages/check-cache.js';

/**
 * Account deletion (docs/architecture.md, "Account deletion and export"): the user row stays as an
 * anonymised tombstone, so the messages others received still name a sender ("deleted user");
 * everything else that is the user's goes. One transaction: a failure changes nothing.
 */
export async function deleteOwnAccount(deps: Deps, viewer: Viewer, password: string): Promise<number> {
  const user = requireUser(viewer);
  const current = await getUser(deps.db, user.appId, user.userId);
  if (!(await verifyPassword(current.passwordHash, password))) throw new AuthenticationError('BAD_CREDENTIALS', 'the password is wrong');
  await eraseUser(deps, user.appId, user.userId);
  return user.userId;
}

/** Admin: deletes a user of the app, as deleteOwnAccount does. */
export async function deleteUser(deps: Deps, viewer: Viewer, userId: string | number): Promise<number> {
  const { appId } = requireAdmin(viewer);
  const id = parseInput(entityId, userId, 'userId');
  await eraseUser(deps, appId, id);
  return id;
}

async function eraseUser(deps: Deps, appId: string, userId: number) {
  await transaction(deps.db, async (tx) => {
    const [row] = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.appId, appId), eq(users.id, userId), isNull(users.deletedAt)))
      .for('update');
    if (!row) throw new NotFoundError('USER_NOT_FOUND', `user ${userId} does not exist`);
    const [owned] = await tx
      .select({ id: groups.id })
      .from(groups)
      .where(and(eq(groups.appId, appId), eq(groups.ownerId, userId), isNull(groups.dissolvedAt)))
      .limit(1);
    if (owned) throw new ForbiddenError(`the user owns group ${owned.id}: transfer or dissolve it first`, 'OWNER_CANNOT_LEAVE');

    await endSessions(deps, appId, userId, sql`true`, 'ACCOUNT_DELETED', tx);
    checksChanged(deps, tx);
    const left = await tx
      .delete(groupMembers)
      .where(and(eq(groupMembers.appId, appId), eq(groupMembers.userId, userId)))
      .returning({ groupId: groupMembers.groupId });
    if (left.length > 0) {
      await tx
        .update(groups)
        .set({ memberCount: sql`${groups.memberCount} - 1` })
        .where(inArray(groups.id, left.map((l) => l.groupId)));
    }
    await tx.delete(groupApplications).where(and(eq(groupApplications.appId, appId), eq(groupApplications.userId, userId)));
    await tx.delete(groupInvitations).where(and(eq(groupInvitations.appId, appId), eq(groupInvitations.userId, userId)));
    await tx.delete(roster).where(and(eq(roster.appId, appId), or(eq(roster.userId, userId), eq(roster.friendId, userId))));
    await tx
      .delete(friendRequests)
      .where(and(eq(friendRequests.appId, appId), or(eq(friendRequests.fromUserId, userId), eq(friendRequests.toUserId, userId))));
    await tx.delete(blocks).where(and(eq(blocks.appId, appId), or(eq(blocks.userId, userId), eq(blocks.blockedId, userId))));
    await tx.delete(pushTags).where(and(eq(pushTags.appId, appId), eq(pushTags.userId, userId)));
    await tx.delete(openIds).where(and(eq(openIds.appId, appId), eq(openIds.userId, userId)));
    await tx.delete(devices).where(and(eq(devices.appId, appId), eq(devices.userId, userId)));
    await tx
      .update(userSettings)
      .set({ authQuestion: '', authAnswer: '', pushNickName: '', updatedAt: new Date() })
      .where(eq(userSettings.userId, userId));
    await tx
      .update(users)
      .set({
        // Not a valid username (no '-' is allowed there): it frees the name and cannot collide.
        username: `deleted-${userId}`,
        // Not an argon2 hash: no password matches it.
        passwordHash: '!',
        mobile: null,
        email: null,
        nickName: null,
        avatar: null,
        description: null,
        publicInfo: null,
        privateInfo: null,
        ext: null,
        pushAlias: null,
        disabledAt: sql`coalesce(${users.disabledAt}, now())`,
        deletedAt: new Date(),
        updatedAt: new Date(),
      })
      .where(eq(users.id, userId));
  });
}

const MAX_EXPORT_PAGE = 1000;

export interface UserDataExport {
  profile: Record<string, unknown>;
  settings: Record<string, unknown> | null;
  contacts: Record<string, unknown>[];
  blocked: number[];
  groups: Record<string, unknown>[];
  /** A page of the messages the user sent, oldest first. */
  messages: Record<string, unknown>[];
  /** Pass as `after` for the next page of messages; null when this page is the last. */
  endCursor: string | null;
}

const exportPage = z.object({
  after: z.coerce.number().int().min(0).optional(),
  first: z.number().int().min(1).max(MAX_EXPORT_PAGE),
});

/**
 * A user's data as JSON (GDPR access): their own (userId absent or theirs), or any user of the
 * app's for an admin. Messages come a page at a time, so neither side holds a whole history.
 */
export async function exportUserData(
  deps: Deps,
  viewer: Viewer,
  args: { userId?: string | null; after?: string | null; first?: number | null },
): Promise<UserDataExport> {
  const { appId, userId } = exportTarget(viewer, args.userId);
  const page = parseInput(exportPage, { after: args.after ?? undefined, first: args.first ?? 500 });
  const db = deps.db;
  const [user] = await db.select().from(users).where(and(eq(users.appId, appId), eq(users.id, userId)));
  if (!user) throw new NotFoundError('USER_NOT_FOUND', `user ${userId} does not exist`);
  const { passwordHash: _hash, ...profile } = user;
  const [settings] = await db.select().from(userSettings).where(eq(userSettings.userId, userId));
  const contacts = await db
    .select({ friendId: roster.friendId, relation: roster.relation, alias: roster.alias, ext: roster.ext, since: roster.createdAt })
    .from(roster)
    .where(and(eq(roster.appId, appId), eq(roster.userId, userId)))
    .orderBy(asc(roster.friendId));
  const blocked = await db.select({ id: blocks.blockedId }).from(blocks).where(and(eq(blocks.appId, appId), eq(blocks.userId, userId)));
  const memberships = await db
    .select({ groupId: groupMembers.groupId, isAdmin: groupMembers.isAdmin, displayName: groupMembers.displayName, joinedAt: groupMembers.joinedAt })
    .from(groupMembers)
    .where(and(eq(groupMembers.appId, appId), eq(groupMembers.userId, userId)))
    .orderBy(asc(groupMembers.groupId));
  const sent = await db
    .select({
      id: messages.id,
      toKind: messages.toKind,
      toId: messages.toId,
      contentType: messages.contentType,
      content: messages.content,
      attachment: messages.attachment,
      ext: messages.ext,
      sentAt: messages.createdAt,
    })
    .from(messages)
    .where(and(eq(messages.appId, appId), eq(messages.fromUserId, userId), page.after === undefined ? undefined : gt(messages.id, page.after)))
    .orderBy(asc(messages.id))
    .limit(page.first + 1);
  const more = sent.length > page.first;
  const pageOfMessages = more ? sent.slice(0, page.first) : sent;
  return {
    profile,
    settings: settings ? { ...settings, authAnswer: settings.authAnswer ? '(set)' : '' } : null,
    contacts,
    blocked: blocked.map((b) => b.id),
    groups: memberships,
    messages: pageOfMessages.map((m) => ({ ...m, toKind: m.toKind === 2 ? 'GROUP' : 'USER' })),
    endCursor: more ? String(pageOfMessages.at(-1)!.id) : null,
  };
}

function exportTarget(viewer: Viewer, userId: string | null | undefined): { appId: string; userId: number } {
  if (viewer.kind === 'admin') {
    if (userId == null) throw new ForbiddenError('an admin names the user to export (userId)');
    return { appId: viewer.appId, userId: parseInput(entityId, userId, 'userId') };
  }
  const user = requireUser(viewer);
  if (userId != null && parseInput(entityId, userId, 'userId') !== user.userId) throw new ForbiddenError('users export only their own data');
  return { appId: user.appId, userId: user.userId };
}
