import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  boolean,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { entityIdColumn, users } from './accounts.js';
import { appIdColumn, apps } from './apps.js';
import { fileRefs } from './files.js';

/**
 * Millisecond precision: times that page a list (join time, request time) travel in cursors as
 * JavaScript milliseconds and must compare equal when they come back.
 */
const time = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });
const now = (name: string) => time(name).notNull().defaultNow();

/** Type 0 private, 1 public, 2 chatroom. Ids come from the sequence users draw from too. */
export const groups = pgTable(
  'groups',
  {
    id: entityIdColumn(),
    appId: appIdColumn(),
    type: smallint('type').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    avatar: text('avatar').notNull().default(''),
    ext: text('ext').notNull().default(''),
    /** The one owner. Admins are flagged on their membership; the owner's role comes from here. */
    ownerId: bigint('owner_id', { mode: 'number' }).notNull(),
    capacity: integer('capacity').notNull(),
    /** Kept in step with group_members under the group's row lock, so capacity checks and totals need no count. */
    memberCount: integer('member_count').notNull().default(0),
    memberInvite: boolean('member_invite').notNull().default(true),
    memberModify: boolean('member_modify').notNull().default(false),
    historyVisible: boolean('history_visible').notNull().default(false),
    readAck: boolean('read_ack').notNull().default(false),
    /** 0 accept every application, 1 an admin decides, 2 refuse all. */
    applyApproval: smallint('apply_approval').notNull().default(1),
    /** While in the future only admins may send; "until lifted" is stored as the end of year 9999. */
    banAllUntil: time('ban_all_until'),
    dissolvedAt: time('dissolved_at'),
    createdAt: now('created_at'),
    updatedAt: now('updated_at'),
  },
  (t) => [
    unique('groups_app_id_key').on(t.appId, t.id),
    foreignKey({ columns: [t.appId, t.ownerId], foreignColumns: [users.appId, users.id] }),
    index('groups_owner_idx').on(t.appId, t.ownerId).where(sql`${t.dissolvedAt} is null`),
    index('groups_public_idx').on(t.appId, t.id).where(sql`${t.type} = 1 and ${t.dissolvedAt} is null`),
  ],
);

const groupRef = (t: { appId: AnyPgColumn; groupId: AnyPgColumn }) =>
  foreignKey({ columns: [t.appId, t.groupId], foreignColumns: [groups.appId, groups.id] }).onDelete('cascade');
const userRef = (t: { appId: AnyPgColumn; userId: AnyPgColumn }) =>
  foreignKey({ columns: [t.appId, t.userId], foreignColumns: [users.appId, users.id] }).onDelete('cascade');
/** An optional acting user (null when an app admin acted on the group's behalf). */
const actorRef = (appId: AnyPgColumn, userId: AnyPgColumn) =>
  foreignKey({ columns: [appId, userId], foreignColumns: [users.appId, users.id] });

/** A member of a group, with their own view of it (display name, notification modes). */
export const groupMembers = pgTable(
  'group_members',
  {
    appId: text('app_id').notNull(),
    groupId: bigint('group_id', { mode: 'number' }).notNull(),
    userId: bigint('user_id', { mode: 'number' }).notNull(),
    isAdmin: boolean('is_admin').notNull().default(false),
    displayName: text('display_name').notNull().default(''),
    joinedAt: now('joined_at'),
    /** Muted (may not send) while in the future. */
    bannedUntil: time('banned_until'),
    /** 0 normal, 1 no notification, 2 do not receive. */
    msgMuteMode: smallint('msg_mute_mode').notNull().default(0),
    /** 0 all, 1 none, 2 admins and mentions, 3 admins only, 4 mentions only. */
    msgPushMode: smallint('msg_push_mode').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.userId] }),
    groupRef(t),
    userRef(t),
    // The member list pages on this index by (joined_at, user_id), however large the group.
    index('group_members_join_order_idx').on(t.appId, t.groupId, t.joinedAt, t.userId),
    index('group_members_user_idx').on(t.appId, t.userId, t.groupId),
    index('group_members_banned_idx').on(t.groupId, t.userId).where(sql`${t.bannedUntil} is not null`),
  ],
);

/** Users an admin has shut out of a group: removed, and unable to apply, be invited or scan back in. */
export const groupBlocks = pgTable(
  'group_blocks',
  {
    appId: text('app_id').notNull(),
    groupId: bigint('group_id', { mode: 'number' }).notNull(),
    userId: bigint('user_id', { mode: 'number' }).notNull(),
    createdAt: now('created_at'),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.userId] }), groupRef(t), userRef(t)],
);

/**
 * Requests to join, one row per (group, user): applying or inviting again renews it. Status 0
 * pending, 1 accepted, 2 declined; a pending request past expires_at can no longer be handled.
 */
const requestColumns = {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  appId: text('app_id').notNull(),
  groupId: bigint('group_id', { mode: 'number' }).notNull(),
  userId: bigint('user_id', { mode: 'number' }).notNull(),
  reason: text('reason').notNull().default(''),
  status: smallint('status').notNull().default(0),
  expiresAt: time('expires_at').notNull(),
  createdAt: now('created_at'),
};

export const groupApplications = pgTable(
  'group_applications',
  { ...requestColumns },
  (t) => [
    uniqueIndex('group_applications_group_user_key').on(t.groupId, t.userId),
    index('group_applications_list_idx').on(t.appId, t.groupId, t.createdAt, t.id),
    groupRef(t),
    userRef(t),
  ],
);

export const groupInvitations = pgTable(
  'group_invitations',
  {
    ...requestColumns,
    /** Null when an app admin invited on the group's behalf. */
    inviterId: bigint('inviter_id', { mode: 'number' }),
  },
  (t) => [
    uniqueIndex('group_invitations_group_user_key').on(t.groupId, t.userId),
    index('group_invitations_invitee_idx').on(t.appId, t.userId, t.createdAt, t.id),
    groupRef(t),
    userRef(t),
    actorRef(t.appId, t.inviterId),
  ],
);

export const groupAnnouncements = pgTable(
  'group_announcements',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    appId: text('app_id').notNull(),
    groupId: bigint('group_id', { mode: 'number' }).notNull(),
    /** Null when an app admin published on the group's behalf. */
    authorId: bigint('author_id', { mode: 'number' }),
    title: text('title').notNull(),
    content: text('content').notNull(),
    createdAt: now('created_at'),
    updatedAt: now('updated_at'),
  },
  (t) => [index('group_announcements_group_idx').on(t.appId, t.groupId, t.id), groupRef(t), actorRef(t.appId, t.authorId)],
);

/** Files shared in a group: their bytes are a stored file, through the reference `file_ref_id`. */
export const groupFiles = pgTable(
  'group_files',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    appId: text('app_id').notNull(),
    groupId: bigint('group_id', { mode: 'number' }).notNull(),
    /** Null when an app admin registered it on the group's behalf. */
    uploaderId: bigint('uploader_id', { mode: 'number' }),
    name: text('name').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    type: text('type').notNull().default(''),
    url: text('url').notNull(),
    /** Null for files listed before stored files existed (metadata only). */
    fileRefId: bigint('file_ref_id', { mode: 'number' }).references(() => fileRefs.id),
    createdAt: now('created_at'),
    updatedAt: now('updated_at'),
  },
  (t) => [
    index('group_files_group_idx').on(t.appId, t.groupId, t.id),
    index('group_files_ref_idx').on(t.fileRefId),
    groupRef(t),
    actorRef(t.appId, t.uploaderId),
  ],
);
