import { createAdminToken, login, revokeAdminTokens, revokeUserTokens, rotateAppSecret, signOut, type IssuedToken } from '../../domain/accounts/tokens.js';
import { findUser } from '../../domain/accounts/users.js';
import { AuthenticationError, ForbiddenError, InvalidInputError, NotFoundError, RateLimitedError } from '../../domain/errors.js';
import { entityId, parseInput } from '../../domain/validation.js';
import { requireUser } from '../../domain/viewer.js';
import { builder } from '../builder.js';
import { PlatformEnum } from '../enums.js';
import { UserRef } from './user.js';

const AccessTokenRef = builder.objectRef<IssuedToken>('AccessToken').implement({
  description: 'A user access token. Send it as `Authorization: Bearer <token>`, or in `connection_init` over WebSocket.',
  fields: (t) => ({
    token: t.exposeString('token', { description: 'The secret; shown only here.' }),
    userId: t.exposeID('userId', { description: 'The user the token acts as (64-bit id, as a decimal string).' }),
    expiresAt: t.expose('expiresAt', { type: 'Timestamp', description: 'When the token stops working; log in again before.' }),
    deviceSn: t.exposeInt('deviceSn', { nullable: true, description: 'The device this token is bound to; null when no device id was given.' }),
    pushToken: t.exposeString('pushToken', { nullable: true, description: "The device's push token; null when none is bound." }),
  }),
});

const AdminTokenRef = builder
  .objectRef<{ token: string; appId: string; expiresAt: Date }>('AdminToken')
  .implement({
    description: 'An admin token: acts for the whole app, or as any of its users (header `X-Act-As-User`).',
    fields: (t) => ({
      token: t.exposeString('token', { description: 'The secret; shown only here. Send it as `Authorization: Bearer <token>`.' }),
      appId: t.exposeID('appId', { description: 'The app the token administers.' }),
      expiresAt: t.expose('expiresAt', { type: 'Timestamp', description: 'When the token stops working.' }),
    }),
  });

const CreateAccessTokenInput = builder.inputType('CreateAccessTokenInput', {
  description: 'Give exactly one of username, userId or loginName (a username, mobile number or email).',
  fields: (t) => ({
    username: t.string({ description: 'The username to log in as.' }),
    userId: t.id({ description: 'The id of the user to log in as.' }),
    loginName: t.string({ description: 'A username, mobile number or email of the user.' }),
    password: t.string({ required: true, description: "The user's password." }),
    deviceGuid: t.string({ description: 'A stable id of the client installation; creates or reuses a device.' }),
    platform: t.field({ type: PlatformEnum, description: 'The platform of the device (with `deviceGuid`); kept as it was when absent.' }),
  }),
});

const CreateAccessTokenPayload = builder.objectRef<IssuedToken & { appId: string }>('CreateAccessTokenPayload').implement({
  description: 'A user logged in.',
  fields: (t) => ({
    accessToken: t.field({ type: AccessTokenRef, description: 'The new token.', resolve: (token) => token }),
    user: t.field({
      type: UserRef,
      description: 'The user logged in.',
      // The caller has no token yet, so the viewer's loaders know no app: read the user directly.
      resolve: async (token, _args, { deps }) => (await findUser(deps.db, token.appId, token.userId))!,
    }),
  }),
});

const CreateAdminTokenPayload = builder
  .objectRef<{ token: string; appId: string; expiresAt: Date }>('CreateAdminTokenPayload')
  .implement({
    description: 'An admin token was minted.',
    fields: (t) => ({ adminToken: t.field({ type: AdminTokenRef, description: 'The new token.', resolve: (token) => token }) }),
  });

const SignOutPayload = builder.objectRef<{ userId: number }>('SignOutPayload').implement({
  description: "The viewer's token no longer works.",
  fields: (t) => ({ userId: t.exposeID('userId', { description: 'The user whose session ended.' }) }),
});

const RevokeUserTokensPayload = builder.objectRef<{ userId: number; count: number }>('RevokeUserTokensPayload').implement({
  description: "The user's tokens no longer work.",
  fields: (t) => ({
    user: t.field({
      type: UserRef,
      description: 'The user signed out everywhere.',
      resolve: async ({ userId }, _args, { loaders }) => (await loaders.user.load(userId))!,
    }),
    revokedTokenCount: t.exposeInt('count', { description: 'How many tokens were revoked (0 when the user had none).' }),
  }),
});

const RevokeAdminTokensPayload = builder.objectRef<{ count: number }>('RevokeAdminTokensPayload').implement({
  description: "The app's admin tokens no longer work, the one that asked included.",
  fields: (t) => ({
    revokedTokenCount: t.exposeInt('count', { description: 'How many admin tokens were revoked.' }),
  }),
});

const RotateAppSecretPayload = builder
  .objectRef<{ appId: string; appSecret: string; revokedAdminTokens: number }>('RotateAppSecretPayload')
  .implement({
    description: "The app has a new secret; the old one and every admin token no longer work.",
    fields: (t) => ({
      appId: t.exposeID('appId', { description: 'The app whose secret changed.' }),
      appSecret: t.exposeString('appSecret', { description: 'The new secret; shown only here (only its hash is kept). Mint admin tokens with it.' }),
      revokedAdminTokenCount: t.exposeInt('revokedAdminTokens', { description: 'How many admin tokens were revoked, the one that asked included.' }),
    }),
  });

builder.mutationFields((t) => ({
  createAccessToken: t.field({
    type: CreateAccessTokenPayload,
    description: 'Logs a user in with a password. Needs no token. Too many failures lock the account out for a while, from the client address they came from (RateLimitedError).',
    errors: { types: [InvalidInputError, AuthenticationError, NotFoundError, RateLimitedError] },
    args: {
      appId: t.arg.id({ required: true, description: 'The app the user belongs to.' }),
      input: t.arg({ type: CreateAccessTokenInput, required: true, description: 'The credentials and the device.' }),
    },
    resolve: async (_root, { appId, input }, { deps, clientAddress }) => ({
      appId: String(appId),
      ...(await login(deps, String(appId), {
        username: input.username ?? undefined,
        userId: input.userId ?? undefined,
        loginName: input.loginName ?? undefined,
        password: input.password,
        deviceGuid: input.deviceGuid ?? undefined,
        platform: input.platform ?? undefined,
      }, clientAddress)),
    }),
  }),
  createAdminToken: t.field({
    type: CreateAdminTokenPayload,
    description: 'Mints an admin token from the app secret. Needs no token. Too many wrong secrets lock the app out for a while, from the client address they came from (RateLimitedError).',
    errors: { types: [InvalidInputError, AuthenticationError, NotFoundError, RateLimitedError] },
    args: {
      appId: t.arg.id({ required: true, description: 'The app to administer.' }),
      appSecret: t.arg.string({ required: true, description: 'The secret printed when the app was created.' }),
    },
    resolve: (_root, { appId, appSecret }, { deps, clientAddress }) => createAdminToken(deps, { appId: String(appId), appSecret }, clientAddress),
  }),
  signOut: t.field({
    type: SignOutPayload,
    description: "Revokes the viewer's own token; its live connections close.",
    authScopes: { user: true },
    errors: { types: [InvalidInputError] },
    resolve: async (_root, _args, { deps, viewer }) => {
      const { userId } = requireUser(viewer);
      await signOut(deps, viewer);
      return { userId };
    },
  }),
  revokeUserTokens: t.field({
    type: RevokeUserTokensPayload,
    description: 'Admins only: revokes every token of a user and closes their live connections.',
    authScopes: { admin: true },
    errors: { types: [InvalidInputError, NotFoundError] },
    args: { userId: t.arg.id({ required: true, description: 'The user to sign out everywhere.' }) },
    resolve: async (_root, { userId }, { deps, viewer }) => {
      const id = parseInput(entityId, userId, 'userId');
      return { userId: id, count: await revokeUserTokens(deps, viewer, id) };
    },
  }),
  revokeAdminTokens: t.field({
    type: RevokeAdminTokensPayload,
    description: "Admins only: revokes every admin token of the app, the one in use included (after a suspected leak); their live connections close. Mint a new one with the app secret.",
    authScopes: { admin: true },
    errors: { types: [ForbiddenError] },
    resolve: async (_root, _args, { deps, viewer }) => ({ count: await revokeAdminTokens(deps, viewer) }),
  }),
  rotateAppSecret: t.field({
    type: RotateAppSecretPayload,
    description:
      'Admins only: replaces the app secret with a new random one, answered once, and revokes every admin token of the app. The old secret stops working at once.',
    authScopes: { admin: true },
    errors: { types: [ForbiddenError] },
    resolve: (_root, _args, { deps, viewer }) => rotateAppSecret(deps, viewer),
  }),
}));
