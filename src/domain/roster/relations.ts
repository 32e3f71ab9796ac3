import { emitEvent } from '../push/outbox.js';
import { and, eq, inArray, or } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { apps, blocks, RELATION, roster } from '../../db/schema/index.js';
import { ForbiddenError } from '../errors.js';

/** The viewer's relation to another user, as the legacy API numbers them. */
export const Relation = { FRIEND: 0, DELETED: 1, STRANGER: 2, BLOCKED: 3 } as const;
export type Relation = (typeof Relation)[keyof typeof Relation];

export type RosterRow = typeof roster.$inferSelect;

export interface Contact {
  userId: number;
  relation: Relation;
  /** The viewer's own roster row for this user, if they ever were friends. */
  row: RosterRow | undefined;
}

/** The viewer's relation to each of `userIds`, in one round trip per table. */
export async function contactsOf(db: Queryable, viewerId: number, userIds: readonly number[]): Promise<Map<number, Contact>> {
  const ids = [...new Set(userIds)];
  if (ids.length === 0) return new Map();
  const [rows, blocked] = await Promise.all([
    db.select().from(roster).where(and(eq(roster.userId, viewerId), inArray(roster.friendId, ids))),
    db.select({ id: blocks.blockedId }).from(blocks).where(and(eq(blocks.userId, viewerId), inArray(blocks.blockedId, ids))),
  ]);
  const rowOf = new Map(rows.map((r) => [r.friendId, r]));
  const blockedSet = new Set(blocked.map((b) => b.id));
  return new Map(
    ids.map((id) => {
      const row = rowOf.get(id);
      const relation: Relation = blockedSet.has(id)
        ? Relation.BLOCKED
        : row?.relation === RELATION.FRIEND
          ? Relation.FRIEND
          : row
            ? Relation.DELETED
            : Relation.STRANGER;
      return [id, { userId: id, relation, row }];
    }),
  );
}

export async function areFriends(db: Queryable, userId: number, otherId: number): Promise<boolean> {
  const [row] = await db
    .select({ relation: roster.relation })
    .from(roster)
    .where(and(eq(roster.userId, userId), eq(roster.friendId, otherId)));
  return row?.relation === RELATION.FRIEND;
}

/** Whether `blockerId` has blocked `userId`. */
export async function hasBlocked(db: Queryable, blockerId: number, userId: number): Promise<boolean> {
  const [row] = await db
    .select({ id: blocks.blockedId })
    .from(blocks)
    .where(and(eq(blocks.userId, blockerId), eq(blocks.blockedId, userId)));
  return row !== undefined;
}

/** Makes two users friends, both sides, keeping any alias or ext a side had before. */
export async function befriend(tx: Queryable, appId: string, a: number, b: number, aliasOfBForA = '') {
  for (const [userId, friendId, alias] of [
    [a, b, aliasOfBForA],
    [b, a, ''],
  ] as const) {
    await tx
      .insert(roster)
      .values({ appId, userId, friendId, relation: RELATION.FRIEND, alias })
      .onConflictDoUpdate({
        target: [roster.userId, roster.friendId],
        set: { relation: RELATION.FRIEND, updatedAt: new Date(), ...(alias && { alias }) },
      });
  }
  await emitEvent(tx, appId, 'friend.added', a, { userId: String(a), friendId: String(b) });
}

/** Ends a friendship on both sides; the rows stay, marked deleted. */
export async function unfriend(tx: Queryable, a: number, b: number) {
  return tx
    .update(roster)
    .set({ relation: RELATION.DELETED, updatedAt: new Date() })
    .where(
      and(
        eq(roster.relation, RELATION.FRIEND),
        or(and(eq(roster.userId, a), eq(roster.friendId, b)), and(eq(roster.userId, b), eq(roster.friendId, a))),
      ),
    )
    .returning({ userId: roster.userId });
}

/** What decides whether one user may message another. */
export interface MessagingFacts {
  /** The receiver has blocked the sender. */
  blocked: boolean;
  friends: boolean;
  /** The app lets users who are not friends message each other. */
  strangerMessages: boolean;
}

/**
 * Why a sender may not message user `toId`, or undefined when they may: never once `toId` has
 * blocked them; only between friends when the app lets no strangers message each other. The one
 * place the rule lives: sending enforces it, may_message reports it.
 */
export function messagingRefusalOf(toId: number, facts: MessagingFacts): ForbiddenError | undefined {
  if (facts.blocked) return new ForbiddenError(`user ${toId} has blocked you`, 'BLOCKED');
  if (facts.strangerMessages || facts.friends) return undefined;
  return new ForbiddenError(`this app lets only friends message each other, and user ${toId} is not your friend`, 'STRANGERS_NOT_ALLOWED');
}

/** messagingRefusalOf for two users of an app. */
export async function messagingRefusal(db: Queryable, appId: string, fromId: number, toId: number): Promise<ForbiddenError | undefined> {
  const [app] = await db.select({ strangerMessages: apps.strangerMessages }).from(apps).where(eq(apps.id, appId));
  return messagingRefusalOf(toId, {
    blocked: await hasBlocked(db, toId, fromId),
    friends: await areFriends(db, fromId, toId),
    strangerMessages: app!.strangerMessages,
  });
}
