import { idText, int, type Params } from '../params.js';
import type { Json, Route } from './types.js';

// Chapter 4 of the document: push. Each route runs one GraphQL operation of
// src/graphql/schema/push-credential.ts (and push-notify.ts once served).

/** `provider`: 1 APNs, 2 Huawei, 3 Xiaomi, 4 Meizu, 5 vivo, 6 OPPO, 7 FCM (8: our signed webhook). */
const PROVIDERS: Record<number, string> = { 1: 'APNS', 2: 'HUAWEI', 3: 'XIAOMI', 4: 'MEIZU', 5: 'VIVO', 6: 'OPPO', 7: 'FCM', 8: 'WEBHOOK' };
const ENVIRONMENTS: Record<number, string> = { 0: 'DEVELOPMENT', 1: 'PRODUCTION' };

/** A number outside the table stays as it is, for GraphQL to refuse (10002). */
const enumOf = (table: Record<number, string>, value: unknown) => (typeof value === 'number' ? (table[value] ?? String(value)) : value);

const AUDIENCE_KEYS: Record<string, string> = { tag: 'tags', alias: 'aliases', user_id: 'userIds', push_token: 'pushTokens' };
const STRATEGIES: Record<string, string> = { combined: 'COMBINED', mxpush_only: 'IN_APP_ONLY', ospush_only: 'VENDOR_ONLY' };

/** `"all"` or `{tag|alias|user_id|push_token: [...]}`; other keys go through as they are, for GraphQL to refuse (10002). */
function audienceOf(value: unknown) {
  if (value === 'all') return { all: true };
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value ?? {};
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [AUDIENCE_KEYS[k] ?? k, Array.isArray(v) ? v.map((x) => (typeof x === 'number' ? String(x) : x)) : v]),
  );
}

const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null));

/** The document's message: snake_case, with per-platform blocks (fcm over android; vendors' blocks are not used). */
function messageOf(m: Json | undefined) {
  if (!m || typeof m !== 'object') return {};
  const ios: Json = m.ios ?? {};
  const android: Json = { ...m.android, ...m.fcm };
  let ext = m.ext;
  if (typeof ext === 'string') {
    try {
      ext = JSON.parse(ext);
    } catch {
      // Left as a string: GraphQL's JSON scalar takes it, and the domain refuses a non-object.
    }
  }
  return defined({
    type: typeof m.type === 'string' ? m.type.toUpperCase() : m.type,
    title: m.title,
    body: m.body,
    bigText: m.big_text,
    attachmentUrl: m.attachment_url,
    badge: typeof m.badge === 'number' ? String(m.badge) : m.badge,
    ext,
    showEndAt: typeof m.show_end_time === 'number' ? m.show_end_time * 1000 : undefined,
    sound: ios.sound ?? android.sound,
    collapseId: ios.apns_collapse_id,
    threadId: ios.thread_id,
    subtitle: ios.subtitle,
    category: ios.category,
    mutableContent: ios.mutable_content,
    contentAvailable: ios.content_available,
    channelId: android.channel_id,
    clickAction: android.click_action,
    intent: android.intent,
  });
}

const COUNTED = ['apns', 'fcm', 'flyme', 'huawei', 'mxpush', 'oppo', 'vivo', 'xiaomi'] as const;
const CHANNEL_NAMES: Record<string, (typeof COUNTED)[number]> = {
  IN_APP: 'mxpush',
  APNS: 'apns',
  FCM: 'fcm',
  MEIZU: 'flyme',
  HUAWEI: 'huawei',
  OPPO: 'oppo',
  VIVO: 'vivo',
  XIAOMI: 'xiaomi',
};

/** A task as /push/task/detail lists it: target, sent and received per channel (zeros included). */
function detailOf(task: Json) {
  const out: Json = { task_id: Number(task.id) };
  for (const name of COUNTED) Object.assign(out, { [`${name}_target`]: 0, [`${name}_sent`]: 0, [`${name}_received`]: 0 });
  for (const c of task.channels as Json[]) {
    const name = CHANNEL_NAMES[c.channel];
    if (!name) continue;
    out[`${name}_target`] = c.targetCount;
    out[`${name}_sent`] = c.sentCount;
    out[`${name}_received`] = c.receivedCount;
  }
  return out;
}

const taskList = (p: Params) => {
  const value = p.fields['list'] ?? p.body;
  return Array.isArray(value) ? value.map(idText) : value === undefined ? [] : value;
};

export const pushRoutes: Route[] = [
  {
    methods: ['POST'],
    path: '/push/notify',
    document: `mutation Notify($input: SendPushNotificationInput!) {
      result: sendPushNotification(input: $input) { ...Failure ... on SendPushNotificationPayload { task { id } } }
    }`,
    variables: (p) => {
      const setting: Json = (p.fields['setting'] as Json | undefined) ?? {};
      return {
        input: defined({
          audience: audienceOf(p.fields['audience']),
          message: messageOf(p.fields['message'] as Json | undefined),
          requestId: setting.request_id,
          strategy: typeof setting.distribution_strategy === 'string' ? (STRATEGIES[setting.distribution_strategy] ?? setting.distribution_strategy) : undefined,
          ospushSequence: setting.ospush_sequence,
        }),
      };
    },
    data: (value: Json) => ({ task_id: Number(value.task.id) }),
  },
  {
    methods: ['POST'],
    path: '/push/task/detail',
    document: `query TaskDetail($ids: [ID!]!) {
      result: pushTasks(ids: $ids) { id channels { channel targetCount sentCount receivedCount } }
    }`,
    variables: (p) => ({ ids: taskList(p) }),
    data: (tasks: Json[]) => tasks.map(detailOf),
  },
  {
    methods: ['GET'],
    path: '/push/certificate',
    document: `query Certificate($provider: PushProvider!, $environment: PushEnvironment) {
      result: pushCredential(provider: $provider, environment: $environment) { providerAppId appKey appSecret certificate name }
    }`,
    variables: (p) => ({
      provider: enumOf(PROVIDERS, int(p, 'provider') ?? 1),
      environment: enumOf(ENVIRONMENTS, int(p, 'environment') ?? 1),
    }),
    // None set: data is null.
    data: (c: Json | null) =>
      c && { app_id: c.providerAppId, app_key: c.appKey, app_secret: c.appSecret, certificate: c.certificate, name: c.name },
  },
];
