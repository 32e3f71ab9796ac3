import { bigint, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Live WebSocket connections, one row each. The server holding a connection refreshes
 * heartbeat_at; a row whose heartbeat is older than the presence TTL belongs to a crashed server
 * and no longer counts, so nobody stays "online" forever.
 */
export const connections = pgTable(
  'connections',
  {
    id: text('id').primaryKey(),
    appId: text('app_id').notNull(),
    userId: bigint('user_id', { mode: 'number' }).notNull(),
    deviceSn: integer('device_sn'),
    serverId: text('server_id').notNull(),
    connectedAt: timestamp('connected_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    heartbeatAt: timestamp('heartbeat_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    index('connections_user_idx').on(t.appId, t.userId, t.heartbeatAt),
    index('connections_server_idx').on(t.serverId),
  ],
);
