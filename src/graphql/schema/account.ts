import { SESSION_END_REASONS } from '../../realtime/events.js';
import { builder } from '../builder.js';
import { EventInterface, registerEventType, type Delivered } from './event.js';
import { UserRef, UserSettingsRef } from './user.js';

type Of<T extends Delivered['type']> = Extract<Delivered, { type: T }>;

const SessionEndReason = builder.enumType('SessionEndReason', {
  description: 'Why sessions ended.',
  values: {
    SIGNED_OUT: { description: 'The session signed itself out (`signOut`).' },
    REVOKED_BY_ADMIN: { description: "An admin revoked the user's tokens (`revokeUserTokens`)." },
    DEVICE_KICKED: { description: 'The device was signed out from another session (`kickDevices`).' },
    DEVICE_REMOVED: { description: 'The device was removed (`removeDevice`).' },
    PASSWORD_CHANGED: { description: 'The password changed (`changePassword`); other sessions end.' },
    ACCOUNT_DISABLED: { description: 'An admin disabled the account (`disableUsers`).' },
    ACCOUNT_DELETED: { description: 'The account was deleted (`deleteAccount`, `deleteUser`).' },
  } satisfies Record<(typeof SESSION_END_REASONS)[number], { description: string }>,
});

registerEventType('TOKEN_REVOKED', 'TokenRevokedEvent');
builder.objectRef<Of<'TOKEN_REVOKED'>>('TokenRevokedEvent').implement({
  description:
    'Sessions of this user ended (signed out, kicked, device removed, password changed, account disabled); connections using them close right after this event.',
  interfaces: [EventInterface],
  fields: (t) => ({
    reason: t.field({ type: SessionEndReason, description: 'Why they ended.', resolve: (e) => e.reason }),
    deviceSns: t.field({ type: ['Int'], description: 'Devices signed out.', resolve: (e) => e.deviceSns }),
    thisConnection: t.boolean({
      description: "True when this connection's own token was revoked.",
      resolve: (e) => e.tokenIds.includes(e.receiver.tokenId),
    }),
  }),
});

registerEventType('SETTINGS_CHANGED', 'SettingsChangedEvent');
builder.objectRef<Of<'SETTINGS_CHANGED'>>('SettingsChangedEvent').implement({
  description: 'The settings changed (from any device): here they are as they are now.',
  interfaces: [EventInterface],
  fields: (t) => ({
    settings: t.field({
      type: UserSettingsRef,
      description: "The viewer's settings as they are now.",
      resolve: async (e, _args, { loaders }) => (await loaders.settings.load(e.receiver.userId))!,
    }),
  }),
});

registerEventType('PROFILE_CHANGED', 'ProfileChangedEvent');
builder.objectRef<Of<'PROFILE_CHANGED'>>('ProfileChangedEvent').implement({
  description: 'The profile changed (from any device, or by an admin): here it is as it is now.',
  interfaces: [EventInterface],
  fields: (t) => ({
    user: t.field({ type: UserRef, description: 'The viewer as they are now.', resolve: async (e, _args, { loaders }) => (await loaders.user.load(e.receiver.userId))! }),
  }),
});
