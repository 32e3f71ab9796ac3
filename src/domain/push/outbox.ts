import type { Queryable, Tx } from '../../db/client.js';
import { runPrepared } from '../../db/raw.js';
import type { Message } from '../messages/model.js';
import { afterCommit } from '../transactions.js';

/** What an outbox row asks for. */
export const OUTBOX = { MESSAGE: 1, TASK: 2, EVENT: 3 } as const;

/**
 * What an app's server may hear of through its webhook endpoints. `message.sent` comes from the
 * message outbox rows every batch writes anyway; the others are EVENT rows (see emitEvent).
 */
export const WEBHOOK_EVENTS = [
  'message.sent',
  'message.recalled',
  'message.edited',
  'user.registered',
  'friend.added',
  'friend.removed',
  'group.created',
  'group.dissolved',
  'group.members_changed',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

/** An EVENT outbox row's payload: the event, as the change that caused it saw it. */
export interface OutboxEvent {
  type: WebhookEventType;
  /** When it happened (ms since the epoch). */
  at: number;
  data: Record<string, unknown>;
}

const wakers = new Set<() => void>();

/** Workers of this process hear of new outbox rows at once (other processes poll). */
export function onOutboxWrite(wake: () => void): () => void {
  wakers.add(wake);
  return () => wakers.delete(wake);
}

const wakeAll = () => wakers.forEach((wake) => wake());

/** Tells this process's workers there is work once `db`'s transaction commits (at once outside one). */
export const wakeWorkersAfter = (db: Queryable) => afterCommit(db, wakeAll);

// One statement per batch whatever its size: every inserted message becomes one outbox row; the
// worker finds its recipients later, off the send path.
const ENQUEUE_MESSAGES = `insert into push_outbox (app_id, kind, ref_id) select a, ${OUTBOX.MESSAGE}, m from unnest($1::text[], $2::bigint[]) as t(a, m)`;

/** The message writer's batch hook: the batch's messages join the outbox in its transaction. */
export async function enqueueMessages(tx: Tx, inserted: readonly Message[]): Promise<void> {
  if (inserted.length === 0) return;
  await runPrepared(tx, ENQUEUE_MESSAGES, [inserted.map((m) => m.appId), inserted.map((m) => m.id)]);
  afterCommit(tx, wakeAll);
}

/** An outbox row written in the caller's transaction (a notification task, a webhook event). */
export async function enqueue(db: Queryable, appId: string, kind: number, refId: number, payload: unknown = null): Promise<void> {
  await runPrepared(db, `insert into push_outbox (app_id, kind, ref_id, payload) values ($1, $2, $3, $4)`, [
    appId,
    kind,
    refId,
    payload === null ? null : JSON.stringify(payload),
  ]);
  afterCommit(db, wakeAll);
}

/**
 * Records that something happened, in the caller's transaction (so it is told exactly when it
 * commits): the worker hands it to the app's webhook endpoints that listen for its type, and to
 * whatever else fans out events (a recall withdraws its message's notifications). `refId` is the
 * main thing it is about (a message, user or group id).
 */
export async function emitEvent(db: Queryable, appId: string, type: WebhookEventType, refId: number, data: Record<string, unknown>): Promise<void> {
  const event: OutboxEvent = { type, at: Date.now(), data };
  await enqueue(db, appId, OUTBOX.EVENT, refId, event);
}
