import type { Tx } from '../../db/client.js';
import { runPrepared, toNumber } from '../../db/raw.js';
import type { Deps } from '../deps.js';
import { CONTENT_TYPES, CONVERSATION } from '../messages/vocabulary.js';
import { NOTIFIER_NAMES, PROVIDER, type Notification, type ProviderCode } from './providers/types.js';
import { decide } from './rules.js';

/** A delivery to write: one notification to one device. */
export interface NewDelivery {
  appId: string;
  taskId: number | null;
  messageId: number | null;
  userId: number | null;
  deviceId: number | null;
  endpointId: number | null;
  channel: number;
  token: string;
  payload: string;
}

// Per message (not recalled, not a command) and recipient device with a push token and no live
// connection: the recipient's settings, their group modes, and what the notification shows.
// A direct message's recipient is the other user of the pair (a system notice's: its target).
const RECIPIENTS = `with m as (
    select x.id, x.from_user_id, x.mentions, x.mention_all, c.kind, c.group_id,
      case when c.kind = ${CONVERSATION.DIRECT} then
        case when x.from_user_id = c.user_low then c.user_high when x.from_user_id = c.user_high then c.user_low else x.to_id end
      end as peer_id
    from messages x
    join conversations c on c.id = x.conversation_id
    where x.id = any($1::bigint[]) and x.recalled_at is null and x.content_type <> 6
  ), r as (
    select m.id as message_id, m.peer_id as user_id, null::smallint as push_mode, null::smallint as mute_mode, false as mentioned
    from m where m.kind = ${CONVERSATION.DIRECT}
    union all
    select m.id, gm.user_id, gm.msg_push_mode, gm.msg_mute_mode, (m.mention_all or gm.user_id = any(m.mentions))
    from m join group_members gm on gm.group_id = m.group_id and gm.user_id is distinct from m.from_user_id
    where m.kind = ${CONVERSATION.GROUP}
  )
  select r.message_id, r.user_id, r.push_mode, r.mute_mode, r.mentioned,
    d.id as device_id, d.push_token, d.notifier_name, d.platform,
    s.no_push, s.no_push_detail, s.no_push_start_hour, s.no_push_end_hour, s.silence_start_time, s.silence_end_time, s.no_sounds
  from r
  join devices d on d.user_id = r.user_id and d.push_token is not null
  join user_settings s on s.user_id = r.user_id
  where not exists (
    select 1 from connections k
    where k.app_id = d.app_id and k.user_id = d.user_id and k.device_sn = d.device_sn
      and k.heartbeat_at > now() - make_interval(secs => $2)
  )`;

const MESSAGES = `select x.id, x.app_id, x.conversation_id, x.from_user_id, x.to_kind, x.to_id, x.content_type, x.content,
    c.kind, g.name as group_name,
    coalesce(nullif(ss.push_nick_name, ''), su.nick_name, su.username) as sender_name,
    coalesce(g.owner_id = x.from_user_id or exists(
      select 1 from group_members a where a.group_id = g.id and a.user_id = x.from_user_id and a.is_admin), false) as sender_admin
  from messages x join conversations c on c.id = x.conversation_id
  left join groups g on g.id = c.group_id
  left join users su on su.id = x.from_user_id
  left join user_settings ss on ss.user_id = x.from_user_id
  where x.id = any($1::bigint[])`;

// Unread messages of each user over their conversations, as conversations() derives them, each
// conversation counted up to BADGE_CAP: the cost stays bounded for users who never read (an app
// shows a large badge as "99+" anyway).
export const BADGE_CAP = 100;
const BADGES = `select cm.user_id, least(coalesce(sum((
    select count(*) from (select 1 from messages x
      where x.conversation_id = cm.conversation_id
        and x.seq > greatest(cm.read_seq, cm.cleared_seq, cm.joined_seq)
        and x.from_user_id is distinct from cm.user_id and x.recalled_at is null
      limit ${BADGE_CAP}) capped
  )), 0), ${BADGE_CAP})::int as unread
  from conversation_members cm where cm.user_id = any($1::bigint[]) and cm.active group by cm.user_id`;

const CONFIGURED = `select distinct provider from push_credentials where app_id = $1`;

/** The provider a device's token belongs to: its notifier name, or its platform's usual one. */
export function providerOfDevice(notifierName: string | null, platform: number): ProviderCode | null {
  const named = notifierName ? NOTIFIER_NAMES[notifierName.trim().toLowerCase()] : undefined;
  if (named) return named;
  if (notifierName) return null;
  return platform === 1 ? PROVIDER.APNS : platform === 2 ? PROVIDER.FCM : null;
}

const PLACEHOLDER: Record<string, string> = {
  IMAGE: '[Image]',
  AUDIO: '[Voice]',
  VIDEO: '[Video]',
  FILE: '[File]',
  LOCATION: '[Location]',
  FORWARD: '[Forwarded message]',
};

/** Offline-push deliveries for the given messages of one app. */
export async function messageDeliveries(deps: Deps, tx: Tx, appId: string, messageIds: number[]): Promise<NewDelivery[]> {
  const configured = new Set((await runPrepared<{ provider: number }>(tx, CONFIGURED, [appId])).map((r) => Number(r.provider)));
  if (configured.size === 0) return [];
  const rows = await runPrepared<Record<string, any>>(tx, RECIPIENTS, [messageIds, deps.config.presenceTtlSeconds]);
  const now = new Date();
  const chosen = rows.flatMap((r) => {
    const provider = providerOfDevice(r['notifier_name'], Number(r['platform']));
    if (provider === null || !configured.has(provider)) return [];
    const group = r['push_mode'] === null ? null : {
      pushMode: Number(r['push_mode']),
      muteMode: Number(r['mute_mode']),
      senderIsAdmin: false,
      mentioned: Boolean(r['mentioned']),
    };
    return [{ row: r, provider, group }];
  });
  if (chosen.length === 0) return [];

  const messages = new Map(
    (await runPrepared<Record<string, any>>(tx, MESSAGES, [[...new Set(chosen.map((c) => toNumber(c.row['message_id'])))]])).map((m) => [
      toNumber(m['id']),
      m,
    ]),
  );
  const users = [...new Set(chosen.map((c) => toNumber(c.row['user_id'])))];
  const badges = new Map((await runPrepared<{ user_id: unknown; unread: unknown }>(tx, BADGES, [users])).map((b) => [toNumber(b.user_id), toNumber(b.unread)]));

  return chosen.flatMap(({ row, provider, group }) => {
    const message = messages.get(toNumber(row['message_id']))!;
    if (group) group.senderIsAdmin = Boolean(message['sender_admin']);
    const decision = decide(
      {
        noPush: row['no_push'],
        noPushDetail: row['no_push_detail'],
        noPushStartHour: Number(row['no_push_start_hour']),
        noPushEndHour: Number(row['no_push_end_hour']),
        silenceStartTime: Number(row['silence_start_time']),
        silenceEndTime: Number(row['silence_end_time']),
        noSounds: row['no_sounds'],
      },
      group,
      now,
      deps.config.push.timeZone,
    );
    if (decision === 'none') return [];
    const userId = toNumber(row['user_id']);
    const notification = messageNotification(message, {
      detail: !row['no_push_detail'],
      sound: decision === 'sound',
      badge: badges.get(userId) ?? 0,
    });
    return [
      {
        appId,
        taskId: null,
        messageId: toNumber(message['id']),
        userId,
        deviceId: toNumber(row['device_id']),
        endpointId: null,
        channel: provider,
        token: row['push_token'] as string,
        payload: JSON.stringify(notification),
      },
    ];
  });
}

/**
 * What a message's notification says: the sender (their push nickname when set) and the text, or
 * only that something arrived when the recipient hides details. Notifications of one message share
 * a collapse id, so a later one (a recall) replaces it on the device.
 */
export function messageNotification(
  m: Record<string, any>,
  options: { detail: boolean; sound: boolean; badge: number },
): Notification {
  const group = Number(m['kind']) === CONVERSATION.GROUP;
  const sender = (m['sender_name'] as string | null) ?? '';
  const kind = CONTENT_TYPES[Number(m['content_type'])] ?? 'TEXT';
  const text = kind === 'TEXT' ? truncate(m['content'] as string, 200) : (PLACEHOLDER[kind] ?? '');
  const title = options.detail ? (group ? (m['group_name'] as string) || sender : sender) : '';
  const body = options.detail ? (group && sender ? `${sender}: ${text}` : text) : 'You have a new message';
  return {
    kind: 'alert',
    title,
    body,
    badge: options.badge,
    sound: options.sound ? 'default' : null,
    collapseId: `m${m['id']}`,
    threadId: String(m['conversation_id']),
    data: {
      type: 'message',
      message_id: String(m['id']),
      conversation_id: String(m['conversation_id']),
      from: m['from_user_id'] === null ? '' : String(m['from_user_id']),
      to_type: String(m['to_kind']),
      to: String(m['to_id']),
    },
  };
}

const truncate = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
