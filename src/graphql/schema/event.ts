import { userStream, type StreamItem } from '../../domain/messages/stream.js';
import type { Context } from '../../context.js';
import { trackedStream } from '../../metrics.js';
import { requireUser, type UserViewer } from '../../domain/viewer.js';
import type { UserEvent } from '../../realtime/events.js';
import { builder } from '../builder.js';

/** What the subscription delivers: stream events, stamped with who receives them and the cursor. */
export type Delivered<E extends { type: string } = UserEvent | ReadyEvent> = E & {
  receiver: { tokenId: number; appId: string; userId: number };
  cursor: string | null;
};
type ReadyEvent = { type: 'READY'; at: number };

/** Events whose data the loaders of a stream may serve from their cache (for LOADER_TTL_MS). */
export const MESSAGE_TRAFFIC = new Set(['MESSAGE', 'MESSAGE_CHANGED', 'READ_POSITION', 'MESSAGE_READ', 'TYPING']);
export const LOADER_TTL_MS = 30_000;

/** A stream item as the subscription delivers it to `viewer`. */
export const deliveredOf = ({ tokenId, appId, userId }: UserViewer, item: StreamItem): Delivered => ({
  ...item.event,
  receiver: { tokenId, appId, userId },
  cursor: item.cursor,
});

const typeNames = new Map<string, string>([['READY', 'StreamReadyEvent']]);

/** Each area declares the GraphQL object type of each of its event types. */
export function registerEventType(type: UserEvent['type'], typeName: string) {
  typeNames.set(type, typeName);
}

export const EventInterface = builder.interfaceRef<Delivered>('Event').implement({
  description: "Something the viewer's devices hear live.",
  resolveType: (event) => typeNames.get(event.type) ?? null,
  fields: (t) => ({
    at: t.field({ type: 'Timestamp', description: 'When it happened.', resolve: (e) => new Date(e.at) }),
    cursor: t.string({
      nullable: true,
      description:
        'Where the stream is, on messages and on the ready event. Keep the latest; pass it as `since` when resubscribing to receive every message missed meanwhile, once.',
      resolve: (e) => e.cursor,
    }),
  }),
});

builder.objectRef<Delivered<ReadyEvent>>('StreamReadyEvent').implement({
  description:
    'Comes after any replayed messages: from here on the stream is live and nothing is missed, so a client may now fetch the state it shows.',
  interfaces: [EventInterface],
  fields: () => ({}),
});

builder.subscriptionField('events', (t) =>
  t.field({
    type: EventInterface,
    description:
      "Everything the viewer's devices hear live: messages, read receipts, account, roster and group events. With `since` (a cursor from an earlier stream) it first replays every message missed, in order, once.",
    authScopes: { user: true },
    args: { since: t.arg.string({ description: 'The latest cursor of an earlier stream.' }) },
    // The stream ends when this subscription is unsubscribed, or when the operation's live
    // streams must end (session ended, client gone, server stopping: context.liveUntil).
    subscribe: (_root, { since }, context) =>
      trackedStream(context.deps.metrics, (unsubscribed) =>
        deliveries(context, since ?? undefined, context.liveUntil ? AbortSignal.any([unsubscribed, context.liveUntil]) : unsubscribed),
      ),
    resolve: (event: Delivered) => event,
  }),
);

/** The viewer's stream, as the subscription delivers it; `ended` fires when the client unsubscribes. */
async function* deliveries({ deps, viewer, loaders }: Context, since: string | undefined, ended: AbortSignal): AsyncGenerator<Delivered> {
  const me = requireUser(viewer);
  let clearedAt = Date.now();
  for await (const item of userStream(deps, viewer, since, ended)) {
    // The operation's loaders serve the stream's message traffic: a sender is loaded once, not
    // once per message. Any other event (account, roster, group) is about a change, so it
    // reads fresh data; and every half minute they forget anyway, so profiles shown with
    // messages are never older than that.
    if (!MESSAGE_TRAFFIC.has(item.event.type) || Date.now() - clearedAt > LOADER_TTL_MS) {
      loaders.clearAll();
      clearedAt = Date.now();
    }
    yield deliveredOf(me, item);
  }
}
