import { z } from 'zod';
import type { Tx } from '../../db/client.js';
import { runPrepared, toNumber } from '../../db/raw.js';
import { userKey } from '../../realtime/events.js';
import type { Deps } from '../deps.js';
import { ForbiddenError, InvalidInputError } from '../errors.js';
import { transaction } from '../transactions.js';
import { parseInput } from '../validation.js';
import type { Viewer } from '../viewer.js';
import { providerOfDevice, type NewDelivery } from './message-push.js';
import { OUTBOX, enqueue } from './outbox.js';
import { UNSUPPORTED } from './providers/index.js';
import { CHANNEL, type Notification, type Outcome } from './providers/types.js';
import { registerChannel, registerFanOut, type OutboxRow } from './worker.js';

export const MAX_AUDIENCE = 500;
/** 0 combined (in-app for the online, providers for the rest), 1 in-app only, 2 providers only. */
export const STRATEGY = { COMBINED: 0, IN_APP_ONLY: 1, VENDOR_ONLY: 2 } as const;

const list = <T extends z.ZodType>(item: T) =>
  z.array(item).min(1, 'must not be empty').superRefine((values, ctx) => {
    if (values.length > MAX_AUDIENCE) ctx.addIssue({ code: 'custom', message: `must list at most ${MAX_AUDIENCE}`, params: { tooMany: true } });
  });
const shortText = (max: number) => z.string().max(max, `must be at most ${max} characters`);

const notifyInput = z.object({
  audience: z
    .object({
      all: z.literal(true).optional(),
      tags: list(shortText(64)).optional(),
      aliases: list(shortText(128)).optional(),
      userIds: list(z.coerce.number().int().positive()).optional(),
      pushTokens: list(shortText(512)).optional(),
    })
    .refine((a) => Object.values(a).filter((v) => v !== undefined).length === 1, 'must name exactly one of all, tags, aliases, userIds, pushTokens'),
  message: z.object({
    type: z.enum(['TEXT', 'IMAGE', 'CMD']).default('TEXT'),
    title: shortText(256).default(''),
    body: shortText(4096).default(''),
    bigText: shortText(4096).optional(),
    attachmentUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2048).optional(),
    badge: z
      .string()
      .regex(/^\+?\d{1,5}$/, 'must be a number (set the badge) or +N (add N)')
      .default('+1'),
    ext: z.record(z.string(), z.unknown()).optional(),
    showEndAt: z.number().int().positive().optional(),
    sound: shortText(128).optional(),
    collapseId: shortText(64).optional(),
    threadId: shortText(128).optional(),
    subtitle: shortText(256).optional(),
    category: shortText(128).optional(),
    mutableContent: z.boolean().optional(),
    contentAvailable: z.boolean().optional(),
    channelId: shortText(128).optional(),
    clickAction: shortText(32).optional(),
    intent: shortText(1024).optional(),
  }),
  requestId: shortText(128).optional(),
  strategy: z.union([z.literal(0), z.literal(1), z.literal(2)]).default(STRATEGY.COMBINED),
  ospushSequence: z.array(shortText(16)).max(10).default(['ups', 'fcm']),
});
export type NotifyInput = z.input<typeof notifyInput>;
type Parsed = z.output<typeof notifyInput>;

/**
 * Admin: a notification to part of the app's audience. The task and its outbox row commit
 * together; the worker resolves the audience and sends. A request id seen before answers that
 * task again instead of pushing twice.
 */
export async function sendPushNotification(deps: Deps, viewer: Viewer, input: NotifyInput): Promise<number> {
  if (viewer.kind !== 'admin') throw new ForbiddenError('push notifications need an admin token');
  const appId = viewer.appId;
  let parsed: Parsed;
  try {
    parsed = parseInput(notifyInput, input);
  } catch (error) {
    if (error instanceof InvalidInputError && /at most 500/.test(error.message)) {
      throw new InvalidInputError(error.field, `must list at most ${MAX_AUDIENCE} targets`, 'PUSH_TOO_MANY_TARGETS');
    }
    throw error;
  }
  return transaction(deps.db, async (tx) => {
    const [created] = await runPrepared<{ id: unknown }>(
      tx,
      `insert into push_tasks (app_id, request_id, audience, message, strategy, sequence) values ($1, $2, $3, $4, $5, $6)
       on conflict (app_id, request_id) where request_id is not null do nothing returning id`,
      [appId, parsed.requestId ?? null, JSON.stringify(parsed.audience), JSON.stringify(parsed.message), parsed.strategy, parsed.ospushSequence],
    );
    if (!created) {
      const [earlier] = await runPrepared<{ id: unknown }>(tx, `select id from push_tasks where app_id = $1 and request_id = $2`, [appId, parsed.requestId]);
      return toNumber(earlier!.id);
    }
    const taskId = toNumber(created.id);
    await enqueue(tx, appId, OUTBOX.TASK, taskId);
    return taskId;
  });
}

// The audience's users (not disabled) and their devices with a push token, each marked online or
// not (a fresh connection of that device; of any device of the user for `user_online`).
const AUDIENCE = `with u as (
    select id, push_badge from users
    where app_id = $1 and disabled_at is null and (
      $2 = 'all'
      or ($2 = 'tags' and id in (select user_id from push_tags where app_id = $1 and tag = any($3::text[])))
      or ($2 = 'aliases' and push_alias = any($3::text[]))
      or ($2 = 'userIds' and id = any($4::bigint[]))
      or ($2 = 'pushTokens' and id in (select user_id from devices where app_id = $1 and push_token = any($3::text[]))))
  )
  select u.id as user_id, u.push_badge, d.id as device_id, d.push_token, d.notifier_name, d.platform,
    exists(select 1 from connections k where k.app_id = $1 and k.user_id = u.id and k.heartbeat_at > now() - make_interval(secs => $5)) as user_online,
    exists(select 1 from connections k where k.app_id = $1 and k.user_id = u.id and k.device_sn = d.device_sn
      and k.heartbeat_at > now() - make_interval(secs => $5)) as device_online
  from u left join devices d on d.user_id = u.id and d.push_token is not null
    and ($2 <> 'pushTokens' or d.push_token = any($3::text[]))`;

async function taskDeliveries(deps: Deps, tx: Tx, appId: string, rows: OutboxRow[]): Promise<NewDelivery[]> {
  const configured = new Set((await runPrepared<{ provider: number }>(tx, `select distinct provider from push_credentials where app_id = $1`, [appId])).map((r) => Number(r.provider)));
  const deliveries: NewDelivery[] = [];
  for (const row of rows) {
    const [task] = await runPrepared<Record<string, any>>(tx, `select id, audience, message, strategy from push_tasks where id = $1`, [row.refId]);
    if (!task) continue;
    const audience = JSON.parse(task['audience']) as Parsed['audience'];
    const message = JSON.parse(task['message']) as Parsed['message'];
    const strategy = Number(task['strategy']);
    const [kind, values] = Object.entries(audience).find(([, v]) => v !== undefined) as [string, unknown];
    const texts = Array.isArray(values) && kind !== 'userIds' ? (values as string[]) : [];
    const ids = kind === 'userIds' ? (values as number[]) : [];
    const found = await runPrepared<Record<string, any>>(tx, AUDIENCE, [appId, kind, texts, ids, deps.config.presenceTtlSeconds]);
    const inApp = new Set<number>();
    for (const r of found) {
      const userId = toNumber(r['user_id']);
      if (strategy !== STRATEGY.VENDOR_ONLY && r['user_online'] && !inApp.has(userId)) {
        inApp.add(userId);
        deliveries.push(delivery(appId, task, userId, null, CHANNEL.IN_APP, '', notificationOf(message, Number(r['push_badge']))));
      }
      if (r['device_id'] === null || strategy === STRATEGY.IN_APP_ONLY) continue;
      if (strategy === STRATEGY.COMBINED && r['user_online']) continue;
      const provider = providerOfDevice(r['notifier_name'], Number(r['platform']));
      if (provider === null || !configured.has(provider)) continue;
      deliveries.push(delivery(appId, task, userId, toNumber(r['device_id']), provider, r['push_token'], notificationOf(message, Number(r['push_badge']))));
    }
  }
  return deliveries;
}

const delivery = (appId: string, task: Record<string, any>, userId: number, deviceId: number | null, channel: number, token: string, n: Notification): NewDelivery => ({
  appId,
  taskId: toNumber(task['id']),
  messageId: null,
  userId,
  deviceId,
  endpointId: null,
  channel,
  token,
  payload: JSON.stringify(n),
});

/** The notification of a task for one user: `+N` adds to the badge the user's client last reported. */
function notificationOf(m: Parsed['message'], badge: number): Notification {
  const value = m.badge.startsWith('+') ? badge + Number(m.badge.slice(1)) : Number(m.badge);
  const data = Object.fromEntries(Object.entries(m.ext ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  return {
    kind: m.type === 'CMD' ? 'background' : 'alert',
    title: m.title,
    body: m.body,
    ...(m.bigText && { bigText: m.bigText }),
    ...(m.attachmentUrl && { imageUrl: m.attachmentUrl }),
    ...(m.subtitle && { subtitle: m.subtitle }),
    ...(m.threadId && { threadId: m.threadId }),
    ...(m.category && { category: m.category }),
    ...(m.mutableContent && { mutableContent: true }),
    ...(m.contentAvailable && { contentAvailable: true }),
    ...(m.channelId && { channelId: m.channelId }),
    ...(m.clickAction && { clickAction: m.clickAction }),
    ...(m.intent && { intent: m.intent }),
    ...(m.showEndAt && { expiresAt: m.showEndAt }),
    badge: value,
    sound: m.sound ?? 'default',
    collapseId: m.collapseId ?? null,
    data,
  };
}

/** The in-app channel: the notification as an event on the user's live subscription. */
async function sendInApp(deps: Deps, d: { appId: string; userId: number | null; taskId: number | null; payload: string }): Promise<Outcome> {
  const n = JSON.parse(d.payload) as Notification;
  deps.events.publish('user', userKey(d.appId, d.userId!), { type: 'PUSH_NOTIFICATION', at: Date.now(), taskId: d.taskId!, notification: n });
  return { status: 'sent' };
}

registerFanOut(OUTBOX.TASK, taskDeliveries);
registerChannel(CHANNEL.IN_APP, sendInApp);

/** The viewer acknowledges an in-app notification: it counts as received. */
export async function acknowledgePushNotification(deps: Deps, viewer: Viewer, taskId: number): Promise<boolean> {
  if (viewer.kind !== 'user') throw new ForbiddenError('only a user acknowledges a notification');
  const rows = await runPrepared(
    deps.db,
    // Status 0 too: the client may answer before the worker has written that it was sent (outcomes are written in batches).
    `update push_deliveries set status = 3 where task_id = $1 and user_id = $2 and app_id = $3 and channel = ${CHANNEL.IN_APP} and status in (0, 1) and attempts > 0 returning id`,
    [taskId, viewer.userId, viewer.appId],
  );
  return rows.length > 0;
}

export interface ChannelCount {
  channel: number;
  target: number;
  sent: number;
  received: number;
}

export interface PushTask {
  id: number;
  requestId: string | null;
  createdAt: Date;
  channels: ChannelCount[];
  /** Vendor channels this server does not speak: their devices are never targeted. */
  unsupportedChannels: number[];
}

/** Admin: tasks of the app by id (unknown ids left out), each with its per-channel counts. */
export async function pushTasks(deps: Deps, viewer: Viewer, ids: number[]): Promise<PushTask[]> {
  if (viewer.kind !== 'admin') throw new ForbiddenError('push tasks need an admin token');
  if (ids.length > 100) throw new InvalidInputError('ids', 'must list at most 100 tasks');
  const tasks = await runPrepared<Record<string, any>>(deps.db, `select id, request_id, created_at from push_tasks where app_id = $1 and id = any($2::bigint[])`, [viewer.appId, ids]);
  const counts = await runPrepared<Record<string, any>>(
    deps.db,
    `select task_id, channel, count(*)::int as target, count(*) filter (where status in (1, 3))::int as sent,
       count(*) filter (where status = 3 or (status = 1 and channel <> ${CHANNEL.IN_APP}))::int as received
     from push_deliveries where app_id = $1 and task_id = any($2::bigint[]) group by task_id, channel`,
    [viewer.appId, ids],
  );
  const byId = new Map(tasks.map((t) => [toNumber(t['id']), t]));
  return ids.flatMap((id) => {
    const t = byId.get(id);
    if (!t) return [];
    return [
      {
        id,
        requestId: t['request_id'],
        createdAt: t['created_at'] instanceof Date ? t['created_at'] : new Date(t['created_at']),
        channels: counts
          .filter((c) => toNumber(c['task_id']) === id)
          .map((c) => ({ channel: Number(c['channel']), target: Number(c['target']), sent: Number(c['sent']), received: Number(c['received']) })),
        unsupportedChannels: Object.keys(UNSUPPORTED).map(Number),
      },
    ];
  });
}
