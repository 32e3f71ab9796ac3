import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Config } from '../../config.js';
import type { Queryable, Tx } from '../../db/client.js';
import { runPrepared, toNumber } from '../../db/raw.js';
import type { Deps } from '../deps.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors.js';
import { CONTENT_TYPES, CONVERSATION } from '../messages/vocabulary.js';
import { transaction } from '../transactions.js';
import { entityId, parseInput } from '../validation.js';
import type { Viewer } from '../viewer.js';
import type { NewDelivery } from './message-push.js';
import { OUTBOX, WEBHOOK_EVENTS, wakeWorkersAfter, type OutboxEvent, type WebhookEventType } from './outbox.js';
import { describeError, post, trustedCas } from './providers/http.js';
import { CHANNEL, type Outcome } from './providers/types.js';
import { sealerOf } from './sealed.js';
import { signatureHeader } from './signature.js';
import { DELIVERY, registerChannel, registerFanOut, type ClaimedDelivery, type OutboxRow } from './worker.js';

// Webhooks to the app's own server. An endpoint (URL, secret, event types) is set by an admin;
// events come from the push outbox, written in the transaction of the change that caused them
// (message.sent from the rows every message batch writes anyway, the rest from emitEvent). The
// worker turns each into one delivery per listening endpoint and posts it, signed, with retries
// and backoff; a delivery that keeps failing is left failed (dead letter) with the last error.

export const MAX_ENDPOINTS = 10;
const SECRET_MIN = 16;

export interface WebhookEndpoint {
  id: number;
  appId: string;
  url: string;
  secret: string;
  events: WebhookEventType[];
  createdAt: Date;
  updatedAt: Date;
}

export interface WebhookDelivery {
  id: number;
  endpointId: number;
  eventId: string;
  eventType: string;
  /** 0 pending (maybe retrying), 1 delivered (2xx), 2 failed for good. */
  status: number;
  attempts: number;
  lastError: string | null;
  body: string;
  createdAt: Date;
  deliveredAt: Date | null;
  nextAttemptAt: Date | null;
}

const url = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).max(2048, 'must be at most 2048 characters');
const secret = z.string().min(SECRET_MIN, `must be at least ${SECRET_MIN} characters`).max(256, 'must be at most 256 characters');
const events = z
  .array(z.enum(WEBHOOK_EVENTS, { error: `must be one of ${WEBHOOK_EVENTS.join(', ')}` }))
  .min(1, 'must name at least one event type')
  .transform((list) => [...new Set(list)]);
const createInput = z.object({ url, secret: secret.optional(), events });
const updateInput = z.object({ url: url.optional(), secret: secret.optional(), events: events.optional() });

function requireAdmin(viewer: Viewer): string {
  if (viewer.kind !== 'admin') throw new ForbiddenError('webhooks need an admin token');
  return viewer.appId;
}

const ENDPOINT_COLUMNS = `id, app_id, url, sealed_secret, events, created_at, updated_at`;
const date = (value: unknown) => (value instanceof Date ? value : new Date(value as string));

async function endpointOf(config: Config, r: Record<string, unknown>): Promise<WebhookEndpoint> {
  return {
    id: toNumber(r['id']),
    appId: r['app_id'] as string,
    url: r['url'] as string,
    secret: (await sealerOf(config)).open(Buffer.from(r['sealed_secret'] as Uint8Array)),
    events: r['events'] as WebhookEventType[],
    createdAt: date(r['created_at']),
    updatedAt: date(r['updated_at']),
  };
}

/** The app's endpoint by id; another app's is as unknown as none. */
async function findEndpoint(deps: Deps, db: Queryable, appId: string, id: string | number, lock = false): Promise<WebhookEndpoint> {
  const endpointId = parseInput(entityId, id, 'id');
  const [row] = await runPrepared<Record<string, unknown>>(
    db,
    `select ${ENDPOINT_COLUMNS} from webhook_endpoints where app_id = $1 and id = $2${lock ? ' for update' : ''}`,
    [appId, endpointId],
  );
  if (!row) throw new NotFoundError('WEBHOOK_NOT_FOUND', `webhook endpoint ${endpointId} does not exist`);
  return endpointOf(deps.config, row);
}

/** Admin: a new endpoint. Without a secret one is made (shown on the endpoint; admins only). */
export async function createWebhookEndpoint(deps: Deps, viewer: Viewer, input: z.input<typeof createInput>): Promise<WebhookEndpoint> {
  const appId = requireAdmin(viewer);
  const parsed = parseInput(createInput, input);
  const sealed = (await sealerOf(deps.config)).seal(parsed.secret ?? `whsec_${randomBytes(24).toString('base64url')}`);
  return transaction(deps.db, async (tx) => {
    // The app row lock serialises creations, so the limit holds under concurrency.
    await runPrepared(tx, `select id from apps where id = $1 for update`, [appId]);
    const [{ n }] = (await runPrepared<{ n: unknown }>(tx, `select count(*)::int as n from webhook_endpoints where app_id = $1`, [appId])) as [{ n: unknown }];
    if (Number(n) >= MAX_ENDPOINTS) throw new ConflictError('WEBHOOK_LIMIT', 'url', `an app may have at most ${MAX_ENDPOINTS} webhook endpoints`);
    const [row] = await runPrepared<Record<string, unknown>>(
      tx,
      `insert into webhook_endpoints (app_id, url, sealed_secret, events) values ($1, $2, $3, $4) returning ${ENDPOINT_COLUMNS}`,
      [appId, parsed.url, sealed, parsed.events],
    );
    return endpointOf(deps.config, row!);
  });
}

/** Admin: changes what is given (URL, secret, event types); deliveries already made keep their body. */
export async function updateWebhookEndpoint(deps: Deps, viewer: Viewer, id: string | number, input: z.input<typeof updateInput>): Promise<WebhookEndpoint> {
  const appId = requireAdmin(viewer);
  const parsed = parseInput(updateInput, input);
  const sealed = parsed.secret === undefined ? null : (await sealerOf(deps.config)).seal(parsed.secret);
  return transaction(deps.db, async (tx) => {
    const endpoint = await findEndpoint(deps, tx, appId, id, true);
    const [row] = await runPrepared<Record<string, unknown>>(
      tx,
      `update webhook_endpoints set url = coalesce($2, url), sealed_secret = coalesce($3, sealed_secret), events = coalesce($4, events), updated_at = now()
       where id = $1 returning ${ENDPOINT_COLUMNS}`,
      [endpoint.id, parsed.url ?? null, sealed, parsed.events ?? null],
    );
    return endpointOf(deps.config, row!);
  });
}

/** Admin: removes an endpoint; its pending deliveries fail (nothing more is posted to it). */
export async function deleteWebhookEndpoint(deps: Deps, viewer: Viewer, id: string | number): Promise<number> {
  const appId = requireAdmin(viewer);
  return transaction(deps.db, async (tx) => {
    const endpoint = await findEndpoint(deps, tx, appId, id, true);
    await runPrepared(tx, `delete from webhook_endpoints where id = $1`, [endpoint.id]);
    await runPrepared(
      tx,
      `update push_deliveries set status = ${DELIVERY.FAILED}, last_error = 'the endpoint was deleted' where endpoint_id = $1 and status = ${DELIVERY.PENDING}`,
      [endpoint.id],
    );
    return endpoint.id;
  });
}

export async function webhookEndpoints(deps: Deps, viewer: Viewer): Promise<WebhookEndpoint[]> {
  const appId = requireAdmin(viewer);
  const rows = await runPrepared<Record<string, unknown>>(deps.db, `select ${ENDPOINT_COLUMNS} from webhook_endpoints where app_id = $1 order by id`, [appId]);
  return Promise.all(rows.map((r) => endpointOf(deps.config, r)));
}

export async function webhookEndpoint(deps: Deps, viewer: Viewer, id: string | number): Promise<WebhookEndpoint> {
  return findEndpoint(deps, deps.db, requireAdmin(viewer), id);
}

// ---------------------------------------------------------------------------------------------
// Events into deliveries (in the worker's draining transaction)

const LISTENERS = `select id, events from webhook_endpoints where app_id = $1`;

const MESSAGE_DATA = `select x.id, x.conversation_id, x.from_user_id, x.to_kind, x.to_id, x.content_type, x.content, x.attachment,
    x.config, x.ext, x.system, x.created_at
  from messages x where x.id = any($1::bigint[])`;

/** The body posted for an event: the same bytes on every attempt, so its id de-duplicates. */
function eventBody(eventId: string, type: string, appId: string, at: Date | number, data: Record<string, unknown>): string {
  return JSON.stringify({ id: eventId, type, appId, createdAt: new Date(at).toISOString(), data });
}

/** An event's id: its outbox row's, so every endpoint and every retry sees the same one. */
const eventIdOf = (row: OutboxRow) => `evt_${row.id}`;

/** Endpoints of the app by the event types they listen for. */
async function listeners(tx: Tx, appId: string): Promise<Map<string, number[]>> {
  const byType = new Map<string, number[]>();
  for (const r of await runPrepared<{ id: unknown; events: string[] }>(tx, LISTENERS, [appId])) {
    for (const type of r.events) byType.set(type, [...(byType.get(type) ?? []), toNumber(r.id)]);
  }
  return byType;
}

const endpointDelivery = (appId: string, endpointId: number, type: string, messageId: number | null, body: string): NewDelivery => ({
  appId,
  taskId: null,
  messageId,
  userId: null,
  deviceId: null,
  endpointId,
  channel: CHANNEL.ENDPOINT,
  // The event type, kept where the log can show it without parsing the body.
  token: type,
  payload: body,
});

/** What an app server hears of a message (ids as decimal strings: they are 64-bit). */
export function messageData(m: Record<string, unknown>): Record<string, unknown> {
  return {
    messageId: String(m['id']),
    conversationId: String(m['conversation_id']),
    fromUserId: m['from_user_id'] === null ? null : String(m['from_user_id']),
    toKind: Number(m['to_kind']) === CONVERSATION.GROUP ? 'GROUP' : 'USER',
    toId: String(m['to_id']),
    contentType: CONTENT_TYPES[Number(m['content_type'])] ?? 'TEXT',
    content: m['content'],
    attachment: m['attachment'],
    config: m['config'],
    ext: m['ext'],
    system: Boolean(m['system']),
  };
}

/** `message.sent`, from the outbox rows the message writer adds to every batch: nothing more on the send path. */
async function messageSentDeliveries(_deps: Deps, tx: Tx, appId: string, rows: OutboxRow[]): Promise<NewDelivery[]> {
  const endpoints = (await listeners(tx, appId)).get('message.sent');
  if (!endpoints) return [];
  const messages = new Map(
    (await runPrepared<Record<string, unknown>>(tx, MESSAGE_DATA, [rows.map((r) => r.refId)])).map((m) => [toNumber(m['id']), m]),
  );
  return rows.flatMap((row) => {
    const m = messages.get(row.refId);
    if (!m) return [];
    const body = eventBody(eventIdOf(row), 'message.sent', appId, date(m['created_at']), messageData(m));
    return endpoints.map((endpointId) => endpointDelivery(appId, endpointId, 'message.sent', row.refId, body));
  });
}

/** Every other event type: its outbox row carries the event as the change saw it. */
async function eventDeliveries(_deps: Deps, tx: Tx, appId: string, rows: OutboxRow[]): Promise<NewDelivery[]> {
  const byType = await listeners(tx, appId);
  if (byType.size === 0) return [];
  return rows.flatMap((row) => {
    const event = row.payload as OutboxEvent;
    const endpoints = byType.get(event.type) ?? [];
    if (endpoints.length === 0) return [];
    const body = eventBody(eventIdOf(row), event.type, appId, event.at, event.data);
    const messageId = event.type.startsWith('message.') ? row.refId : null;
    return endpoints.map((endpointId) => endpointDelivery(appId, endpointId, event.type, messageId, body));
  });
}

registerFanOut(OUTBOX.MESSAGE, messageSentDeliveries);
registerFanOut(OUTBOX.EVENT, eventDeliveries);

// ---------------------------------------------------------------------------------------------
// Posting

const cas = new WeakMap<Config, { ca: string[] | undefined }>();
const casOf = (config: Config) => {
  let entry = cas.get(config);
  if (!entry) cas.set(config, (entry = { ca: trustedCas(config.push) }));
  return entry.ca;
};

/** The headers of a delivery (documented in the README): the signature is made fresh on every attempt. */
export function deliveryHeaders(secretText: string, body: string, eventId: string, type: string, deliveryId: number, attempt: number, at = Date.now()) {
  return {
    'content-type': 'application/json',
    'user-agent': 'im-server-webhooks/1',
    'x-im-event-id': eventId,
    'x-im-event-type': type,
    'x-im-delivery-id': String(deliveryId),
    'x-im-delivery-attempt': String(attempt),
    'x-im-signature': signatureHeader(secretText, body, at),
  };
}

/** Posts a body to an endpoint: a 2xx answer is delivery; anything else, or no answer, is retried. */
async function postEvent(deps: Deps, endpoint: { url: string; secret: string }, body: string, deliveryId: number, attempt: number): Promise<Outcome> {
  const { id, type } = JSON.parse(body) as { id: string; type: string };
  try {
    const answer = await post(deps.config.push, casOf(deps.config), endpoint.url, deliveryHeaders(endpoint.secret, body, id, type, deliveryId, attempt), body);
    if (answer.status >= 200 && answer.status < 300) return { status: 'sent' };
    return { status: 'retry', error: `the endpoint answered HTTP ${answer.status}` };
  } catch (error) {
    return { status: 'retry', error: describeError(error) };
  }
}

async function sendToEndpoint(deps: Deps, d: ClaimedDelivery): Promise<Outcome> {
  const [row] = await runPrepared<Record<string, unknown>>(deps.db, `select ${ENDPOINT_COLUMNS} from webhook_endpoints where id = $1 and app_id = $2`, [
    d.endpointId,
    d.appId,
  ]);
  if (!row) return { status: 'failed', error: 'the endpoint was deleted' };
  return postEvent(deps, await endpointOf(deps.config, row), d.payload, d.id, d.attempts);
}

registerChannel(CHANNEL.ENDPOINT, sendToEndpoint);

/**
 * Admin: posts a `ping` event to the endpoint now and answers how it went. One attempt, not
 * retried; it is in the delivery log like any other.
 */
export async function testWebhookEndpoint(deps: Deps, viewer: Viewer, id: string | number): Promise<WebhookDelivery> {
  const appId = requireAdmin(viewer);
  const endpoint = await findEndpoint(deps, deps.db, appId, id);
  const body = eventBody(`evt_ping_${randomUUID()}`, 'ping', appId, Date.now(), { endpointId: String(endpoint.id) });
  // Leased well past the send (attempts 1), so no worker takes it meanwhile.
  const [created] = await runPrepared<{ id: unknown }>(
    deps.db,
    `insert into push_deliveries (app_id, endpoint_id, channel, token, payload, attempts, next_attempt_at)
     values ($1, $2, ${CHANNEL.ENDPOINT}, 'ping', $3, 1, now() + interval '1 hour') returning id`,
    [appId, endpoint.id, body],
  );
  const deliveryId = toNumber(created!.id);
  const outcome = await postEvent(deps, endpoint, body, deliveryId, 1);
  await runPrepared(
    deps.db,
    outcome.status === 'sent'
      ? `update push_deliveries set status = ${DELIVERY.SENT}, sent_at = now() where id = $1`
      : `update push_deliveries set status = ${DELIVERY.FAILED}, last_error = $2 where id = $1`,
    outcome.status === 'sent' ? [deliveryId] : [deliveryId, outcome.error],
  );
  const [delivery] = await deliveriesWhere(deps.db, `d.id = $2`, [appId, deliveryId]);
  return delivery!;
}

/**
 * Admin: a failed (dead-lettered) delivery goes out again, by the worker, with its retries and
 * backoff anew: the same body and event id (a receiver that has it already de-duplicates), to the
 * endpoint's URL and secret as they are now. Pending and delivered ones are left alone.
 */
export async function redeliverWebhookDelivery(deps: Deps, viewer: Viewer, id: string | number): Promise<WebhookDelivery> {
  const appId = requireAdmin(viewer);
  const deliveryId = parseInput(entityId, id, 'id');
  return transaction(deps.db, async (tx) => {
    const [row] = await runPrepared<{ status: unknown; endpoint_id: unknown }>(
      tx,
      `select d.status, d.endpoint_id from push_deliveries d where d.id = $1 and d.app_id = $2 and d.channel = ${CHANNEL.ENDPOINT} for update`,
      [deliveryId, appId],
    );
    if (!row) throw new NotFoundError('WEBHOOK_DELIVERY_NOT_FOUND', `webhook delivery ${deliveryId} does not exist`);
    if (Number(row.status) !== DELIVERY.FAILED) {
      throw new ConflictError('WEBHOOK_DELIVERY_NOT_FAILED', 'id', `webhook delivery ${deliveryId} has not failed: only a failed delivery is redelivered`);
    }
    // Its endpoint must still be there (a deleted one's deliveries failed with it).
    await findEndpoint(deps, tx, appId, toNumber(row.endpoint_id), true);
    await runPrepared(
      tx,
      `update push_deliveries set status = ${DELIVERY.PENDING}, attempts = 0, next_attempt_at = now(), sent_at = null where id = $1`,
      [deliveryId],
    );
    wakeWorkersAfter(tx);
    const [delivery] = await deliveriesWhere(tx, `d.id = $2`, [appId, deliveryId]);
    return delivery!;
  });
}

// ---------------------------------------------------------------------------------------------
// The delivery log

const DELIVERY_COLUMNS = `d.id, d.endpoint_id, d.token, d.payload, d.status, d.attempts, d.last_error, d.created_at, d.sent_at, d.next_attempt_at`;

async function deliveriesWhere(db: Queryable, where: string, params: unknown[], limit = 1): Promise<WebhookDelivery[]> {
  const rows = await runPrepared<Record<string, unknown>>(
    db,
    `select ${DELIVERY_COLUMNS} from push_deliveries d where d.app_id = $1 and d.channel = ${CHANNEL.ENDPOINT} and ${where} order by d.id desc limit ${limit}`,
    params,
  );
  return rows.map((r) => {
    const status = Number(r['status']);
    return {
      id: toNumber(r['id']),
      endpointId: toNumber(r['endpoint_id']),
      eventId: (JSON.parse(r['payload'] as string) as { id: string }).id,
      eventType: r['token'] as string,
      status,
      attempts: Number(r['attempts']),
      lastError: (r['last_error'] as string | null) ?? null,
      body: r['payload'] as string,
      createdAt: date(r['created_at']),
      deliveredAt: r['sent_at'] === null ? null : date(r['sent_at']),
      nextAttemptAt: status === DELIVERY.PENDING ? date(r['next_attempt_at']) : null,
    };
  });
}

export const DELIVERY_STATUSES = { PENDING: DELIVERY.PENDING, DELIVERED: DELIVERY.SENT, FAILED: DELIVERY.FAILED } as const;

/** Admin: an endpoint's deliveries, newest first, optionally of one status; `after` is a delivery id. */
export async function listWebhookDeliveries(
  deps: Deps,
  viewer: Viewer,
  endpointId: string | number,
  filter: { status?: number },
  page: { after?: string; limit: number },
): Promise<WebhookDelivery[]> {
  const appId = requireAdmin(viewer);
  const endpoint = await findEndpoint(deps, deps.db, appId, endpointId);
  const after = page.after === undefined ? null : parseInput(entityId, page.after, 'after');
  return deliveriesWhere(
    deps.db,
    `d.endpoint_id = $2 and ($3::smallint is null or d.status = $3) and ($4::bigint is null or d.id < $4)`,
    [appId, endpoint.id, filter.status ?? null, after],
    page.limit,
  );
}

export async function countWebhookDeliveries(deps: Deps, viewer: Viewer, endpointId: string | number, filter: { status?: number }): Promise<number> {
  const appId = requireAdmin(viewer);
  const [row] = await runPrepared<{ n: unknown }>(
    deps.db,
    `select count(*)::int as n from push_deliveries where app_id = $1 and channel = ${CHANNEL.ENDPOINT} and endpoint_id = $2 and ($3::smallint is null or status = $3)`,
    [appId, parseInput(entityId, endpointId, 'endpointId'), filter.status ?? null],
  );
  return Number(row!.n);
}
