import { boolean, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** A tenant. Every other row carries its app_id. */
export const apps = pgTable('apps', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** argon2id hash of the app secret: the secret itself is shown once, at creation. */
  secretHash: text('secret_hash').notNull(),
  /**
   * HMAC-SHA1 key states of the app secret (src/domain/signing-state.ts), for the legacy signature
   * service: they sign as the secret would but do not reveal it. Null until the secret is next
   * presented (apps created before this column).
   */
  signatureState: text('signature_state'),
  /** Whether users who are not friends may message each other (blocks apply either way). */
  strangerMessages: boolean('stranger_messages').notNull().default(true),
  /** Messages older than this many days are deleted by the retention sweeper; null keeps them. */
  messageRetentionDays: integer('message_retention_days'),
  /** What deleting a user does (src/domain/accounts/deletion.ts): 'anonymise' keeps a tombstone row, 'remove' deletes their rows. */
  accountDeletion: text('account_deletion', { enum: ['anonymise', 'remove'] }).notNull().default('anonymise'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

/** The app a row belongs to; every table of app data has one. */
export const appIdColumn = () =>
  text('app_id')
    .notNull()
    .references(() => apps.id);
