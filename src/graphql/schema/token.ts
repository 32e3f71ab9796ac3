import { createAdminToken, login, revokeUserTokens, signOut, type IssuedToken } from '../../domain/accounts/tokens.js';
import { AuthenticationError, InvalidInputError, NotFoundError, RateLimitedError } from '../../domain/errors.js';
import { entityId, parseInput } from '../../domain/validation.js';
import { builder } from '../builder.js';

const AccessTokenRef = builder.objectRef<IssuedToken>('AccessToken').implement({
  description: 'A user access token. Send it as `Authorization: Bearer <token>`, or in `connection_init` over WebSocket.',
  fields: (t) => ({
    token: t.exposeString('token', { description: 'The secret; shown only here.' }),
    userId: t.exposeID('userId'),
    expiresAt: t.expose('expiresAt', { type: 'Timestamp' }),
    deviceSn: t.exposeInt('deviceSn', { nullable: true, description: 'The device this token is bound to, if one was named.' }),
    pushToken: t.exposeString('pushToken', { nullable: true, description: "The device's push token, if bound." }),
  }),
});

const AdminTokenRef = builder
  .objectRef<{ token: string; appId: string; expiresAt: Date }>('AdminToken')
  .implement({
    description: 'An admin token: acts for the whole app, or as any of its users (header `X-Act-As-User`).',
    fields: (t) => ({
      token: t.exposeString('token'),
      appId: t.exposeString('appId'),
      expiresAt: t.expose('expiresAt', { type: 'Timestamp' }),
    }),
  });

const CreateAccessTokenInput = builder.inputType('CreateAccessTokenInput', {
  description: 'Give exactly one of username, userId or loginName (a username, mobile number or email).',
  fields: (t) => ({
    username: t.string(),
    userId: t.id(),
    loginName: t.string(),
    password: t.string({ required: true }),
    deviceGuid: t.string({ description: 'A stable id of the client installation; creates or reuses a device.' }),
    platform: t.int({ description: '1 iOS, 2 Android, 3 Windows, 4 macOS, 5 Linux, 6 web.' }),
  }),
});

builder.mutationFields((t) => ({
  createAccessToken: t.field({
    type: AccessTokenRef,
    description: 'Logs a user in with a password. Needs no token. Too many failures lock the account out for a while, from the client address they came from (RateLimitedError).',
    errors: { types: [InvalidInputError, AuthenticationError, NotFoundError, RateLimitedError] },
    args: {
      appId: t.arg.string({ required: true }),
      input: t.arg({ type: CreateAccessTokenInput, required: true }),
    },
    resolve: (_root, { appId, input }, { deps, clientAddress }) =>
      login(deps, appId, {
        username: input.username ?? undefined,
        userId: input.userId ?? undefined,
        loginName: input.loginName ?? undefined,
        password: input.password,
        deviceGuid: input.deviceGuid ?? undefined,
        platform: input.platform ?? undefined,
      }, clientAddress),
  }),
  createAdminToken: t.field({
    type: AdminTokenRef,
    description: 'Mints an admin token from the app secret. Needs no token. Too many wrong secrets lock the app out for a while, from the client address they came from (RateLimitedError).',
    errors: { types: [InvalidInputError, AuthenticationError, NotFoundError, RateLimitedError] },
    args: { appId: t.arg.string({ required: true }), appSecret: t.arg.string({ required: true }) },
    resolve: (_root, args, { deps, clientAddress }) => createAdminToken(deps, args, clientAddress),
  }),
  signOut: t.boolean({
    description: "Revokes the viewer's own token; its live connections close.",
    authScopes: { user: true },
    errors: { types: [InvalidInputError], directResult: false },
    resolve: (_root, _args, { deps, viewer }) => signOut(deps, viewer),
  }),
  revokeUserTokens: t.int({
    description: "Admin: revokes every token of a user and closes their live connections. Answers how many.",
    authScopes: { admin: true },
    errors: { types: [InvalidInputError, NotFoundError], directResult: false },
    args: { userId: t.arg.id({ required: true }) },
    resolve: (_root, { userId }, { deps, viewer }) =>
      revokeUserTokens(deps, viewer, parseInput(entityId, userId, 'userId')),
  }),
}));
