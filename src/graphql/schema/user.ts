import {
  registerPushUser,
  registerUser,
  registerUsers,
  type BatchRegistrationItem,
  type Registration,
  type User,
  type UserSettings,
} from '../../domain/accounts/users.js';
import { AuthenticationError, ConflictError, InvalidInputError, NotFoundError } from '../../domain/errors.js';
import { entityId, parseInput } from '../../domain/validation.js';
import { canSeePrivate, requireUser, viewerApp } from '../../domain/viewer.js';
import { builder } from '../builder.js';

export const UserRef = builder.objectRef<User>('User').implement({
  description: 'A user of an app. Private fields are null unless the viewer is this user or an admin of the app.',
  fields: (t) => ({
    id: t.exposeID('id', { description: '64-bit user id, as a decimal string.' }),
    username: t.exposeString('username'),
    nickName: t.exposeString('nickName', { nullable: true }),
    avatar: t.exposeString('avatar', { nullable: true, description: 'Avatar URL.' }),
    description: t.exposeString('description', { nullable: true }),
    publicInfo: t.exposeString('publicInfo', { nullable: true, description: 'App-defined data everyone may see.' }),
    privateInfo: t.string({
      nullable: true,
      description: 'App-defined data only the user (and app admins) ever see.',
      resolve: (user, _args, { viewer }) => (canSeePrivate(viewer, user.appId, user.id) ? user.privateInfo : null),
    }),
    mobile: t.string({
      nullable: true,
      resolve: (user, _args, { viewer }) => (canSeePrivate(viewer, user.appId, user.id) ? user.mobile : null),
    }),
    email: t.string({
      nullable: true,
      resolve: (user, _args, { viewer }) => (canSeePrivate(viewer, user.appId, user.id) ? user.email : null),
    }),
    disabled: t.boolean({ resolve: (user) => user.disabledAt !== null }),
    createdAt: t.expose('createdAt', { type: 'Timestamp' }),
    settings: t.field({
      type: UserSettingsRef,
      nullable: true,
      description: "The user's settings; null for anyone but the user and app admins.",
      resolve: async (user, _args, { viewer, loaders }) =>
        canSeePrivate(viewer, user.appId, user.id) ? ((await loaders.settings.load(user.id)) ?? null) : null,
    }),
  }),
});

export const UserSettingsRef = builder.objectRef<UserSettings>('UserSettings').implement({
  description: "A user's preferences: friend requests, invitations, notifications.",
  fields: (t) => ({
    authMode: t.exposeInt('authMode', {
      description: 'Friend requests: 0 anyone may add, 1 needs approval, 2 must answer the question, 3 rejects all.',
    }),
    authQuestion: t.exposeString('authQuestion'),
    authAnswer: t.exposeString('authAnswer', { description: 'Shown only to the user themself.' }),
    autoDownload: t.exposeBoolean('autoDownload', { description: 'Download thumbnails and files automatically.' }),
    groupConfirm: t.exposeBoolean('groupConfirm', { description: 'Group invitations need the user to accept.' }),
    noPush: t.exposeBoolean('noPush'),
    noPushDetail: t.exposeBoolean('noPushDetail'),
    noPushStartHour: t.exposeInt('noPushStartHour', { description: 'Do-not-disturb start, hour 0–23.' }),
    noPushEndHour: t.exposeInt('noPushEndHour', { description: 'Do-not-disturb end, hour 0–23.' }),
    silenceStartTime: t.exposeInt('silenceStartTime'),
    silenceEndTime: t.exposeInt('silenceEndTime'),
    noSounds: t.exposeBoolean('noSounds'),
    vibratory: t.exposeBoolean('vibratory'),
    pushNickName: t.exposeString('pushNickName'),
  }),
});

const RegistrationRef = builder.objectRef<Registration>('Registration').implement({
  description: 'A newly registered user with their initial settings.',
  fields: (t) => ({
    user: t.field({ type: UserRef, resolve: (r) => r.user }),
    settings: t.field({ type: UserSettingsRef, resolve: (r) => r.settings }),
  }),
});

const BatchRegistrationItemRef = builder.objectRef<BatchRegistrationItem>('BatchRegistrationItem').implement({
  description: 'The outcome of one item of a batch registration.',
  fields: (t) => ({
    username: t.exposeString('username'),
    success: t.exposeBoolean('success'),
    userId: t.exposeID('userId', { nullable: true }),
    reason: t.exposeString('reason', { nullable: true, description: 'Why the item failed.' }),
  }),
});

const RegisterUserInput = builder.inputType('RegisterUserInput', {
  fields: (t) => ({
    username: t.string({ required: true, description: 'Letters, digits, _ and CJK; 2–32 characters; not digits only.' }),
    password: t.string({ required: true, description: '6–64 characters.' }),
    mobile: t.string({ description: 'Digits, optionally with a leading +; usable as a login name.' }),
    email: t.string({ description: 'Usable as a login name.' }),
  }),
});

const optional = <T>(value: T | null | undefined) => value ?? undefined;

builder.queryFields((t) => ({
  viewer: t.field({
    type: UserRef,
    description: 'The signed-in user (or the user an admin token acts as).',
    authScopes: { user: true },
    resolve: async (_root, _args, { viewer, loaders }) => {
      const { userId } = requireUser(viewer);
      const user = await loaders.user.load(userId);
      if (!user) throw new AuthenticationError('TOKEN_INVALID', 'the account of this token no longer exists');
      return user;
    },
  }),
  user: t.field({
    type: UserRef,
    nullable: true,
    description: "A user of the viewer's app by id; null when there is none.",
    authScopes: { signedIn: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, { viewer, loaders }) => {
      viewerApp(viewer);
      return (await loaders.user.load(parseInput(entityId, id, 'id'))) ?? null;
    },
  }),
}));

builder.mutationFields((t) => ({
  registerUser: t.field({
    type: RegistrationRef,
    description: 'Registers a user of an app. Needs no token.',
    errors: { types: [InvalidInputError, ConflictError, NotFoundError] },
    args: {
      appId: t.arg.string({ required: true }),
      input: t.arg({ type: RegisterUserInput, required: true }),
    },
    resolve: (_root, { appId, input }, { deps }) =>
      registerUser(deps, appId, { ...input, mobile: optional(input.mobile), email: optional(input.email) }),
  }),
  registerUsers: t.field({
    type: [BatchRegistrationItemRef],
    description: 'Admin: registers up to 100 users; each item succeeds or fails on its own.',
    authScopes: { admin: true },
    errors: { types: [InvalidInputError], directResult: false },
    args: { input: t.arg({ type: [RegisterUserInput], required: true }) },
    resolve: (_root, { input }, { deps, viewer }) =>
      registerUsers(
        deps,
        viewer,
        input.map((i) => ({ ...i, mobile: optional(i.mobile), email: optional(i.email) })),
      ),
  }),
  registerPushUser: t.field({
    type: RegistrationRef,
    description: 'Registers a user together with the device that receives push notifications. Needs no token.',
    errors: { types: [InvalidInputError, ConflictError, NotFoundError] },
    args: {
      appId: t.arg.string({ required: true }),
      input: t.arg({
        type: builder.inputType('RegisterPushUserInput', {
          fields: (f) => ({
            username: f.string({ required: true }),
            password: f.string({ required: true }),
            deviceGuid: f.string({ required: true, description: 'The device that receives pushes.' }),
            pushToken: f.string({ description: "The device's push-provider token." }),
            alias: f.string({ description: 'Push alias of the user.' }),
          }),
        }),
        required: true,
      }),
    },
    resolve: (_root, { appId, input }, { deps }) =>
      registerPushUser(deps, appId, {
        ...input,
        pushToken: optional(input.pushToken),
        alias: optional(input.alias),
      }),
  }),
}));

