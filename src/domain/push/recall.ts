import type { Tx } from '../../db/client.js';
import { runPrepared, toNumber, toNumberOrNull } from '../../db/raw.js';
import type { Deps } from '../deps.js';
import type { NewDelivery } from './message-push.js';
import { OUTBOX, type OutboxEvent } from './outbox.js';
import { CHANNEL, type Notification } from './providers/types.js';
import { DELIVERY, registerFanOut, type OutboxRow } from './worker.js';

// A recalled message's offline notifications are withdrawn where they were not sent yet (a send in
// flight that fails is not retried), and superseded where they were or may be (sent, or taken by a
// worker now, or waiting for a retry): the device gets a notification with
// the same collapse id (APNs apns-collapse-id, FCM collapse_key and notification tag) that says
// only that the message was recalled, which replaces the one that showed its text.

export const RECALLED_TEXT = 'This message was recalled';

// Provider deliveries of the messages (not in-app, not webhook endpoints) that were sent or are
// still to be: those not taken by a worker now can be withdrawn outright.
const NOTIFIED = `select id, message_id, user_id, device_id, channel, token, payload, status, next_attempt_at > now() as leased
  from push_deliveries
  where app_id = $1 and message_id = any($2::bigint[]) and channel not in (${CHANNEL.IN_APP}, ${CHANNEL.ENDPOINT})
    and status in (${DELIVERY.PENDING}, ${DELIVERY.SENT})`;

const WITHDRAW = `update push_deliveries set status = ${DELIVERY.FAILED}, last_error = 'withdrawn: the message was recalled'
  where id = any($1::bigint[]) and status = ${DELIVERY.PENDING}`;

/** What replaces a message's notification on the device: same collapse id and thread, no text, silent. */
export function recalledNotification(original: Notification): Notification {
  return {
    kind: 'alert',
    title: original.title,
    body: RECALLED_TEXT,
    badge: null,
    sound: null,
    collapseId: original.collapseId,
    ...(original.threadId && { threadId: original.threadId }),
    data: { ...original.data, type: 'recall' },
  };
}

async function recallDeliveries(_deps: Deps, tx: Tx, appId: string, rows: OutboxRow[]): Promise<NewDelivery[]> {
  const recalled = rows.filter((r) => (r.payload as OutboxEvent | null)?.type === 'message.recalled').map((r) => r.refId);
  if (recalled.length === 0) return [];
  const found = await runPrepared<Record<string, any>>(tx, NOTIFIED, [appId, recalled]);
  const pending = found.filter((d) => Number(d['status']) === DELIVERY.PENDING);
  if (pending.length > 0) await runPrepared(tx, WITHDRAW, [pending.map((d) => toNumber(d['id']))]);
  // A pending one whose next attempt is not due may be being sent right now: it is superseded too.
  const superseded = found.filter((d) => Number(d['status']) === DELIVERY.SENT || d['leased']);
  // One replacement per device, whatever number of attempts the original took.
  const perDevice = new Map<string, Record<string, any>>();
  for (const d of superseded) perDevice.set(`${d['message_id']}\0${d['channel']}\0${d['token']}`, d);
  return [...perDevice.values()].map((d) => ({
    appId,
    taskId: null,
    messageId: toNumber(d['message_id']),
    userId: toNumberOrNull(d['user_id']),
    deviceId: toNumberOrNull(d['device_id']),
    endpointId: null,
    channel: Number(d['channel']),
    token: d['token'] as string,
    payload: JSON.stringify(recalledNotification(JSON.parse(d['payload'] as string) as Notification)),
  }));
}

registerFanOut(OUTBOX.EVENT, recallDeliveries);
