import { sql } from 'drizzle-orm';
import { bigint, foreignKey, index, integer, pgTable, smallint, text, timestamp, unique } from 'drizzle-orm/pg-core';
import { users } from './accounts.js';
import { appIdColumn } from './apps.js';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });

/**
 * Stored bytes: one object in storage (plus its cached thumbnails and conversions, whose keys
 * derive from `storage_key`). Rows are never shared across apps. When the last reference goes,
 * `deleted_at` is set in that transaction; the objects are then removed and the row with them
 * (the sweeper finishes what a crash interrupted), so no object outlives its row.
 */
export const storedFiles = pgTable(
  'stored_files',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    appId: appIdColumn(),
    storageKey: text('storage_key').notNull().unique(),
    size: bigint('size', { mode: 'number' }).notNull(),
    /** Detected from the bytes, never taken from the client. */
    mimeType: text('mime_type').notNull(),
    sha256: text('sha256').notNull(),
    width: integer('width'),
    height: integer('height'),
    durationMs: integer('duration_ms'),
    createdAt: at('created_at').notNull().defaultNow(),
    deletedAt: at('deleted_at'),
  },
  (t) => [unique('stored_files_app_id_key').on(t.appId, t.id), index('stored_files_deleted_idx').on(t.deletedAt).where(sql`${t.deletedAt} is not null`)],
);

/** What a reference is for: a chat file, a file shared in a group, an avatar. */
export const FILE_PURPOSE = { CHAT: 1, GROUP_SHARED: 2, USER_AVATAR: 3, GROUP_AVATAR: 4 } as const;

/**
 * A reference to stored bytes, valid in one place: a conversation (a user pair or a group), a
 * group's shared files, or an avatar. An upload slot is a reference without bytes yet (`file_id`
 * null) until `expires_at`; forwarding makes a new reference to the same bytes elsewhere. Signed
 * download URLs name a reference, so access is decided by where the reference lives.
 */
export const fileRefs = pgTable(
  'file_refs',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    appId: appIdColumn(),
    fileId: bigint('file_id', { mode: 'number' }),
    purpose: smallint('purpose').notNull(),
    /** The dialect's file_type (100–104, 200–203), or 0 for avatars. */
    fileType: smallint('file_type').notNull(),
    /** Chat: 1 a user pair (scope_low < scope_high), 2 a group (scope_low). Shared files and group avatars: the group. User avatars: the user. */
    scopeKind: smallint('scope_kind').notNull(),
    scopeLow: bigint('scope_low', { mode: 'number' }).notNull(),
    scopeHigh: bigint('scope_high', { mode: 'number' }),
    /** The group conversation's last seq when the reference was made: later joiners without visible history do not see it. */
    scopeSeq: bigint('scope_seq', { mode: 'number' }).notNull().default(0),
    /** Null when an app admin made it. */
    ownerId: bigint('owner_id', { mode: 'number' }),
    name: text('name').notNull().default(''),
    /** Until then an empty slot takes bytes; past it, the sweeper removes it. */
    expiresAt: at('expires_at'),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ columns: [t.appId, t.fileId], foreignColumns: [storedFiles.appId, storedFiles.id] }),
    foreignKey({ columns: [t.appId, t.ownerId], foreignColumns: [users.appId, users.id] }),
    index('file_refs_file_idx').on(t.fileId),
    index('file_refs_pending_idx').on(t.expiresAt).where(sql`${t.fileId} is null`),
  ],
);
