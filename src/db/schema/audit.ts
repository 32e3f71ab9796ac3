import { bigint, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { appIdColumn } from './apps.js';

/** Admin actions: every mutation an admin token ran, directly or acting as a user or group admin. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    appId: appIdColumn(),
    /** The admin token used (access_tokens.id). */
    tokenId: bigint('token_id', { mode: 'number' }).notNull(),
    actingAsUserId: bigint('acting_as_user_id', { mode: 'number' }),
    actingAsGroupId: bigint('acting_as_group_id', { mode: 'number' }),
    /** The mutation field, e.g. `disableUsers`. */
    action: text('action').notNull(),
    /** Its arguments, with secrets (passwords, secrets, tokens, keys) replaced by "[redacted]". */
    arguments: jsonb('arguments').notNull(),
    /** `OK`, the typed error code it answered, or `ERROR` (a GraphQL error). */
    outcome: text('outcome').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('audit_log_app_idx').on(t.appId, t.id)],
);
