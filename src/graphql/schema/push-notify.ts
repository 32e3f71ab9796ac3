import { ForbiddenError, InvalidInputError } from '../../domain/errors.js';
import { acknowledgePushNotification, pushTasks, sendPushNotification, type ChannelCount, type PushTask } from '../../domain/push/notify.js';
import { builder } from '../builder.js';
import { EventInterface, registerEventType, type Delivered } from './event.js';

// Notifications an admin sends to part of the app's audience (REST /push/notify), their tasks
// with per-channel counts (/push/task/detail), and the in-app channel's event.

const PushChannelEnum = builder.enumType('PushChannel', {
  description: 'A way a notification reaches a device.',
  values: {
    IN_APP: { value: 0, description: "The user's live `events` subscription (PushNotificationReceivedEvent)." },
    APNS: { value: 1, description: 'Apple Push Notification service.' },
    HUAWEI: { value: 2, description: 'Huawei Push Kit (not supported yet).' },
    XIAOMI: { value: 3, description: 'Xiaomi push (not supported yet).' },
    MEIZU: { value: 4, description: 'Meizu Flyme push (not supported).' },
    VIVO: { value: 5, description: 'vivo push (not supported).' },
    OPPO: { value: 6, description: 'OPPO push (not supported).' },
    FCM: { value: 7, description: 'Firebase Cloud Messaging.' },
    WEBHOOK: { value: 8, description: "The app's own server, by signed HTTP POST." },
  } as const,
});

const PushMessageTypeEnum = builder.enumType('PushMessageType', {
  description: 'What a notification is.',
  values: {
    TEXT: { description: 'A shown notification with text.' },
    IMAGE: { description: 'A shown notification with an image (attachmentUrl).' },
    CMD: { description: 'Data for the app only, not shown (a background push).' },
  } as const,
});

const PushStrategyEnum = builder.enumType('PushDistributionStrategy', {
  description: 'Which channels a notification takes.',
  values: {
    COMBINED: { value: 0, description: 'In-app to users online now, push providers to the devices of the others.' },
    IN_APP_ONLY: { value: 1, description: 'Only users online now, in-app.' },
    VENDOR_ONLY: { value: 2, description: 'Only push providers, to every device with a push token.' },
  } as const,
});

const PushAudienceInput = builder.inputType('PushAudienceInput', {
  description: 'Who gets a notification: exactly one field. Lists hold 1 to 500 entries (more: PUSH_TOO_MANY_TARGETS).',
  fields: (t) => ({
    all: t.boolean({ description: 'Every user of the app (true).' }),
    tags: t.stringList({ description: 'Users with any of these push tags.' }),
    aliases: t.stringList({ description: 'Users with any of these push aliases.' }),
    userIds: t.idList({ description: 'These users.' }),
    pushTokens: t.stringList({ description: 'The devices with these push tokens.' }),
  }),
});

const PushMessageInput = builder.inputType('PushMessageInput', {
  description: 'What a notification says and how it behaves.',
  fields: (t) => ({
    type: t.field({ type: PushMessageTypeEnum, description: 'TEXT when absent.' }),
    title: t.string({ description: 'Up to 256 characters.' }),
    body: t.string({ description: 'Up to 4096 characters.' }),
    bigText: t.string({ description: 'A longer text, shown where the platform supports it instead of body.' }),
    attachmentUrl: t.string({ description: 'An http(s) URL of an image (or audio, video) to show with it.' }),
    badge: t.string({ description: 'The app badge: a number sets it, `+N` adds N to what the client last reported (setPushBadge). `+1` when absent.' }),
    ext: t.field({ type: 'JSON', description: 'App data (a JSON object) delivered with the notification.' }),
    showEndAt: t.field({ type: 'Timestamp', description: 'When it is no longer worth showing (providers drop it after).' }),
    sound: t.string({ description: 'A sound name; `default` when absent.' }),
    collapseId: t.id({ description: 'Notifications with the same collapse id replace each other (APNs apns-collapse-id, FCM collapse_key).' }),
    threadId: t.id({ description: 'APNs thread-id: groups notifications.' }),
    subtitle: t.string({ description: 'APNs subtitle.' }),
    category: t.string({ description: 'APNs category.' }),
    mutableContent: t.boolean({ description: 'APNs mutable-content.' }),
    contentAvailable: t.boolean({ description: 'APNs content-available.' }),
    channelId: t.id({ description: 'Android notification channel.' }),
    clickAction: t.string({ description: 'Android click action (`intent` or `open_app`).' }),
    intent: t.string({ description: 'Android intent URI opened on click.' }),
  }),
});

const SendPushNotificationInput = builder.inputType('SendPushNotificationInput', {
  description: 'A notification to part of the app’s audience.',
  fields: (t) => ({
    audience: t.field({ type: PushAudienceInput, required: true, description: 'Who gets it.' }),
    message: t.field({ type: PushMessageInput, required: true, description: 'What it says.' }),
    requestId: t.id({ description: 'De-duplication: a request id used before answers that task again and pushes nothing. Up to 128 characters.' }),
    strategy: t.field({ type: PushStrategyEnum, description: 'COMBINED when absent.' }),
    ospushSequence: t.stringList({ description: 'Vendor order (`ups`, `fcm`, …), stored for the record: each device uses its own provider.' }),
  }),
});

const PushChannelCountRef = builder.objectRef<ChannelCount>('PushChannelCount').implement({
  description: 'How a task fared on one channel.',
  fields: (t) => ({
    channel: t.field({ type: PushChannelEnum, description: 'The channel.', resolve: (c) => c.channel as 0 }),
    targetCount: t.int({ description: 'Devices (in-app: users) it was meant for.', resolve: (c) => c.target }),
    sentCount: t.int({ description: 'Handed over: accepted by the provider, or published in-app.', resolve: (c) => c.sent }),
    receivedCount: t.int({
      description: 'Acknowledged: by the provider (APNs, FCM, webhook answer 2xx), or in-app by the client (acknowledgePushNotification).',
      resolve: (c) => c.received,
    }),
  }),
});

const PushTaskRef = builder.objectRef<PushTask>('PushTask').implement({
  description: 'A notification an admin sent, with its delivery counts so far.',
  fields: (t) => ({
    id: t.id({ description: 'Task id, a 64-bit integer as a decimal string.', resolve: (p) => String(p.id) }),
    requestId: t.exposeID('requestId', { nullable: true, description: 'The request id it was sent with; null when none.' }),
    createdAt: t.field({ type: 'Timestamp', description: 'When it was asked for.', resolve: (p) => p.createdAt }),
    channels: t.field({ type: [PushChannelCountRef], description: 'Counts per channel that had targets (none yet while it is being resolved).', resolve: (p) => p.channels }),
    unsupportedChannels: t.field({
      type: [PushChannelEnum],
      description: 'Vendor channels this server does not support (Huawei, Xiaomi, Meizu, vivo, OPPO): their devices are not targeted, so they count 0.',
      resolve: (p) => p.unsupportedChannels as 0[],
    }),
  }),
});

const SendPushNotificationPayload = builder.objectRef<{ task: PushTask }>('SendPushNotificationPayload').implement({
  description: 'The task that delivers the notification.',
  fields: (t) => ({ task: t.field({ type: PushTaskRef, description: 'The task (a repeated requestId answers the first).', resolve: (p) => p.task }) }),
});

const AcknowledgePushNotificationPayload = builder.objectRef<{ taskId: number; acknowledged: boolean }>('AcknowledgePushNotificationPayload').implement({
  description: 'Whether an in-app notification was marked received.',
  fields: (t) => ({
    taskId: t.id({ description: 'The task.', resolve: (p) => String(p.taskId) }),
    acknowledged: t.exposeBoolean('acknowledged', { description: 'False when the viewer had no unacknowledged in-app notification of it.' }),
  }),
});

type Of<T extends Delivered['type']> = Extract<Delivered, { type: T }>;
registerEventType('PUSH_NOTIFICATION', 'PushNotificationReceivedEvent');
builder.objectRef<Of<'PUSH_NOTIFICATION'>>('PushNotificationReceivedEvent').implement({
  description: 'An admin notification on the in-app channel. Acknowledge it (acknowledgePushNotification) so it counts as received.',
  interfaces: [EventInterface],
  fields: (t) => ({
    taskId: t.id({ description: 'The task it belongs to.', resolve: (e) => String(e.taskId) }),
    title: t.string({ description: 'Title.', resolve: (e) => e.notification.title }),
    body: t.string({ description: 'Text.', resolve: (e) => e.notification.bigText || e.notification.body }),
    background: t.boolean({ description: 'A CMD notification: data for the app, not to be shown.', resolve: (e) => e.notification.kind === 'background' }),
    ext: t.field({ type: 'JSON', description: 'App data (every value a string).', resolve: (e) => e.notification.data }),
  }),
});

const taskIds = (ids: readonly (string | number)[]) => ids.map((id) => Number(id)).filter((id) => Number.isSafeInteger(id) && id > 0);

builder.queryField('pushTasks', (t) =>
  t.field({
    type: [PushTaskRef],
    description: 'Notification tasks of the app by id, in the order asked; unknown ids are left out. At most 100. Admins only.',
    authScopes: { admin: true },
    args: { ids: t.arg.idList({ required: true, description: 'Task ids.' }) },
    resolve: (_root, { ids }, { deps, viewer }) => pushTasks(deps, viewer, taskIds(ids)),
  }),
);

builder.mutationFields((t) => ({
  sendPushNotification: t.field({
    type: SendPushNotificationPayload,
    description: 'Sends a notification to part of the app’s audience; it is delivered in the background (see pushTasks for counts). Admins only.',
    authScopes: { admin: true },
    errors: { types: [InvalidInputError, ForbiddenError] },
    args: { input: t.arg({ type: SendPushNotificationInput, required: true, description: 'The notification.' }) },
    resolve: async (_root, { input }, { deps, viewer }) => {
      const a = input.audience;
      const m = input.message;
      const id = await sendPushNotification(deps, viewer, {
        audience: {
          all: a.all === true ? true : undefined,
          tags: a.tags ?? undefined,
          aliases: a.aliases ?? undefined,
          userIds: a.userIds?.map(String) as never,
          pushTokens: a.pushTokens ?? undefined,
        },
        message: Object.fromEntries(
          Object.entries({
            ...m,
            showEndAt: m.showEndAt?.getTime(),
            channelId: m.channelId == null ? undefined : String(m.channelId),
            collapseId: m.collapseId == null ? undefined : String(m.collapseId),
            threadId: m.threadId == null ? undefined : String(m.threadId),
          }).filter(([, v]) => v !== null && v !== undefined),
        ) as never,
        requestId: input.requestId == null ? undefined : String(input.requestId),
        strategy: (input.strategy ?? undefined) as 0 | 1 | 2 | undefined,
        ospushSequence: input.ospushSequence ?? undefined,
      });
      return { task: (await pushTasks(deps, viewer, [id]))[0]! };
    },
  }),
  acknowledgePushNotification: t.field({
    type: AcknowledgePushNotificationPayload,
    description: "Marks the viewer's in-app notification of a task as received (it counts in the task's receivedCount).",
    authScopes: { user: true },
    errors: { types: [ForbiddenError] },
    args: { taskId: t.arg.id({ required: true, description: 'The task.' }) },
    resolve: async (_root, { taskId }, { deps, viewer }) => ({
      taskId: Number(taskId),
      acknowledged: await acknowledgePushNotification(deps, viewer, taskIds([taskId])[0] ?? 0),
    }),
  }),
}));
