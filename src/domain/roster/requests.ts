import { countRows } from '../paging.js';
import { and, desc, eq, lt } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '../../db/client.js';
import { friendRequests, userSettings } from '../../db/schema/index.js';
import { REQUEST_STATUS } from '../requests.js';
import { findUser } from '../accounts/users.js';
import type { Deps } from '../deps.js';
import {
  ConflictError,
  DomainError,
  ForbiddenError,
  InvalidInputError,
  isUniqueViolation,
  NotFoundError,
} from '../errors.js';
import { notifyUsers } from '../notify.js';
import { transaction } from '../transactions.js';
import { entityId, parseInput } from '../validation.js';
import { requireUser, type UserViewer, type Viewer } from '../viewer.js';
import { areFriends, befriend, hasBlocked } from './relations.js';
import { checksChanged } from '../messages/check-cache.js';

export type FriendRequest = typeof friendRequests.$inferSelect;

/** A friend request of the app, by id. */
export async function findFriendRequest(db: Queryable, appId: string, id: number): Promise<FriendRequest | undefined> {
  const [row] = await db
    .select()
    .from(friendRequests)
    .where(and(eq(friendRequests.appId, appId), eq(friendRequests.id, id)));
  return row;
}

const applyInput = z.object({
  userId: entityId,
  reason: z.string().max(256, 'must be at most 256 characters').default(''),
  alias: z.string().max(64, 'must be at most 64 characters').default(''),
  authAnswer: z.string().max(256, 'must be at most 256 characters').optional(),
});
export type ApplyInput = z.input<typeof applyInput>;

export interface ApplyResult {
  /** FRIENDS when the friendship exists now; PENDING when the target must answer. */
  status: 'FRIENDS' | 'PENDING';
  request: FriendRequest | undefined;
}

/**
 * Asks another user of the app to be friends. The target's auth_mode decides: 0 friends at once,
 * 1 a pending request that expires, 2 friends at once if the answer matches, 3 refused. When the
 * target has already asked the viewer, the two simply become friends.
 */
export async function applyFriend(deps: Deps, viewer: Viewer, input: ApplyInput): Promise<ApplyResult> {
  const me = requireUser(viewer);
  const { userId: targetId, reason, alias, authAnswer } = parseInput(applyInput, input);
  return transaction(deps.db, (tx) => apply(deps, tx, me, { targetId, reason, alias, authAnswer }));
}

async function apply(
  deps: Deps,
  tx: Queryable,
  me: UserViewer,
  { targetId, reason, alias, authAnswer }: { targetId: number; reason: string; alias: string; authAnswer?: string },
): Promise<ApplyResult> {
  if (targetId === me.userId) throw new InvalidInputError('userId', 'you cannot be your own friend');
  if (!(await findUser(tx, me.appId, targetId))) throw new NotFoundError('USER_NOT_FOUND', `user ${targetId} does not exist`);
  if (await areFriends(tx, me.userId, targetId)) throw new ConflictError('ALREADY_FRIENDS', 'userId', 'you are friends already');
  if (await hasBlocked(tx, targetId, me.userId)) throw new ForbiddenError('this user has blocked you', 'BLOCKED');

  const theirs = await pendingRequest(tx, targetId, me.userId);
  if (theirs && theirs.expiresAt > new Date()) {
    await handled(tx, theirs.id, REQUEST_STATUS.ACCEPTED);
    await befriend(tx, me.appId, me.userId, targetId, alias);
    checksChanged(deps, tx);
    notifyUsers(deps, tx, me.appId, [targetId], { type: 'FRIEND_REQUEST_ACCEPTED', userId: me.userId, requestId: theirs.id });
    notifyFriendship(deps, tx, me.appId, me.userId, targetId);
    return { status: 'FRIENDS', request: undefined };
  }

  const [settings] = await tx.select().from(userSettings).where(eq(userSettings.userId, targetId));
  switch (settings!.authMode) {
    case 0:
      break;
    case 2:
      if (!answerMatches(settings!.authAnswer, authAnswer)) {
        throw new ForbiddenError('the answer to the question is wrong', 'WRONG_AUTH_ANSWER');
      }
      break;
    case 3:
      throw new ForbiddenError('this user accepts no friend requests', 'REJECTS_FRIEND_REQUESTS');
    default:
      return { status: 'PENDING', request: await request(deps, tx, me, targetId, reason, alias) };
  }
  await befriend(tx, me.appId, me.userId, targetId, alias);
  checksChanged(deps, tx);
  notifyFriendship(deps, tx, me.appId, me.userId, targetId);
  return { status: 'FRIENDS', request: undefined };
}

const answerMatches = (expected: string, given: string | undefined) =>
  expected !== '' && given !== undefined && expected.trim().toLowerCase() === given.trim().toLowerCase();

/** Both sides' devices hear of a new friendship, each with the other's id. */
function notifyFriendship(deps: Deps, tx: Queryable, appId: string, a: number, b: number) {
  notifyUsers(deps, tx, appId, [a], { type: 'FRIEND_ADDED', userId: b });
  notifyUsers(deps, tx, appId, [b], { type: 'FRIEND_ADDED', userId: a });
}

/** Files a pending request, renewing an expired one in place. */
async function request(deps: Deps, tx: Queryable, me: UserViewer, targetId: number, reason: string, alias: string) {
  const expiresAt = new Date(Date.now() + deps.config.friendRequestTtlSeconds * 1000);
  const existing = await pendingRequest(tx, me.userId, targetId);
  if (existing && existing.expiresAt > new Date()) {
    throw new ConflictError('ALREADY_APPLIED', 'userId', 'you asked already; the request is waiting for an answer');
  }
  let row: FriendRequest | undefined;
  try {
    [row] = existing
      ? await tx
          .update(friendRequests)
          .set({ reason, alias, expiresAt, createdAt: new Date() })
          .where(eq(friendRequests.id, existing.id))
          .returning()
      : await tx
          .insert(friendRequests)
          .values({ appId: me.appId, fromUserId: me.userId, toUserId: targetId, reason, alias, expiresAt })
          .returning();
  } catch (error) {
    if (isUniqueViolation(error, 'friend_requests_pending_key')) {
      throw new ConflictError('ALREADY_APPLIED', 'userId', 'you asked already; the request is waiting for an answer');
    }
    throw error;
  }
  notifyUsers(deps, tx, me.appId, [targetId], { type: 'FRIEND_REQUEST_RECEIVED', userId: me.userId, requestId: row!.id });
  return row!;
}

async function pendingRequest(tx: Queryable, fromUserId: number, toUserId: number): Promise<FriendRequest | undefined> {
  const [row] = await tx
    .select()
    .from(friendRequests)
    .where(
      and(
        eq(friendRequests.fromUserId, fromUserId),
        eq(friendRequests.toUserId, toUserId),
        eq(friendRequests.status, REQUEST_STATUS.PENDING),
      ),
    )
    .for('update');
  return row;
}

async function handled(tx: Queryable, id: number, status: number, declineReason?: string) {
  await tx
    .update(friendRequests)
    .set({ status, handledAt: new Date(), declineReason: declineReason ?? null })
    .where(eq(friendRequests.id, id));
}

const MAX_BATCH = 100;

export interface BatchApplyResult {
  succeeded: number[];
  failed: { userId: number; reason: string }[];
}

/** Applies to several users; each succeeds (friends or pending) or fails on its own. */
export async function applyFriends(deps: Deps, viewer: Viewer, list: ApplyInput[]): Promise<BatchApplyResult> {
  const me = requireUser(viewer);
  if (list.length === 0) throw new InvalidInputError('list', 'must not be empty');
  if (list.length > MAX_BATCH) throw new InvalidInputError('list', `must have at most ${MAX_BATCH} items`);
  const result: BatchApplyResult = { succeeded: [], failed: [] };
  for (const [i, item] of list.entries()) {
    try {
      const { userId: targetId, reason, alias } = parseInput(applyInput, item, `list.${i}`);
      await transaction(deps.db, (tx) => apply(deps, tx, me, { targetId, reason, alias }));
      result.succeeded.push(targetId);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const userId = Number(item?.userId);
      result.failed.push({ userId: Number.isSafeInteger(userId) ? userId : 0, reason: error.message });
    }
  }
  return result;
}

/** The pending request from `applicantId` to the viewer, for answering it. */
async function answerable(tx: Queryable, me: UserViewer, applicantId: number): Promise<FriendRequest> {
  const row = await pendingRequest(tx, applicantId, me.userId);
  if (!row) throw new NotFoundError('FRIEND_REQUEST_NOT_FOUND', `there is no pending friend request from user ${applicantId}`);
  if (row.expiresAt <= new Date()) throw new ConflictError('FRIEND_REQUEST_EXPIRED', 'userId', 'the friend request has expired');
  return row;
}

/** Accepts the pending request of `applicantId`: both become friends. */
export async function acceptFriendRequest(deps: Deps, viewer: Viewer, applicantId: string | number): Promise<boolean> {
  const me = requireUser(viewer);
  const fromId = parseInput(entityId, applicantId, 'userId');
  await transaction(deps.db, async (tx) => {
    const row = await answerable(tx, me, fromId);
    await handled(tx, row.id, REQUEST_STATUS.ACCEPTED);
    await befriend(tx, me.appId, fromId, me.userId, row.alias);
    checksChanged(deps, tx);
    notifyUsers(deps, tx, me.appId, [fromId], { type: 'FRIEND_REQUEST_ACCEPTED', userId: me.userId, requestId: row.id });
    notifyFriendship(deps, tx, me.appId, me.userId, fromId);
  });
  return true;
}

/** Declines the pending request of `applicantId`, with an optional reason the applicant sees. */
export async function declineFriendRequest(deps: Deps, viewer: Viewer, applicantId: string | number, reason = ''): Promise<boolean> {
  const me = requireUser(viewer);
  const fromId = parseInput(entityId, applicantId, 'userId');
  const why = parseInput(z.string().max(256, 'must be at most 256 characters'), reason, 'reason');
  await transaction(deps.db, async (tx) => {
    const row = await answerable(tx, me, fromId);
    await handled(tx, row.id, REQUEST_STATUS.DECLINED, why);
    notifyUsers(deps, tx, me.appId, [fromId], { type: 'FRIEND_REQUEST_DECLINED', userId: me.userId, requestId: row.id });
  });
  return true;
}

/** How many requests the viewer received (or sent), of every status. */
export async function countFriendRequests(deps: Deps, viewer: Viewer, direction: 'RECEIVED' | 'SENT'): Promise<number> {
  const { appId, userId } = requireUser(viewer);
  const mine = direction === 'RECEIVED' ? eq(friendRequests.toUserId, userId) : eq(friendRequests.fromUserId, userId);
  return countRows(deps.db, friendRequests, and(eq(friendRequests.appId, appId), mine));
}

/** Requests the viewer received (or sent), newest first, `limit` after the request `before`. */
export async function listFriendRequests(
  deps: Deps,
  viewer: Viewer,
  page: { direction: 'RECEIVED' | 'SENT'; before?: number; limit: number },
): Promise<FriendRequest[]> {
  const { appId, userId } = requireUser(viewer);
  const mine = page.direction === 'RECEIVED' ? eq(friendRequests.toUserId, userId) : eq(friendRequests.fromUserId, userId);
  return deps.db
    .select()
    .from(friendRequests)
    .where(and(eq(friendRequests.appId, appId), mine, page.before === undefined ? undefined : lt(friendRequests.id, page.before)))
    .orderBy(desc(friendRequests.id))
    .limit(page.limit);
}

