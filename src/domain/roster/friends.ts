import { emitEvent } from '../push/outbox.js';
import { countRows } from '../paging.js';
import { and, asc, eq, gt } from 'drizzle-orm';
import { z } from 'zod';
import { RELATION, roster } from '../../db/schema/index.js';
import { findUser } from '../accounts/users.js';
import type { Deps } from '../deps.js';
import { InvalidInputError, NotFoundError } from '../errors.js';
import { notifyUsers } from '../notify.js';
import { transaction } from '../transactions.js';
import * as v from '../validation.js';
import { entityId, parseInput } from '../validation.js';
import { requireUser, type Viewer } from '../viewer.js';
import { contactsOf, unfriend, type Contact } from './relations.js';
import { checksChanged } from '../messages/check-cache.js';

/** The viewer's friends' ids in id order, `limit` after `after`. */
export async function listFriendIds(deps: Deps, viewer: Viewer, page: { after?: number; limit: number }): Promise<number[]> {
  const { userId } = requireUser(viewer);
  const rows = await deps.db
    .select({ id: roster.friendId })
    .from(roster)
    .where(
      and(
        eq(roster.userId, userId),
        eq(roster.relation, RELATION.FRIEND),
        page.after === undefined ? undefined : gt(roster.friendId, page.after),
      ),
    )
    .orderBy(asc(roster.friendId))
    .limit(page.limit);
  return rows.map((r) => r.id);
}

/** How many friends the viewer has. */
export async function countFriends(deps: Deps, viewer: Viewer): Promise<number> {
  const { userId } = requireUser(viewer);
  return countRows(deps.db, roster, and(eq(roster.userId, userId), eq(roster.relation, RELATION.FRIEND)));
}

const MAX_IDS = 200;

/**
 * The viewer's relation to each of the given users (friend, deleted, stranger, blocked) with the
 * viewer's alias, ext and mute flag for them. Users of other apps are simply absent.
 */
export async function contacts(deps: Deps, viewer: Viewer, userIds: (string | number)[]): Promise<Contact[]> {
  const { userId } = requireUser(viewer);
  const ids = parseInput(z.array(entityId).max(MAX_IDS, `must have at most ${MAX_IDS} ids`), userIds, 'userIds');
  const byId = await contactsOf(deps.db, userId, ids);
  return [...byId.values()];
}

export async function contact(deps: Deps, viewer: Viewer, otherId: number): Promise<Contact> {
  const { userId } = requireUser(viewer);
  return (await contactsOf(deps.db, userId, [otherId])).get(otherId)!;
}

const friendInput = z.object({
  userId: entityId,
  alias: z.string().max(64, 'must be at most 64 characters').optional(),
  ext: v.jsonText(4096).optional(),
  muteNotification: z.boolean().optional(),
});

/** Changes the viewer's alias, ext or mute flag for a friend. */
export async function updateFriend(deps: Deps, viewer: Viewer, input: z.input<typeof friendInput>): Promise<Contact> {
  const { userId } = requireUser(viewer);
  const { userId: friendId, ...changes } = parseInput(friendInput, input);
  if (Object.values(changes).every((value) => value === undefined)) throw new InvalidInputError('input', 'names nothing to change');
  const [row] = await deps.db
    .update(roster)
    .set({ ...changes, updatedAt: new Date() })
    .where(and(eq(roster.userId, userId), eq(roster.friendId, friendId), eq(roster.relation, RELATION.FRIEND)))
    .returning();
  if (!row) throw new NotFoundError('NOT_FRIEND', `user ${friendId} is not your friend`);
  return (await contactsOf(deps.db, userId, [friendId])).get(friendId)!;
}

/** Ends a friendship, for both sides; both hear of it. */
export async function removeFriend(deps: Deps, viewer: Viewer, friendId: string | number): Promise<boolean> {
  const { appId, userId } = requireUser(viewer);
  const otherId = parseInput(entityId, friendId, 'userId');
  if (!(await findUser(deps.db, appId, otherId))) throw new NotFoundError('USER_NOT_FOUND', `user ${otherId} does not exist`);
  await transaction(deps.db, async (tx) => {
    const ended = await unfriend(tx, userId, otherId);
    if (ended.length === 0) throw new NotFoundError('NOT_FRIEND', `user ${otherId} is not your friend`);
    checksChanged(deps, tx);
    await emitEvent(tx, appId, 'friend.removed', userId, { userId: String(userId), friendId: String(otherId) });
    notifyUsers(deps, tx, appId, [userId], { type: 'FRIEND_REMOVED', userId: otherId });
    notifyUsers(deps, tx, appId, [otherId], { type: 'FRIEND_REMOVED', userId });
  });
  return true;
}
