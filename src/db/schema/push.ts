import { sql } from 'drizzle-orm';
import { bigint, customType, index, integer, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { appIdColumn } from './apps.js';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => Buffer.from(value),
});

/**
 * An app's credentials for one push provider in one environment (0 development, 1 production).
 * The secret parts (app secret, certificate or key) are kept only encrypted (AES-256-GCM, see
 * domain/push/sealed.ts); the rest names them.
 */
export const pushCredentials = pgTable(
  'push_credentials',
  {
    appId: appIdColumn(),
    /** 1 APNs, 2 Huawei, 3 Xiaomi, 4 Meizu, 5 vivo, 6 OPPO, 7 FCM, 8 signed webhook. */
    provider: smallint('provider').notNull(),
    environment: smallint('environment').notNull(),
    name: text('name').notNull().default(''),
    providerAppId: text('provider_app_id').notNull().default(''),
    appKey: text('app_key').notNull().default(''),
    url: text('url'),
    /** Encrypted JSON `{ appSecret, certificate }`. */
    sealed: bytea('sealed').notNull(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.appId, t.provider, t.environment] })],
);

/**
 * Work that must happen because something committed: a message to push to offline devices (kind
 * 1), a notification task to fan out (kind 2), a webhook event (kind 3). Written in the same
 * transaction as its cause; a worker turns each row into deliveries and deletes it in one
 * transaction, so every cause is fanned out exactly once.
 */
export const pushOutbox = pgTable(
  'push_outbox',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    appId: text('app_id').notNull(),
    kind: smallint('kind').notNull(),
    refId: bigint('ref_id', { mode: 'number' }).notNull(),
    payload: text('payload'),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [index('push_outbox_order_idx').on(t.id)],
);

/**
 * One notification to one device (or one event to one webhook endpoint): claimed by a worker
 * with a lease (next_attempt_at moved forward), sent, then marked. Status 0 pending, 1 sent
 * (the provider accepted it), 2 failed for good (last_error says why), 3 received (acknowledged
 * by the client, in-app channel).
 */
export const pushDeliveries = pgTable(
  'push_deliveries',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    appId: text('app_id').notNull(),
    taskId: bigint('task_id', { mode: 'number' }),
    messageId: bigint('message_id', { mode: 'number' }),
    userId: bigint('user_id', { mode: 'number' }),
    deviceId: bigint('device_id', { mode: 'number' }),
    endpointId: bigint('endpoint_id', { mode: 'number' }),
    /** The provider code (as push_credentials.provider), 0 for the in-app channel, 9 for a webhook endpoint. */
    channel: smallint('channel').notNull(),
    environment: smallint('environment').notNull().default(1),
    token: text('token').notNull().default(''),
    payload: text('payload').notNull(),
    status: smallint('status').notNull().default(0),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: at('next_attempt_at').notNull().defaultNow(),
    lastError: text('last_error'),
    createdAt: at('created_at').notNull().defaultNow(),
    sentAt: at('sent_at'),
  },
  (t) => [
    index('push_deliveries_due_idx').on(t.nextAttemptAt).where(sql`${t.status} = 0`),
    index('push_deliveries_task_idx').on(t.taskId).where(sql`${t.taskId} is not null`),
    index('push_deliveries_message_idx').on(t.messageId).where(sql`${t.messageId} is not null`),
    index('push_deliveries_endpoint_idx').on(t.endpointId, t.id).where(sql`${t.endpointId} is not null`),
  ],
);

/** A notification an admin asked for (`/push/notify`): who, what, and how. */
export const pushTasks = pgTable(
  'push_tasks',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    appId: appIdColumn(),
    requestId: text('request_id'),
    audience: text('audience').notNull(),
    message: text('message').notNull(),
    strategy: smallint('strategy').notNull().default(0),
    sequence: text('sequence').array().notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('push_tasks_request_key').on(t.appId, t.requestId).where(sql`${t.requestId} is not null`)],
);

/** An app server's webhook endpoint: where events go, signed with its (encrypted) secret. */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    appId: appIdColumn(),
    url: text('url').notNull(),
    sealedSecret: bytea('sealed_secret').notNull(),
    events: text('events').array().notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [index('webhook_endpoints_app_idx').on(t.appId)],
);
