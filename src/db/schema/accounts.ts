import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  customType,
  foreignKey,
  index,
  integer,
  pgSequence,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { appIdColumn, apps } from './apps.js';

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => Buffer.from(value),
});

const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();

/**
 * Users and groups draw ids from one sequence so that a conversation target can be either.
 * It starts above 2^32 so that no client can get away with 32-bit ids.
 */
export const entityIds = pgSequence('entity_id_seq', { startWith: 10_000_000_000, increment: 1 });

/** The id of a user or a group, drawn from entityIds. */
export const entityIdColumn = () =>
  bigint('id', { mode: 'number' })
    .primaryKey()
    .default(sql`nextval('entity_id_seq')`);

export const users = pgTable(
  'users',
  {
    id: entityIdColumn(),
    appId: appIdColumn(),
    username: text('username').notNull(),
    passwordHash: text('password_hash').notNull(),
    mobile: text('mobile'),
    email: text('email'),
    nickName: text('nick_name'),
    avatar: text('avatar'),
    description: text('description'),
    publicInfo: text('public_info'),
    privateInfo: text('private_info'),
    ext: text('ext'),
    pushAlias: text('push_alias'),
    pushBadge: integer('push_badge').notNull().default(0),
    disabledAt: timestamp('disabled_at', { withTimezone: true, mode: 'date' }),
    /** Set when the account was deleted: the row stays, anonymised, so messages others hold still name a sender. */
    deletedAt: timestamp('deleted_at', { withTimezone: true, mode: 'date' }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('users_app_username_key').on(t.appId, t.username),
    uniqueIndex('users_app_mobile_key').on(t.appId, t.mobile).where(sql`${t.mobile} is not null`),
    uniqueIndex('users_app_email_key').on(t.appId, sql`lower(${t.email})`).where(sql`${t.email} is not null`),
    // Lets child tables reference (app_id, id), so a row can never point at another app's user.
    unique('users_app_id_key').on(t.appId, t.id),
  ],
);

export const userSettings = pgTable(
  'user_settings',
  {
    appId: text('app_id').notNull(),
    userId: bigint('user_id', { mode: 'number' }).notNull(),
    authMode: smallint('auth_mode').notNull().default(1),
    authQuestion: text('auth_question').notNull().default(''),
    authAnswer: text('auth_answer').notNull().default(''),
    autoDownload: boolean('auto_download').notNull().default(true),
    groupConfirm: boolean('group_confirm').notNull().default(false),
    noPush: boolean('no_push').notNull().default(false),
    noPushDetail: boolean('no_push_detail').notNull().default(false),
    noPushStartHour: smallint('no_push_start_hour').notNull().default(0),
    noPushEndHour: smallint('no_push_end_hour').notNull().default(0),
    silenceStartTime: integer('silence_start_time').notNull().default(0),
    silenceEndTime: integer('silence_end_time').notNull().default(0),
    noSounds: boolean('no_sounds').notNull().default(false),
    vibratory: boolean('vibratory').notNull().default(true),
    pushNickName: text('push_nick_name').notNull().default(''),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.userId] }),
    foreignKey({ columns: [t.appId, t.userId], foreignColumns: [users.appId, users.id] }).onDelete('cascade'),
  ],
);

/** A client installation of a user. `device_sn` is small and per user, as legacy clients expect. */
export const devices = pgTable(
  'devices',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    appId: text('app_id').notNull(),
    userId: bigint('user_id', { mode: 'number' }).notNull(),
    deviceSn: integer('device_sn').notNull(),
    deviceGuid: text('device_guid').notNull(),
    platform: smallint('platform').notNull().default(0),
    pushToken: text('push_token'),
    /** The push provider of push_token (apns, fcm, huawei, …), as the client names it. */
    notifierName: text('notifier_name'),
    userAgent: text('user_agent'),
    createdAt: createdAt(),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ columns: [t.appId, t.userId], foreignColumns: [users.appId, users.id] }).onDelete('cascade'),
    uniqueIndex('devices_user_guid_key').on(t.userId, t.deviceGuid),
    uniqueIndex('devices_user_sn_key').on(t.userId, t.deviceSn),
  ],
);

/**
 * Access tokens. Only a SHA-256 of the token is kept: the tokens are 256-bit random values, so a
 * fast hash is enough, and a stolen table grants nothing. A row without user_id is an admin token.
 */
export const accessTokens = pgTable(
  'access_tokens',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    appId: appIdColumn(),
    userId: bigint('user_id', { mode: 'number' }),
    deviceId: bigint('device_id', { mode: 'number' }).references(() => devices.id, { onDelete: 'set null' }),
    tokenHash: bytea('token_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('access_tokens_hash_key').on(t.tokenHash),
    index('access_tokens_user_idx').on(t.userId).where(sql`${t.revokedAt} is null`),
    foreignKey({ columns: [t.appId, t.userId], foreignColumns: [users.appId, users.id] }).onDelete('cascade'),
  ],
);

export const pushTags = pgTable(
  'push_tags',
  {
    appId: text('app_id').notNull(),
    userId: bigint('user_id', { mode: 'number' }).notNull(),
    tag: text('tag').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.tag] }),
    index('push_tags_app_tag_idx').on(t.appId, t.tag),
    foreignKey({ columns: [t.appId, t.userId], foreignColumns: [users.appId, users.id] }).onDelete('cascade'),
  ],
);

/** Third-party account ids (WeChat openid, …) bound to users; one user per (app, type, open_id). */
export const openIds = pgTable(
  'open_ids',
  {
    appId: text('app_id').notNull(),
    type: text('type').notNull(),
    openId: text('open_id').notNull(),
    userId: bigint('user_id', { mode: 'number' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.appId, t.type, t.openId] }),
    index('open_ids_user_idx').on(t.userId),
    foreignKey({ columns: [t.appId, t.userId], foreignColumns: [users.appId, users.id] }).onDelete('cascade'),
  ],
);
