import { and, asc, eq, gt, inArray, isNotNull, isNull, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import {
  apps,
  blocks,
  connections,
  conversations,
  devices,
  fileRefs,
  FILE_PURPOSE,
  groupAnnouncements,
  groupFiles,
  friendRequests,
  groupApplications,
  groupInvitations,
  groupMembers,
  groups,
  messages,
  openIds,
  pushDeliveries,
  pushTags,
  roster,
  users,
  userSettings,
} from '../../db/schema/index.js';
import type { Tx } from '../../db/client.js';
import type { Deps } from '../deps.js';
import { AuthenticationError, ForbiddenError, InvalidInputError, NotFoundError } from '../errors.js';
import { purgeFiles, releaseReferences } from '../files/release.js';
import { CONVERSATION } from '../messages/vocabulary.js';
import { verifyPassword } from '../secrets.js';
import { transaction } from '../transactions.js';
import { entityId, parseInput } from '../validation.js';
import { requireAdmin, requireUser, type Viewer } from '../viewer.js';
import { endSessions } from './tokens.js';
import { getUser } from './users.js';
import { checksChanged } from '../messages/check-cache.js';

/**
 * Account deletion (docs/architecture.md, "Account deletion and export"), as the app chooses
 * (`setAccountDeletion`):
 * - `anonymise` (the default): the user row stays as an anonymised tombstone, so the messages others
 *   received still name a sender ("deleted user"); everything else that is the user's goes.
 * - `remove`: the user's rows go too (see removeUser).
 * Either way one transaction: a failure changes nothing.
 */
export async function deleteOwnAccount(deps: Deps, viewer: Viewer, password: string): Promise<number> {
  const user = requireUser(viewer);
  const current = await getUser(deps.db, user.appId, user.userId);
  if (!(await verifyPassword(current.passwordHash, password))) throw new AuthenticationError('BAD_CREDENTIALS', 'the password is wrong');
  await deleteAccount(deps, user.appId, user.userId);
  return user.userId;
}

/** Admin: deletes a user of the app, as deleteOwnAccount does. */
export async function deleteUser(deps: Deps, viewer: Viewer, userId: string | number): Promise<number> {
  const { appId } = requireAdmin(viewer);
  const id = parseInput(entityId, userId, 'userId');
  await deleteAccount(deps, appId, id);
  return id;
}

export const ACCOUNT_DELETION_MODES = ['anonymise', 'remove'] as const;
export type AccountDeletionMode = (typeof ACCOUNT_DELETION_MODES)[number];

/** Admin: what deleting one of the app's users does from now on. */
export async function setAccountDeletion(deps: Deps, viewer: Viewer, mode: AccountDeletionMode): Promise<AccountDeletionMode> {
  const { appId } = requireAdmin(viewer);
  if (!ACCOUNT_DELETION_MODES.includes(mode)) throw new InvalidInputError('mode', `must be one of ${ACCOUNT_DELETION_MODES.join(', ')}`);
  await deps.db.update(apps).set({ accountDeletion: mode }).where(eq(apps.id, appId));
  return mode;
}

export async function accountDeletionOf(deps: Deps, viewer: Viewer): Promise<AccountDeletionMode> {
  const { appId } = requireAdmin(viewer);
  const [app] = await deps.db.select({ mode: apps.accountDeletion }).from(apps).where(eq(apps.id, appId));
  return app?.mode ?? 'anonymise';
}

async function deleteAccount(deps: Deps, appId: string, userId: number) {
  const orphaned = await transaction(deps.db, async (tx) => {
    // The app's row is read in the transaction: a mode changed meanwhile applies to the next deletion.
    const [app] = await tx.select({ mode: apps.accountDeletion }).from(apps).where(eq(apps.id, appId));
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
    await leaveEverything(tx, appId, userId);
    if (app?.mode === 'remove') return removeUser(tx, appId, userId);
    await anonymiseUser(tx, userId);
    return [];
  });
  // The bytes of files nothing refers to any more go once the rows are gone (the sweeper retries a failure).
  await purgeFiles(deps, orphaned);
}

/** What both modes take away: groups joined, contacts, requests, blocks, devices and push settings. */
async function leaveEverything(tx: Tx, appId: string, userId: number) {
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
}

async function anonymiseUser(tx: Tx, userId: number) {
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
}

/**
 * `remove`: the user's rows are deleted, and with them what they wrote. Others' conversations keep
 * their shape:
 * - one-to-one conversations with the user are deleted whole (both sides' messages): there is no
 *   one left on the other end, and nothing of the user may remain in them;
 * - in groups, each message the user sent stays as a recalled, empty message without a sender, so
 *   seqs stay gap-free for the members (a client that cached it sees the change on its next read);
 * - files: the user's avatar, the files their deleted messages carried and the files they shared in
 *   groups go (their bytes too, unless something else still refers to them);
 * - groups the user owned and dissolved go, with their conversations; announcements they wrote stay,
 *   without an author; invitations they sent go;
 * - devices, tokens, settings, contacts, requests, blocks and presence rows go; the audit log keeps
 *   the id of a user an admin acted as (it is the app's record, not the user's).
 * Returns the stored files left without references, for purging after commit.
 */
async function removeUser(tx: Tx, appId: string, userId: number): Promise<number[]> {
  const refIds = new Set<number>();
  const collect = (rows: { ref: number | null }[]) => rows.forEach((r) => r.ref !== null && refIds.add(r.ref));

  // One-to-one conversations with the user, and the conversations of the groups they owned and dissolved.
  const dissolved = await tx
    .select({ id: groups.id })
    .from(groups)
    .where(and(eq(groups.appId, appId), eq(groups.ownerId, userId)));
  const dissolvedIds = dissolved.map((g) => g.id);
  const doomed = await tx
    .select({ id: conversations.id })
    .from(conversations)
    .where(
      and(
        eq(conversations.appId, appId),
        or(
          and(eq(conversations.kind, CONVERSATION.DIRECT), or(eq(conversations.userLow, userId), eq(conversations.userHigh, userId))),
          dissolvedIds.length > 0 ? and(eq(conversations.kind, CONVERSATION.GROUP), inArray(conversations.groupId, dissolvedIds)) : undefined,
        ),
      ),
    );
  const doomedIds = doomed.map((c) => c.id);
  if (doomedIds.length > 0) {
    // Messages and positions go with their conversation (ON DELETE CASCADE).
    collect(await tx.delete(messages).where(inArray(messages.conversationId, doomedIds)).returning({ ref: messages.fileRefId }));
    await tx.delete(conversations).where(inArray(conversations.id, doomedIds));
  }
  if (dissolvedIds.length > 0) {
    collect(await tx.delete(groupFiles).where(and(eq(groupFiles.appId, appId), inArray(groupFiles.groupId, dissolvedIds))).returning({ ref: groupFiles.fileRefId }));
    // Members, requests, announcements and blocks go with the group (ON DELETE CASCADE).
    await tx.delete(groups).where(and(eq(groups.appId, appId), inArray(groups.id, dissolvedIds)));
  }

  // In groups: each message the user sent becomes a recalled, empty one without a sender.
  const mine = and(eq(messages.appId, appId), eq(messages.fromUserId, userId));
  collect(await tx.select({ ref: messages.fileRefId }).from(messages).where(and(mine, isNotNull(messages.fileRefId))).for('update'));
  await tx
    .update(messages)
    .set({
      content: '',
      attachment: '',
      config: '',
      ext: '',
      mentions: sql`'{}'`,
      fromUserId: null,
      fromDeviceSn: null,
      transactionId: null,
      fileRefId: null,
      recalledAt: sql`coalesce(${messages.recalledAt}, now())`,
    })
    .where(mine);
  collect(await tx.delete(groupFiles).where(and(eq(groupFiles.appId, appId), eq(groupFiles.uploaderId, userId))).returning({ ref: groupFiles.fileRefId }));
  await tx.update(groupAnnouncements).set({ authorId: null }).where(and(eq(groupAnnouncements.appId, appId), eq(groupAnnouncements.authorId, userId)));
  await tx.delete(groupInvitations).where(and(eq(groupInvitations.appId, appId), eq(groupInvitations.inviterId, userId)));

  // The user's file references (their avatar, uploads): those nothing refers to any more go; any
  // still in use elsewhere (a file forwarded into a group) stay, without an owner.
  const owned = await tx
    .select({ ref: fileRefs.id })
    .from(fileRefs)
    .where(
      and(
        eq(fileRefs.appId, appId),
        or(eq(fileRefs.ownerId, userId), and(eq(fileRefs.purpose, FILE_PURPOSE.USER_AVATAR), eq(fileRefs.scopeLow, userId))),
      ),
    );
  collect(owned);
  const orphaned = await releaseReferences(tx, [...refIds]);
  await tx.update(fileRefs).set({ ownerId: null }).where(and(eq(fileRefs.appId, appId), eq(fileRefs.ownerId, userId)));

  await tx.delete(connections).where(and(eq(connections.appId, appId), eq(connections.userId, userId)));
  await tx.delete(pushDeliveries).where(and(eq(pushDeliveries.appId, appId), eq(pushDeliveries.userId, userId)));
  // Settings, tokens, positions in conversations and the rest keyed by the user go with the row (ON DELETE CASCADE).
  await tx.delete(users).where(and(eq(users.appId, appId), eq(users.id, userId)));
  return orphaned;
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
