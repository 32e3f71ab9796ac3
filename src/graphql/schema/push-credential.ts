import { ForbiddenError, InvalidInputError } from '../../domain/errors.js';
import { deletePushCredential, pushCredential, pushCredentialList, setPushCredential } from '../../domain/push/credentials.js';
import type { Credential } from '../../domain/push/providers/types.js';
import { builder } from '../builder.js';

// Push credentials: an app's keys for each push provider and environment. Admins only; the
// secret parts are stored encrypted and shown only to admins (REST: GET /push/certificate).

export const PushProviderEnum = builder.enumType('PushProvider', {
  description: 'A push provider, as the REST dialect numbers it (`provider`).',
  values: {
    APNS: { value: 1, description: "Apple Push Notification service, token-based (.p8 key) (1)." },
    HUAWEI: { value: 2, description: 'Huawei Push Kit (2). Not supported yet: setting credentials is refused.' },
    XIAOMI: { value: 3, description: 'Xiaomi push (3). Not supported yet: setting credentials is refused.' },
    MEIZU: { value: 4, description: 'Meizu Flyme push (4). Not supported: setting credentials is refused.' },
    VIVO: { value: 5, description: 'vivo push (5). Not supported: setting credentials is refused.' },
    OPPO: { value: 6, description: 'OPPO push (6). Not supported: setting credentials is refused.' },
    FCM: { value: 7, description: 'Firebase Cloud Messaging, HTTP v1 with a service account (7).' },
    WEBHOOK: { value: 8, description: "The app's own server gets each notification as a signed HTTP POST (8)." },
  } as const,
});

export const PushEnvironmentEnum = builder.enumType('PushEnvironment', {
  description: 'Which environment credentials are for (the REST dialect: 0 development, 1 production).',
  values: {
    DEVELOPMENT: { value: 0, description: 'Development builds (APNs sandbox) (0).' },
    PRODUCTION: { value: 1, description: 'Store builds (1). Used whenever the app has them for the provider.' },
  } as const,
});

const PushCredentialRef = builder.objectRef<Credential>('PushCredential').implement({
  description:
    "An app's credentials for one push provider and environment. Admins only. Which field holds what depends on the provider (see each field).",
  fields: (t) => ({
    provider: t.field({ type: PushProviderEnum, description: 'The provider.', resolve: (c) => c.provider }),
    environment: t.field({ type: PushEnvironmentEnum, description: 'The environment.', resolve: (c) => c.environment as 0 | 1 }),
    name: t.exposeString('name', { description: 'A name for people (the certificate name of the REST dialect).' }),
    providerAppId: t.exposeID('providerAppId', {
      description: "The provider's id of the app: APNs the bundle id (apns-topic), FCM the project id (optional: the service account's by default).",
    }),
    appKey: t.exposeString('appKey', { description: 'APNs: the key id of the .p8 key (10 characters).' }),
    appSecret: t.exposeString('appSecret', { description: 'APNs: the team id (10 characters); webhook: the signing secret.' }),
    certificate: t.exposeString('certificate', { description: 'APNs: the .p8 private key (PEM); FCM: the service-account JSON key.' }),
    url: t.exposeString('url', { nullable: true, description: 'Webhook: where notifications are posted; null for other providers.' }),
  }),
});

const SetPushCredentialInput = builder.inputType('SetPushCredentialInput', {
  description: 'Credentials for one provider and environment; they replace any set before. Checked before they are stored.',
  fields: (t) => ({
    provider: t.field({ type: PushProviderEnum, required: true, description: 'The provider.' }),
    environment: t.field({ type: PushEnvironmentEnum, description: 'The environment; production when absent.' }),
    name: t.string({ description: 'A name for people. Up to 128 characters.' }),
    providerAppId: t.id({ description: "APNs: the bundle id (required); FCM: the project id (default: the service account's)." }),
    appKey: t.string({ description: 'APNs: the key id of the .p8 key (required).' }),
    appSecret: t.string({ description: 'APNs: the team id (required); webhook: the signing secret (at least 16 characters).' }),
    certificate: t.string({ description: 'APNs: the .p8 key (PEM); FCM: the service-account JSON. Up to 16384 characters.' }),
    url: t.string({ description: 'Webhook: the http(s) URL notifications are posted to.' }),
  }),
});

const SetPushCredentialPayload = builder.objectRef<{ credential: Credential }>('SetPushCredentialPayload').implement({
  description: 'The credentials as stored.',
  fields: (t) => ({ credential: t.field({ type: PushCredentialRef, description: 'The credentials.', resolve: (p) => p.credential }) }),
});

const DeletePushCredentialPayload = builder
  .objectRef<{ provider: 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8; environment: 0 | 1; deleted: boolean }>('DeletePushCredentialPayload')
  .implement({
    description: 'Which credentials were removed.',
    fields: (t) => ({
      provider: t.field({ type: PushProviderEnum, description: 'The provider.', resolve: (p) => p.provider }),
      environment: t.field({ type: PushEnvironmentEnum, description: 'The environment.', resolve: (p) => p.environment }),
      deleted: t.exposeBoolean('deleted', { description: 'False when the app had none for this provider and environment.' }),
    }),
  });

builder.queryFields((t) => ({
  pushCredential: t.field({
    type: PushCredentialRef,
    nullable: true,
    description: "The app's credentials for a provider and environment, secrets included; null when none are set. Admins only.",
    authScopes: { admin: true },
    args: {
      provider: t.arg({ type: PushProviderEnum, required: true, description: 'The provider.' }),
      environment: t.arg({ type: PushEnvironmentEnum, defaultValue: 1, description: 'The environment; production by default.' }),
    },
    resolve: (_root, args, { deps, viewer }) => pushCredential(deps, viewer, args.provider, args.environment ?? 1),
  }),
  pushCredentials: t.field({
    type: [PushCredentialRef],
    description: "Every push credential of the app. Admins only.",
    authScopes: { admin: true },
    resolve: (_root, _args, { deps, viewer }) => pushCredentialList(deps, viewer),
  }),
}));

builder.mutationFields((t) => ({
  setPushCredential: t.field({
    type: SetPushCredentialPayload,
    description:
      'Sets the app\'s credentials for a provider and environment. A malformed key or service account answers INVALID_INPUT on `certificate`; vendors not supported answer it on `provider`. Admins only.',
    authScopes: { admin: true },
    errors: { types: [InvalidInputError, ForbiddenError] },
    args: { input: t.arg({ type: SetPushCredentialInput, required: true, description: 'The credentials.' }) },
    resolve: async (_root, { input }, { deps, viewer }) => ({
      credential: await setPushCredential(deps, viewer, {
        provider: input.provider,
        environment: input.environment ?? undefined,
        name: input.name ?? undefined,
        providerAppId: input.providerAppId == null ? undefined : String(input.providerAppId),
        appKey: input.appKey ?? undefined,
        appSecret: input.appSecret ?? undefined,
        certificate: input.certificate ?? undefined,
        url: input.url ?? undefined,
      }),
    }),
  }),
  deletePushCredential: t.field({
    type: DeletePushCredentialPayload,
    description: "Removes the app's credentials for a provider and environment: its devices are no longer pushed through it. Admins only.",
    authScopes: { admin: true },
    errors: { types: [ForbiddenError] },
    args: {
      provider: t.arg({ type: PushProviderEnum, required: true, description: 'The provider.' }),
      environment: t.arg({ type: PushEnvironmentEnum, defaultValue: 1, description: 'The environment; production by default.' }),
    },
    resolve: async (_root, args, { deps, viewer }) => {
      const environment = args.environment ?? 1;
      return { provider: args.provider, environment, deleted: await deletePushCredential(deps, viewer, args.provider, environment) };
    },
  }),
}));
