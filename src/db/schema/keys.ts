import { pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { appIdColumn, apps } from './apps.js';

/**
 * Random per-app keys for signing what the server hands out and later takes back (group QR
 * codes, …). Kept in the database so every server process, and every restart, signs alike; the
 * app secret is never used, since only its hash is stored.
 */
export const signingKeys = pgTable(
  'signing_keys',
  {
    appId: appIdColumn(),
    purpose: text('purpose').notNull(),
    /** 256 random bits, base64url. */
    key: text('key').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.appId, t.purpose] })],
);
