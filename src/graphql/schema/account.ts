import { requireUser } from '../../domain/viewer.js';
import { accountKey, SESSION_END_REASONS, type AccountEvent } from '../../realtime/events.js';
import { builder } from '../builder.js';
import { UserRef, UserSettingsRef } from './user.js';

const SessionEndReason = builder.enumType('SessionEndReason', {
  description: 'Why sessions ended.',
  values: SESSION_END_REASONS,
});

/** What the subscription delivers: bus events, plus the marker that the stream is live. */
type Delivered = (AccountEvent | { type: 'READY'; at: number }) & { viewerTokenId: number; appId: string; userId: number };
type Of<T extends Delivered['type']> = Extract<Delivered, { type: T }>;

const TYPE_NAMES: Record<Delivered['type'], string> = {
  READY: 'SubscriptionReadyEvent',
  TOKEN_REVOKED: 'TokenRevokedEvent',
  SETTINGS_CHANGED: 'SettingsChangedEvent',
  PROFILE_CHANGED: 'ProfileChangedEvent',
};

const AccountEventInterface = builder.interfaceRef<Delivered>('AccountEvent').implement({
  description: "Something happened to the viewer's account; every device of the user receives it.",
  resolveType: (event) => TYPE_NAMES[event.type],
  fields: (t) => ({
    at: t.field({ type: 'Timestamp', resolve: (e) => new Date(e.at) }),
  }),
});

builder.objectRef<Of<'READY'>>('SubscriptionReadyEvent').implement({
  description:
    'First event of every subscription: from here on nothing is missed, so a client may now fetch the state it shows.',
  interfaces: [AccountEventInterface],
  fields: () => ({}),
});

builder.objectRef<Of<'TOKEN_REVOKED'>>('TokenRevokedEvent').implement({
  description:
    'Sessions of this user ended (signed out, kicked, device removed, password changed, account disabled); connections using them close right after this event.',
  interfaces: [AccountEventInterface],
  fields: (t) => ({
    reason: t.field({ type: SessionEndReason, resolve: (e) => e.reason }),
    deviceSns: t.field({ type: ['Int'], description: 'Devices signed out.', resolve: (e) => e.deviceSns }),
    thisConnection: t.boolean({
      description: "True when this connection's own token was revoked.",
      resolve: (e) => e.tokenIds.includes(e.viewerTokenId),
    }),
  }),
});

builder.objectRef<Of<'SETTINGS_CHANGED'>>('SettingsChangedEvent').implement({
  description: 'The settings changed (from any device): here they are as they are now.',
  interfaces: [AccountEventInterface],
  fields: (t) => ({
    settings: t.field({
      type: UserSettingsRef,
      resolve: async (e, _args, { loaders }) => (await loaders.settings.load(e.userId))!,
    }),
  }),
});

builder.objectRef<Of<'PROFILE_CHANGED'>>('ProfileChangedEvent').implement({
  description: 'The profile changed (from any device, or by an admin): here it is as it is now.',
  interfaces: [AccountEventInterface],
  fields: (t) => ({
    user: t.field({ type: UserRef, resolve: async (e, _args, { loaders }) => (await loaders.user.load(e.userId))! }),
  }),
});

builder.subscriptionField('accountEvents', (t) =>
  t.field({
    type: AccountEventInterface,
    description: "Live events of the viewer's account, starting with a SubscriptionReadyEvent.",
    authScopes: { user: true },
    subscribe: async function* (_root, _args, { deps, viewer, loaders }) {
      const { appId, userId, tokenId } = requireUser(viewer);
      const events = await deps.events.subscribe('account', accountKey(appId, userId));
      const stamp = { viewerTokenId: tokenId, appId, userId };
      try {
        yield { type: 'READY', at: Date.now(), ...stamp } satisfies Delivered;
        for await (const event of events) {
          // Each event reads fresh data: the per-operation loaders must not serve a stale copy.
          loaders.user.clear(userId);
          loaders.settings.clear(userId);
          yield { ...event, ...stamp } satisfies Delivered;
        }
      } finally {
        events.close();
      }
    },
    resolve: (event: Delivered) => event,
  }),
);
