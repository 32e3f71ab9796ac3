import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  foreignKey,
  index,
  pgSequence,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { appIdColumn, apps } from './apps.js';
import { users } from './accounts.js';
import { fileRefs } from './files.js';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * Each app's message stream position, taken under this row's lock by every send and held until
 * commit: positions are gap-free and follow commit order, so "everything after position P" is
 * a precise resume point.
 */
export const messageStreams = pgTable('message_streams', {
  appId: text('app_id')
    .primaryKey()
    .references(() => apps.id),
  position: bigint('position', { mode: 'number' }).notNull().default(0),
});

/**
 * A 1:1 pair (kind 1, user_low < user_high) or a group (kind 2): see CONVERSATION in the domain. last_seq is the per-conversation sequence,
 * advanced under this row's lock in the sending transaction, so it is gap-free.
 */
export const conversations = pgTable(
  'conversations',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    appId: appIdColumn(),
    kind: smallint('kind').notNull(),
    userLow: bigint('user_low', { mode: 'number' }),
    userHigh: bigint('user_high', { mode: 'number' }),
    groupId: bigint('group_id', { mode: 'number' }),
    lastSeq: bigint('last_seq', { mode: 'number' }).notNull().default(0),
    /**
     * The app stream position of the conversation's latest change (a message sent, edited or
     * recalled), set under the same lock. Live streams and resumes use it to skip conversations
     * with nothing new, and a message event carries the value it replaced (see MessageEvent).
     */
    position: bigint('position', { mode: 'number' }).notNull().default(0),
    lastMessageAt: at('last_message_at'),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('conversations_direct_key').on(t.appId, t.userLow, t.userHigh).where(sql`${t.kind} = 1`),
    uniqueIndex('conversations_group_key').on(t.appId, t.groupId).where(sql`${t.kind} = 2`),
  ],
);

/**
 * A user's positions in a conversation: read up to read_seq, deleted (cleared) up to
 * cleared_seq, and (groups without visible history) joined after joined_seq. Unread counts are
 * derived from these, never counted up and down.
 */
export const conversationMembers = pgTable(
  'conversation_members',
  {
    appId: text('app_id').notNull(),
    conversationId: bigint('conversation_id', { mode: 'number' })
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    userId: bigint('user_id', { mode: 'number' }).notNull(),
    readSeq: bigint('read_seq', { mode: 'number' }).notNull().default(0),
    clearedSeq: bigint('cleared_seq', { mode: 'number' }).notNull().default(0),
    joinedSeq: bigint('joined_seq', { mode: 'number' }).notNull().default(0),
    /** False once the member left the group; their positions stay for their history. */
    active: boolean('active').notNull().default(true),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.conversationId, t.userId] }),
    index('conversation_members_user_idx').on(t.userId, t.conversationId),
    foreignKey({ columns: [t.appId, t.userId], foreignColumns: [users.appId, users.id] }).onDelete('cascade'),
  ],
);

/** Feeds message ids: milliseconds since 2020 shifted left 12 bits, plus 12 bits of this sequence. */
export const messageIdSequence = pgSequence('message_id_seq', { startWith: 1, increment: 1 });

/** Messages, stored once: never copied per recipient. */
export const messages = pgTable(
  'messages',
  {
    // Unique and time-ordered: 41 bits of milliseconds (until 2089) and 12 of a sequence.
    id: bigint('id', { mode: 'number' })
      .primaryKey()
      .default(
        sql`((floor(extract(epoch from clock_timestamp()) * 1000)::bigint - 1577836800000) << 12) | (nextval('message_id_seq') % 4096)`,
      ),
    appId: text('app_id').notNull(),
    conversationId: bigint('conversation_id', { mode: 'number' })
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    /** The app stream position at which the message was sent. */
    sentPosition: bigint('sent_position', { mode: 'number' }).notNull(),
    /** The app stream position of the message's last change (send, edit, recall). */
    position: bigint('position', { mode: 'number' }).notNull(),
    /** Null for a system notice. */
    fromUserId: bigint('from_user_id', { mode: 'number' }),
    fromDeviceSn: smallint('from_device_sn'),
    /** 1 to a user, 2 to a group. */
    toKind: smallint('to_kind').notNull(),
    toId: bigint('to_id', { mode: 'number' }).notNull(),
    contentType: smallint('content_type').notNull(),
    content: text('content').notNull().default(''),
    attachment: text('attachment').notNull().default(''),
    config: text('config').notNull().default(''),
    ext: text('ext').notNull().default(''),
    mentions: bigint('mentions', { mode: 'number' }).array().notNull().default(sql`'{}'`),
    mentionAll: boolean('mention_all').notNull().default(false),
    system: boolean('system').notNull().default(false),
    transactionId: text('transaction_id'),
    /** IMAGE, AUDIO, VIDEO and FILE messages: the file reference (file_refs.id) they carry. */
    fileRefId: bigint('file_ref_id', { mode: 'number' }).references(() => fileRefs.id),
    createdAt: at('created_at').notNull().default(sql`clock_timestamp()`),
    editedAt: at('edited_at'),
    recalledAt: at('recalled_at'),
  },
  (t) => [
    uniqueIndex('messages_conversation_seq_key').on(t.conversationId, t.seq),
    uniqueIndex('messages_app_position_key').on(t.appId, t.position),
    index('messages_conversation_position_idx').on(t.conversationId, t.position),
    index('messages_conversation_sent_idx').on(t.conversationId, t.sentPosition),
    index('messages_file_ref_idx').on(t.fileRefId).where(sql`${t.fileRefId} is not null`),
    uniqueIndex('messages_transaction_key')
      .on(t.conversationId, sql`coalesce(${t.fromUserId}, 0)`, t.transactionId)
      .where(sql`${t.transactionId} is not null`),
  ],
);
