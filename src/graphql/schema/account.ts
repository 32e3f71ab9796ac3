import { requireUser } from '../../domain/viewer.js';
import { accountKey, type AccountEvent } from '../../realtime/events.js';
import { builder } from '../builder.js';

const RevokeReason = builder.enumType('TokenRevokeReason', { values: ['SIGNED_OUT', 'REVOKED_BY_ADMIN'] as const });

/** What the subscription delivers: bus events, plus the marker that the stream is live. */
type Delivered = (AccountEvent | { type: 'READY'; at: number }) & { viewerTokenId: number };

const AccountEventInterface = builder.interfaceRef<Delivered>('AccountEvent').implement({
  description: "Something happened to the viewer's account; every device of the user receives it.",
  resolveType: (event) => ({ READY: 'SubscriptionReadyEvent', TOKEN_REVOKED: 'TokenRevokedEvent' })[event.type],
  fields: (t) => ({
    at: t.field({ type: 'Timestamp', resolve: (e) => new Date(e.at) }),
  }),
});

builder.objectRef<Delivered>('SubscriptionReadyEvent').implement({
  description:
    'First event of every subscription: from here on nothing is missed, so a client may now fetch the state it shows.',
  interfaces: [AccountEventInterface],
  fields: () => ({}),
});

builder.objectRef<Extract<Delivered, { type: 'TOKEN_REVOKED' }>>('TokenRevokedEvent').implement({
  description: 'Tokens of this user were revoked; connections using them close right after this event.',
  interfaces: [AccountEventInterface],
  fields: (t) => ({
    reason: t.field({ type: RevokeReason, resolve: (e) => e.reason }),
    deviceSns: t.field({ type: ['Int'], description: 'Devices signed out.', resolve: (e) => e.deviceSns }),
    thisConnection: t.boolean({
      description: "True when this connection's own token was revoked.",
      resolve: (e) => e.tokenIds.includes(e.viewerTokenId),
    }),
  }),
});

builder.subscriptionField('accountEvents', (t) =>
  t.field({
    type: AccountEventInterface,
    description: "Live events of the viewer's account, starting with a SubscriptionReadyEvent.",
    authScopes: { user: true },
    subscribe: async function* (_root, _args, { deps, viewer }) {
      const { appId, userId, tokenId } = requireUser(viewer);
      const events = await deps.events.subscribe('account', accountKey(appId, userId));
      try {
        yield { type: 'READY', at: Date.now(), viewerTokenId: tokenId } satisfies Delivered;
        for await (const event of events) yield { ...event, viewerTokenId: tokenId } satisfies Delivered;
      } finally {
        events.close();
      }
    },
    resolve: (event: Delivered) => event,
  }),
);
