import { disableUsers, enableUsers } from '../../domain/accounts/admin.js';
import { changePassword } from '../../domain/accounts/password.js';
import { updateProfile, updateProfiles, type BatchProfileItem } from '../../domain/accounts/profile.js';
import { updateSettings } from '../../domain/accounts/settings.js';
import {
  countUsers,
  findUsersByUsername,
  listUsers,
  registerPushUser,
  registerUser,
  registerUsers,
  type BatchRegistrationItem,
  type Registration,
  type User,
  type UserSettings,
} from '../../domain/accounts/users.js';
import { AuthenticationError, ConflictError, InvalidInputError, NotFoundError } from '../../domain/errors.js';
import { z } from 'zod';
import { entityId, parseInput } from '../../domain/validation.js';
import { canSeePrivate, requireUser, viewerApp } from '../../domain/viewer.js';
import { builder } from '../builder.js';
import { connectionOf, counted, forwardConnection } from '../pagination.js';
import { ErrorCode } from './error.js';

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
    ext: t.exposeString('ext', { nullable: true, description: 'App-defined JSON text, visible to everyone.' }),
    online: t.boolean({
      nullable: true,
      description: 'Whether the user has a live connection; null unless the viewer is this user or an app admin.',
      resolve: (user, _args, { viewer, loaders }) =>
        canSeePrivate(viewer, user.appId, user.id) ? loaders.online.load(user.id) : null,
    }),
    pushAlias: t.string({
      nullable: true,
      resolve: (user, _args, { viewer }) => (canSeePrivate(viewer, user.appId, user.id) ? user.pushAlias : null),
    }),
    pushBadge: t.int({
      nullable: true,
      resolve: (user, _args, { viewer }) => (canSeePrivate(viewer, user.appId, user.id) ? user.pushBadge : null),
    }),
    authPolicy: t.field({
      type: AuthPolicyRef,
      description: 'How this user takes friend requests; public, so others know what to answer.',
      resolve: async (user, _args, { loaders }) => {
        const settings = (await loaders.settings.load(user.id))!;
        return { mode: settings.authMode, question: settings.authQuestion };
      },
    }),
    disabled: t.boolean({ resolve: (user) => user.disabledAt !== null }),
    createdAt: t.expose('createdAt', { type: 'Timestamp' }),
    updatedAt: t.expose('updatedAt', { type: 'Timestamp', description: 'When the profile last changed.' }),
    settings: t.field({
      type: UserSettingsRef,
      nullable: true,
      description: "The user's settings; null for anyone but the user and app admins.",
      resolve: async (user, _args, { viewer, loaders }) =>
        canSeePrivate(viewer, user.appId, user.id) ? ((await loaders.settings.load(user.id)) ?? null) : null,
    }),
  }),
});

const UserConnection = connectionOf(UserRef, { name: 'User', description: 'A page of users.' });

const AuthPolicyRef = builder.objectRef<{ mode: number; question: string }>('AuthPolicy').implement({
  description: 'How a user takes friend requests.',
  fields: (t) => ({
    mode: t.exposeInt('mode', { description: '0 anyone may add, 1 needs approval, 2 must answer the question, 3 rejects all.' }),
    question: t.exposeString('question', { description: 'The question to answer in mode 2 (never the answer).' }),
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
    code: t.field({ type: ErrorCode, nullable: true, description: 'Why the item failed, for programs; null on success.', resolve: (i) => i.code }),
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

const entityIds = z.array(entityId).max(500, 'must have at most 500 ids');

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
  usersByUsername: t.field({
    type: [UserRef],
    description: "Users of the viewer's app by username (up to 500), in the order asked; names of nobody are left out.",
    authScopes: { signedIn: true },
    args: { usernames: t.arg.stringList({ required: true, description: 'Exact usernames, up to 500.' }) },
    resolve: (_root, { usernames }, { deps, viewer }) => findUsersByUsername(deps, viewer, usernames),
  }),
  users: t.field({
    type: [UserRef],
    description: "Users of the viewer's app by id (up to 500), in the order asked; ids of nobody are left out.",
    authScopes: { signedIn: true },
    args: { ids: t.arg.idList({ required: true, description: 'User ids, up to 500.' }) },
    resolve: async (_root, { ids }, { viewer, loaders }) => {
      viewerApp(viewer);
      const parsed = parseInput(entityIds, ids, 'ids');
      return (await loaders.user.loadMany(parsed)).filter((u): u is User => u !== undefined && !(u instanceof Error));
    },
  }),
  appUsers: t.connection(
    {
      type: UserRef,
      description: "Admins only: the app's users in registration order, up to 500 a page.",
      authScopes: { admin: true },
      args: {
        offset: t.arg.int({ description: 'Users to skip before the page (after `after`, if given), for clients that page by position.' }),
      },
      resolve: async (_root, args, { deps, viewer }) =>
        counted(
          await forwardConnection(
            args,
            (after, limit) => listUsers(deps, viewer, { after, offset: args.offset ?? undefined, limit }),
            (u) => String(u.id),
            { maxPage: 500 },
          ),
          () => countUsers(deps, viewer),
        ),
    },
    UserConnection,
  ),
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

const ProfileFields = {
  nickName: 'Display name, up to 64 characters.',
  avatar: 'Avatar URL, up to 1024 characters.',
  description: 'Up to 512 characters.',
  publicInfo: 'App-defined data everyone may see, up to 8192 characters.',
  privateInfo: 'App-defined data only the user and app admins see, up to 8192 characters.',
} as const;

const UpdateProfileInput = builder.inputType('UpdateProfileInput', {
  description: 'Absent fields stay as they are.',
  fields: (t) => ({
    username: t.string({ description: 'A new username; it must be free in the app.' }),
    ...Object.fromEntries(Object.entries(ProfileFields).map(([name, description]) => [name, t.string({ description })])),
    mobile: t.string({ description: 'A new mobile number (a login name); empty clears it.' }),
    email: t.string({ description: 'A new email (a login name); empty clears it.' }),
    ext: t.string({ description: 'App-defined JSON text, up to 8192 characters.' }),
  }),
});

const UserProfileInput = builder.inputType('UserProfileInput', {
  description: "One user's changes in an admin batch; absent fields stay as they are.",
  fields: (t) => ({
    userId: t.id({ required: true }),
    ...Object.fromEntries(Object.entries(ProfileFields).map(([name, description]) => [name, t.string({ description })])),
    ext: t.field({ type: 'JSON', description: 'App-defined JSON, up to 8192 characters as compact text; replaces the whole value.' }),
  }),
});

const BatchProfileItemRef = builder.objectRef<BatchProfileItem>('BatchProfileItem').implement({
  description: 'The outcome of one item of a batch profile update.',
  fields: (t) => ({
    userId: t.exposeID('userId'),
    success: t.exposeBoolean('success'),
    code: t.field({ type: ErrorCode, nullable: true, description: 'Why the item failed, for programs; null on success.', resolve: (i) => i.code }),
    reason: t.exposeString('reason', { nullable: true, description: 'Why the item failed.' }),
  }),
});

const UpdateSettingsInput = builder.inputType('UpdateSettingsInput', {
  description: 'Absent fields stay as they are.',
  fields: (t) => ({
    authMode: t.int({ description: 'Friend requests: 0 anyone, 1 approval, 2 question, 3 nobody.' }),
    authQuestion: t.string(),
    authAnswer: t.string({ description: 'Never shown to other users.' }),
    autoDownload: t.boolean(),
    groupConfirm: t.boolean({ description: 'Group invitations need acceptance.' }),
    noPush: t.boolean(),
    noPushDetail: t.boolean(),
    noPushStartHour: t.int({ description: 'Hour 0–23.' }),
    noPushEndHour: t.int({ description: 'Hour 0–23.' }),
    silenceStartTime: t.int({ description: 'Seconds of the day, 0–86399.' }),
    silenceEndTime: t.int({ description: 'Seconds of the day, 0–86399.' }),
    noSounds: t.boolean(),
    vibratory: t.boolean(),
    pushNickName: t.string(),
  }),
});

/** GraphQL gives null for absent optional input fields; the domain reads undefined as "unchanged". */
function defined<T extends Record<string, unknown>>(input: T) {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value != null)) as {
    [K in keyof T]?: Exclude<T[K], null>;
  };
}

builder.mutationFields((t) => ({
  updateProfile: t.field({
    type: UserRef,
    description: "Changes the viewer's profile; the user's devices hear of it.",
    authScopes: { user: true },
    errors: { types: [InvalidInputError, ConflictError] },
    args: { input: t.arg({ type: UpdateProfileInput, required: true }) },
    resolve: (_root, { input }, { deps, viewer }) => updateProfile(deps, viewer, defined(input)),
  }),
  updateProfiles: t.field({
    type: [BatchProfileItemRef],
    description: "Admin: changes up to 100 users' profiles; each item succeeds or fails on its own.",
    authScopes: { admin: true },
    errors: { types: [InvalidInputError], directResult: false },
    args: { input: t.arg({ type: [UserProfileInput], required: true }) },
    resolve: (_root, { input }, { deps, viewer }) =>
      updateProfiles(
        deps,
        viewer,
        input.map(({ ext, ...i }) => ({ ...defined(i), userId: i.userId, ext: ext == null ? undefined : JSON.stringify(ext) })),
      ),
  }),
  updateSettings: t.field({
    type: UserSettingsRef,
    description: "Changes some of the viewer's settings; the user's devices hear of it.",
    authScopes: { user: true },
    errors: { types: [InvalidInputError] },
    args: { input: t.arg({ type: UpdateSettingsInput, required: true }) },
    resolve: (_root, { input }, { deps, viewer }) => updateSettings(deps, viewer, defined(input)),
  }),
  changePassword: t.boolean({
    description: "Changes the viewer's password after checking the old one; every other session ends.",
    authScopes: { user: true },
    errors: { types: [InvalidInputError, AuthenticationError], directResult: false },
    args: { oldPassword: t.arg.string({ required: true }), newPassword: t.arg.string({ required: true }) },
    resolve: (_root, args, { deps, viewer }) => changePassword(deps, viewer, args),
  }),
  disableUsers: t.boolean({
    description:
      'Admin: disables users: they cannot log in, their tokens stop working and their connections close. All or nothing.',
    authScopes: { admin: true },
    errors: { types: [InvalidInputError, NotFoundError], directResult: false },
    args: { userIds: t.arg.idList({ required: true }) },
    resolve: (_root, { userIds }, { deps, viewer }) => disableUsers(deps, viewer, userIds),
  }),
  enableUsers: t.boolean({
    description: 'Admin: lets disabled users log in again. All or nothing.',
    authScopes: { admin: true },
    errors: { types: [InvalidInputError, NotFoundError], directResult: false },
    args: { userIds: t.arg.idList({ required: true }) },
    resolve: (_root, { userIds }, { deps, viewer }) => enableUsers(deps, viewer, userIds),
  }),
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

