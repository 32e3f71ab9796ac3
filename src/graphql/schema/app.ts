import { InvalidInputError } from '../../domain/errors.js';
import { MAX_RETENTION_DAYS, messageRetentionOf, setMessageRetention } from '../../domain/retention.js';
import { builder } from '../builder.js';

// App-wide settings an app's backend manages with an admin token.

const retentionDays = `Whole days, 1 to ${MAX_RETENTION_DAYS}; null keeps messages forever.`;

const AppSettingsRef = builder.objectRef<{ messageRetentionDays: number | null }>('AppSettings').implement({
  description: 'Settings of the whole app. Admins only.',
  fields: (t) => ({
    messageRetentionDays: t.int({
      nullable: true,
      description: `How long messages are kept: older ones (and the files only they carried) are deleted by a sweep that runs hourly. ${retentionDays}`,
      resolve: (s) => s.messageRetentionDays,
    }),
  }),
});

builder.queryField('appSettings', (t) =>
  t.field({
    type: AppSettingsRef,
    description: 'The app\u2019s settings. Admins only.',
    authScopes: { admin: true },
    resolve: async (_root, _args, { deps, viewer }) => ({ messageRetentionDays: await messageRetentionOf(deps, viewer) }),
  }),
);

const SetMessageRetentionPayload = builder.objectRef<{ settings: { messageRetentionDays: number | null } }>('SetMessageRetentionPayload').implement({
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
    resolve: async (_root, { days }, { deps, viewer }) => ({
      settings: { messageRetentionDays: await setMessageRetention(deps, viewer, days ?? null) },
    }),
  }),
);
