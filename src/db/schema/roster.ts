import { sql } from 'drizzle-orm';
import {
  bigint,
  foreignKey,
  index,
  pgTable,
  primaryKey,
  smallint,
  boolean,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { users } from './accounts.js';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Relation of a roster row, as the legacy API numbers them: 0 friend, 1 deleted. */
export const RELATION = { FRIEND: 0, DELETED: 1 } as const;

/**
 * One row per side of a friendship, so each side keeps its own alias, ext and mute flag. A
 * deleted friendship keeps its rows with relation 1, so both sides can tell "deleted" from
 * "stranger".
 */
export const roster = pgTable(
  'roster',
  {
    appId: text('app_id').notNull(),
    userId: bigint('user_id', { mode: 'number' }).notNull(),
    friendId: bigint('friend_id', { mode: 'number' }).notNull(),
    relation: smallint('relation').notNull().default(RELATION.FRIEND),
    alias: text('alias').notNull().default(''),
    ext: text('ext').notNull().default(''),
    muteNotification: boolean('mute_notification').notNull().default(false),
    createdAt: at('created_at').notNull().defaultNow(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.friendId] }),
    // The friend list pages by friend id among current friends.
    index('roster_friends_idx').on(t.userId, t.friendId).where(sql`${t.relation} = 0`),
    foreignKey({ columns: [t.appId, t.userId], foreignColumns: [users.appId, users.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.appId, t.friendId], foreignColumns: [users.appId, users.id] }).onDelete('cascade'),
  ],
);

/** Friend request status, as the legacy API numbers them. */

export const friendRequests = pgTable(
  'friend_requests',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    appId: text('app_id').notNull(),
    fromUserId: bigint('from_user_id', { mode: 'number' }).notNull(),
    toUserId: bigint('to_user_id', { mode: 'number' }).notNull(),
    reason: text('reason').notNull().default(''),
    /** The applicant's alias for the target, applied when the request is accepted. */
    alias: text('alias').notNull().default(''),
    /** REQUEST_STATUS of the domain: 0 pending, 1 accepted, 2 declined. */
    status: smallint('status').notNull().default(0),
    declineReason: text('decline_reason'),
    expiresAt: at('expires_at').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
    handledAt: at('handled_at'),
  },
  (t) => [
    // At most one pending request per direction; an expired one is renewed in place.
    uniqueIndex('friend_requests_pending_key').on(t.fromUserId, t.toUserId).where(sql`${t.status} = 0`),
    index('friend_requests_to_idx').on(t.toUserId, t.id),
    index('friend_requests_from_idx').on(t.fromUserId, t.id),
    foreignKey({ columns: [t.appId, t.fromUserId], foreignColumns: [users.appId, users.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.appId, t.toUserId], foreignColumns: [users.appId, users.id] }).onDelete('cascade'),
  ],
);

export const blocks = pgTable(
  'blocks',
  {
    appId: text('app_id').notNull(),
    userId: bigint('user_id', { mode: 'number' }).notNull(),
    blockedId: bigint('blocked_id', { mode: 'number' }).notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.blockedId] }),
    foreignKey({ columns: [t.appId, t.userId], foreignColumns: [users.appId, users.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.appId, t.blockedId], foreignColumns: [users.appId, users.id] }).onDelete('cascade'),
  ],
);
