import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../../domain/errors.js';
import type { WebhookEventType } from '../../domain/push/outbox.js';
import {
  countWebhookDeliveries,
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  DELIVERY_STATUSES,
  listWebhookDeliveries,
  redeliverWebhookDelivery,
  testWebhookEndpoint,
  updateWebhookEndpoint,
  webhookEndpoint,
  webhookEndpoints,
  type WebhookDelivery,
  type WebhookEndpoint,
} from '../../domain/push/webhooks.js';
import { builder } from '../builder.js';
import { connectionOf, counted, forwardConnection } from '../pagination.js';

// Webhooks to the app's own server: endpoints, their delivery log, and a ping. Admins only.
// How deliveries are signed and retried: README "Webhooks" and domain/push/webhooks.ts.

const WebhookEventTypeEnum = builder.enumType('WebhookEventType', {
  description: 'What an endpoint hears of. The delivered body names it in `type` (the wire name given with each value).',
  values: {
    MESSAGE_SENT: { value: 'message.sent', description: 'A message was sent, to a user or a group (`message.sent`).' },
    MESSAGE_RECALLED: { value: 'message.recalled', description: 'A message was recalled (`message.recalled`).' },
    MESSAGE_EDITED: { value: 'message.edited', description: 'A text message was edited (`message.edited`).' },
    USER_REGISTERED: { value: 'user.registered', description: 'A user registered (`user.registered`).' },
    FRIEND_ADDED: { value: 'friend.added', description: 'Two users became friends (`friend.added`).' },
    FRIEND_REMOVED: { value: 'friend.removed', description: 'A friendship ended (`friend.removed`).' },
    GROUP_CREATED: { value: 'group.created', description: 'A group was created (`group.created`).' },
    GROUP_DISSOLVED: { value: 'group.dissolved', description: 'A group was dissolved (`group.dissolved`).' },
    GROUP_MEMBERS_CHANGED: {
      value: 'group.members_changed',
      description: 'Users joined or left a group, or were removed (`group.members_changed`).',
    },
  } as const satisfies Record<string, { value: WebhookEventType; description: string }>,
});

const WebhookDeliveryStatusEnum = builder.enumType('WebhookDeliveryStatus', {
  description: 'Where a delivery stands.',
  values: {
    PENDING: { value: DELIVERY_STATUSES.PENDING, description: 'Not delivered yet: waiting for its first attempt or its next retry (nextAttemptAt).' },
    DELIVERED: { value: DELIVERY_STATUSES.DELIVERED, description: 'The endpoint answered 2xx.' },
    FAILED: { value: DELIVERY_STATUSES.FAILED, description: 'Given up (dead letter): every attempt failed, or the endpoint was deleted; lastError says why.' },
  } as const,
});

const WebhookEndpointRef = builder.objectRef<WebhookEndpoint>('WebhookEndpoint').implement({
  description: "An app server's URL that hears of the app's events, signed with its secret.",
  fields: (t) => ({
    id: t.id({ description: 'Endpoint id.', resolve: (e) => String(e.id) }),
    url: t.exposeString('url', { description: 'Where events are posted.' }),
    secret: t.exposeString('secret', { description: 'The signing secret (HMAC-SHA256 key of `X-IM-Signature`). Stored encrypted.' }),
    events: t.field({ type: [WebhookEventTypeEnum], description: 'The event types it hears of.', resolve: (e) => e.events }),
    createdAt: t.field({ type: 'Timestamp', description: 'When it was created.', resolve: (e) => e.createdAt }),
    updatedAt: t.field({ type: 'Timestamp', description: 'When it last changed.', resolve: (e) => e.updatedAt }),
  }),
});

const WebhookDeliveryRef = builder.objectRef<WebhookDelivery>('WebhookDelivery').implement({
  description: 'One event posted (or to be posted) to one endpoint, with its attempts so far.',
  fields: (t) => ({
    id: t.id({ description: 'Delivery id (the `X-IM-Delivery-Id` header).', resolve: (d) => String(d.id) }),
    endpointId: t.id({ description: 'The endpoint.', resolve: (d) => String(d.endpointId) }),
    eventId: t.exposeID('eventId', {
      description: 'The event id (`id` in the body, `X-IM-Event-Id`): the same on every retry, so a receiver de-duplicates with it.',
    }),
    eventType: t.exposeString('eventType', { description: 'The event type as the body names it (`message.sent`, …, or `ping`).' }),
    status: t.field({ type: WebhookDeliveryStatusEnum, description: 'Where it stands.', resolve: (d) => d.status as 0 }),
    attempts: t.exposeInt('attempts', { description: 'How many times it was posted (or is being posted now).' }),
    lastError: t.exposeString('lastError', {
      nullable: true,
      description: 'Why the last attempt failed (`the endpoint answered HTTP 500`, a timeout, …); null when none did or once delivered.',
    }),
    body: t.exposeString('body', { description: 'The exact JSON body posted (the signed bytes).' }),
    createdAt: t.field({ type: 'Timestamp', description: 'When the event was queued for this endpoint.', resolve: (d) => d.createdAt }),
    deliveredAt: t.field({ type: 'Timestamp', nullable: true, description: 'When the endpoint answered 2xx; null until then.', resolve: (d) => d.deliveredAt }),
    nextAttemptAt: t.field({
      type: 'Timestamp',
      nullable: true,
      description: 'When it is (re)tried next; null once delivered or failed.',
      resolve: (d) => d.nextAttemptAt,
    }),
  }),
});

const WebhookDeliveryConnection = connectionOf(WebhookDeliveryRef, { name: 'WebhookDelivery', description: 'A page of an endpoint’s delivery log, newest first.' });

const CreateWebhookEndpointInput = builder.inputType('CreateWebhookEndpointInput', {
  description: 'A new webhook endpoint.',
  fields: (t) => ({
    url: t.string({ required: true, description: 'The http(s) URL events are posted to.' }),
    secret: t.string({ description: 'The signing secret, 16 to 256 characters; one is made when absent (read it on the endpoint).' }),
    events: t.field({ type: [WebhookEventTypeEnum], required: true, description: 'The event types it hears of (at least one).' }),
  }),
});

const UpdateWebhookEndpointInput = builder.inputType('UpdateWebhookEndpointInput', {
  description: 'What to change on an endpoint; absent fields stay as they are.',
  fields: (t) => ({
    id: t.id({ required: true, description: 'The endpoint.' }),
    url: t.string({ description: 'A new URL.' }),
    secret: t.string({ description: 'A new signing secret (16 to 256 characters); deliveries from now on are signed with it.' }),
    events: t.field({ type: [WebhookEventTypeEnum], description: 'The event types it hears of from now on.' }),
  }),
});

const endpointPayload = (name: string, description: string) =>
  builder.objectRef<{ endpoint: WebhookEndpoint }>(name).implement({
    description,
    fields: (t) => ({ endpoint: t.field({ type: WebhookEndpointRef, description: 'The endpoint.', resolve: (p) => p.endpoint }) }),
  });

const CreateWebhookEndpointPayload = endpointPayload('CreateWebhookEndpointPayload', 'The endpoint created.');
const UpdateWebhookEndpointPayload = endpointPayload('UpdateWebhookEndpointPayload', 'The endpoint as it is now.');

const DeleteWebhookEndpointPayload = builder.objectRef<{ id: number }>('DeleteWebhookEndpointPayload').implement({
  description: 'The endpoint removed; its pending deliveries failed.',
  fields: (t) => ({ id: t.id({ description: 'The endpoint removed.', resolve: (p) => String(p.id) }) }),
});

const TestWebhookEndpointPayload = builder.objectRef<{ delivery: WebhookDelivery }>('TestWebhookEndpointPayload').implement({
  description: 'How the ping went.',
  fields: (t) => ({
    delivery: t.field({
      type: WebhookDeliveryRef,
      description: 'The ping: DELIVERED when the endpoint answered 2xx, otherwise FAILED with the reason (pings are not retried).',
      resolve: (p) => p.delivery,
    }),
  }),
});

const RedeliverWebhookDeliveryPayload = builder.objectRef<{ delivery: WebhookDelivery }>('RedeliverWebhookDeliveryPayload').implement({
  description: 'The delivery queued again.',
  fields: (t) => ({
    delivery: t.field({
      type: WebhookDeliveryRef,
      description: 'PENDING again with no attempts yet: the worker posts it shortly, retrying with backoff as for a new one.',
      resolve: (p) => p.delivery,
    }),
  }),
});

builder.queryFields((t) => ({
  webhookEndpoints: t.field({
    type: [WebhookEndpointRef],
    description: "The app's webhook endpoints, oldest first. Admins only.",
    authScopes: { admin: true },
    resolve: (_root, _args, { deps, viewer }) => webhookEndpoints(deps, viewer),
  }),
  webhookEndpoint: t.field({
    type: WebhookEndpointRef,
    nullable: true,
    description: 'One webhook endpoint of the app; null when it has none with this id. Admins only.',
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true, description: 'The endpoint.' }) },
    resolve: async (_root, { id }, { deps, viewer }) => {
      try {
        return await webhookEndpoint(deps, viewer, String(id));
      } catch (error) {
        if (error instanceof NotFoundError) return null;
        throw error;
      }
    },
  }),
  webhookDeliveries: t.connection(
    {
      type: WebhookDeliveryRef,
      description: 'The delivery log of an endpoint, newest first: each event posted to it, its attempts and last error. Admins only.',
      authScopes: { admin: true },
      args: {
        endpointId: t.arg.id({ required: true, description: 'The endpoint (WEBHOOK_NOT_FOUND for one of no endpoint of the app).' }),
        status: t.arg({ type: WebhookDeliveryStatusEnum, required: false, description: 'Only deliveries in this state.' }),
      },
      resolve: async (_root, args, { deps, viewer }) => {
        const filter = { status: args.status ?? undefined };
        const endpointId = String(args.endpointId);
        const page = await forwardConnection(args, (after, limit) => listWebhookDeliveries(deps, viewer, endpointId, filter, { after, limit }), (d) => String(d.id));
        return counted(page, () => countWebhookDeliveries(deps, viewer, endpointId, filter));
      },
    },
    WebhookDeliveryConnection,
  ),
}));

builder.mutationFields((t) => ({
  createWebhookEndpoint: t.field({
    type: CreateWebhookEndpointPayload,
    description: 'Adds a webhook endpoint: from now on, events of its types are posted to it, signed. At most 10 per app (WEBHOOK_LIMIT). Admins only.',
    authScopes: { admin: true },
    errors: { types: [InvalidInputError, ConflictError, ForbiddenError] },
    args: { input: t.arg({ type: CreateWebhookEndpointInput, required: true, description: 'The endpoint.' }) },
    resolve: async (_root, { input }, { deps, viewer }) => ({
      endpoint: await createWebhookEndpoint(deps, viewer, { url: input.url, secret: input.secret ?? undefined, events: input.events }),
    }),
  }),
  updateWebhookEndpoint: t.field({
    type: UpdateWebhookEndpointPayload,
    description: "Changes an endpoint's URL, secret or event types. Admins only.",
    authScopes: { admin: true },
    errors: { types: [InvalidInputError, NotFoundError, ForbiddenError] },
    args: { input: t.arg({ type: UpdateWebhookEndpointInput, required: true, description: 'What to change.' }) },
    resolve: async (_root, { input }, { deps, viewer }) => ({
      endpoint: await updateWebhookEndpoint(deps, viewer, String(input.id), {
        url: input.url ?? undefined,
        secret: input.secret ?? undefined,
        events: input.events ?? undefined,
      }),
    }),
  }),
  deleteWebhookEndpoint: t.field({
    type: DeleteWebhookEndpointPayload,
    description: 'Removes an endpoint: nothing more is posted to it, and its pending deliveries fail. Admins only.',
    authScopes: { admin: true },
    errors: { types: [InvalidInputError, NotFoundError, ForbiddenError] },
    args: { id: t.arg.id({ required: true, description: 'The endpoint.' }) },
    resolve: async (_root, { id }, { deps, viewer }) => ({ id: await deleteWebhookEndpoint(deps, viewer, String(id)) }),
  }),
  testWebhookEndpoint: t.field({
    type: TestWebhookEndpointPayload,
    description: 'Posts a signed `ping` event to the endpoint now and answers how it went (one attempt; in the delivery log too). Admins only.',
    authScopes: { admin: true },
    errors: { types: [InvalidInputError, NotFoundError, ForbiddenError] },
    args: { id: t.arg.id({ required: true, description: 'The endpoint.' }) },
    resolve: async (_root, { id }, { deps, viewer }) => ({ delivery: await testWebhookEndpoint(deps, viewer, String(id)) }),
  }),
  redeliverWebhookDelivery: t.field({
    type: RedeliverWebhookDeliveryPayload,
    description:
      'Sends a FAILED (dead-lettered) delivery again, once the endpoint is fixed: the same body and event id (receivers de-duplicate by it), signed with the endpoint’s current secret, retried with backoff anew. WEBHOOK_DELIVERY_NOT_FAILED for one pending or delivered; WEBHOOK_DELIVERY_NOT_FOUND for none of the app; WEBHOOK_NOT_FOUND when its endpoint was deleted. Admins only.',
    authScopes: { admin: true },
    errors: { types: [InvalidInputError, NotFoundError, ConflictError, ForbiddenError] },
    args: { id: t.arg.id({ required: true, description: 'The delivery (WebhookDelivery.id).' }) },
    resolve: async (_root, { id }, { deps, viewer }) => ({ delivery: await redeliverWebhookDelivery(deps, viewer, String(id)) }),
  }),
}));
