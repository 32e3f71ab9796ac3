import { accountDeletionOf, setAccountDeletion, type AccountDeletionMode } from '../../domain/accounts/deletion.js';
import type { Deps } from '../../domain/deps.js';
import { InvalidInputError } from '../../domain/errors.js';
import { MAX_RETENTION_DAYS, messageRetentionOf, setMessageRetention } from '../../domain/retention.js';
import type { Viewer } from '../../domain/viewer.js';
import { builder } from '../builder.js';

// App-wide settings an app's backend manages with an admin token.

const retentionDays = `Whole days, 1 to ${MAX_RETENTION_DAYS}; null keeps messages forever.`;

interface AppSettings {
  messageRetentionDays: number | null;
  accountDeletion: AccountDeletionMode;
}

const appSettingsOf = async (deps: Deps, viewer: Viewer): Promise<AppSettings> => ({
  messageRetentionDays: await messageRetentionOf(deps, viewer),
  accountDeletion: await accountDeletionOf(deps, viewer),
});

const AccountDeletionModeEnum = builder.enumType('AccountDeletionMode', {
  description: 'What deleting a user (`deleteAccount`, `deleteUser`, the REST dialects\u2019 user deletion) does.',
  values: {
    ANONYMISE: {
      value: 'anonymise',
      description:
        'The user row stays as a nameless tombstone, so the messages they sent stay in others\u2019 histories as from a deleted user; their profile, devices, contacts, blocks and memberships go.',
    },
    REMOVE: {
      value: 'remove',
      description:
        'The user\u2019s rows go: one-to-one conversations with them are deleted whole; in groups their messages stay as recalled, empty messages without a sender (seqs stay gap-free); their avatar and the files only they carried go; groups they owned and dissolved go.',
    },
  } as const,
});

const AppSettingsRef = builder.objectRef<AppSettings>('AppSettings').implement({
  description: 'Settings of the whole app. Admins only.',
  fields: (t) => ({
    messageRetentionDays: t.int({
      nullable: true,
      description: `How long messages are kept: older ones (and the files only they carried) are deleted by a sweep that runs hourly. ${retentionDays}`,
      resolve: (s) => s.messageRetentionDays,
    }),
    accountDeletion: t.field({
      type: AccountDeletionModeEnum,
      description: 'What deleting a user does: ANONYMISE (the default) or REMOVE.',
      resolve: (s) => s.accountDeletion,
    }),
  }),
});

builder.queryField('appSettings', (t) =>
  t.field({
    type: AppSettingsRef,
    description: 'The app\u2019s settings. Admins only.',
    authScopes: { admin: true },
    resolve: (_root, _args, { deps, viewer }) => appSettingsOf(deps, viewer),
  }),
);

const SetMessageRetentionPayload = builder.objectRef<{ settings: AppSettings }>('SetMessageRetentionPayload').implement({
  description: 'The app\u2019s settings with the new retention.',
  fields: (t) => ({ settings: t.field({ type: AppSettingsRef, description: 'The app\u2019s settings, as they are now.', resolve: (p) => p.settings }) }),
});

builder.mutationField('setMessageRetention', (t) =>
  t.field({
    type: SetMessageRetentionPayload,
    description: 'Sets how long the app\u2019s messages are kept. Admins only. Messages past it go at the next sweep, with the files only they carried.',
    authScopes: { admin: true },
    errors: { types: [InvalidInputError] },
    args: { days: t.arg.int({ required: false, description: retentionDays }) },
    resolve: async (_root, { days }, { deps, viewer }) => {
      await setMessageRetention(deps, viewer, days ?? null);
      return { settings: await appSettingsOf(deps, viewer) };
    },
  }),
);

const SetAccountDeletionPayload = builder.objectRef<{ settings: AppSettings }>('SetAccountDeletionPayload').implement({
  description: 'The app\u2019s settings with the new account deletion mode.',
  fields: (t) => ({ settings: t.field({ type: AppSettingsRef, description: 'The app\u2019s settings, as they are now.', resolve: (p) => p.settings }) }),
});

builder.mutationField('setAccountDeletion', (t) =>
  t.field({
    type: SetAccountDeletionPayload,
    description: 'Sets what deleting one of the app\u2019s users does from now on (ANONYMISE or REMOVE). Admins only.',
    authScopes: { admin: true },
    errors: { types: [InvalidInputError] },
    args: { mode: t.arg({ type: AccountDeletionModeEnum, required: true, description: 'ANONYMISE or REMOVE.' }) },
    resolve: async (_root, { mode }, { deps, viewer }) => {
      await setAccountDeletion(deps, viewer, mode);
      return { settings: await appSettingsOf(deps, viewer) };
    },
  }),
);
