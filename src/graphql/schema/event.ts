import { requireUser } from '../../domain/viewer.js';
import { userKey, type UserEvent } from '../../realtime/events.js';
import { builder } from '../builder.js';

/** What the subscription delivers: bus events, stamped with who receives them. */
export type Delivered<E extends { type: string } = UserEvent | ReadyEvent> = E & {
  receiver: { tokenId: number; appId: string; userId: number };
};
type ReadyEvent = { type: 'READY'; at: number };

const typeNames = new Map<string, string>([['READY', 'SubscriptionReadyEvent']]);

/** Each area declares the GraphQL object type of each of its event types. */
export function registerEventType(type: UserEvent['type'], typeName: string) {
  typeNames.set(type, typeName);
}

export const EventInterface = builder.interfaceRef<Delivered>('Event').implement({
  description: "Something the viewer's devices hear live.",
  resolveType: (event) => typeNames.get(event.type) ?? null,
  fields: (t) => ({
    at: t.field({ type: 'Timestamp', description: 'When it happened.', resolve: (e) => new Date(e.at) }),
  }),
});

builder.objectRef<Delivered<ReadyEvent>>('SubscriptionReadyEvent').implement({
  description:
    'First event of every subscription: from here on nothing is missed, so a client may now fetch the state it shows.',
  interfaces: [EventInterface],
  fields: () => ({}),
});

builder.subscriptionField('events', (t) =>
  t.field({
    type: EventInterface,
    description: "Everything the viewer's devices hear live, starting with a SubscriptionReadyEvent.",
    authScopes: { user: true },
    subscribe: async function* (_root, _args, { deps, viewer, loaders }) {
      const { appId, userId, tokenId } = requireUser(viewer);
      const events = await deps.events.subscribe('user', userKey(appId, userId));
      const stamp = { receiver: { tokenId, appId, userId } };
      try {
        yield { type: 'READY', at: Date.now(), ...stamp } satisfies Delivered;
        for await (const event of events) {
          // Each event reads fresh data: the operation's loaders must not serve a stale copy.
          loaders.clearAll();
          yield { ...event, ...stamp } satisfies Delivered;
        }
      } finally {
        events.close();
      }
    },
    resolve: (event: Delivered) => event,
  }),
);
