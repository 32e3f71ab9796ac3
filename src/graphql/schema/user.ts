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
import type { ObjectRef } from '@pothos/core';
import type { Context } from '../../context.js';
import { builder, jsonText, jsonValue } from '../builder.js';
import { AuthModeEnum } from '../enums.js';
import { connectionOf, counted, forwardConnection } from '../pagination.js';
import { ErrorCode } from './error.js';

/** A field only the user themself and app admins see; null for anyone else. */
const PRIVATE = 'Null unless the viewer is this user or an admin of the app.';

export const UserRef = builder.objectRef<User>('User').implement({
  description: 'A user of an app. Private fields are null unless the viewer is this user or an admin of the app.',
  fields: (t) => ({
    id: t.exposeID('id', { description: '64-bit user id, as a decimal string.' }),
    username: t.exposeString('username', { description: 'Unique in the app; 2 to 32 letters, digits, _ or CJK characters.' }),
    nickName: t.exposeString('nickName', { nullable: true, description: 'Display name; null when not set.' }),
    avatar: t.exposeString('avatar', { nullable: true, description: 'Avatar URL; null when not set.' }),
    description: t.exposeString('description', { nullable: true, description: 'A few words about the user; null when not set.' }),
    publicInfo: t.exposeString('publicInfo', { nullable: true, description: 'App-defined text everyone may see; null when not set.' }),
    privateInfo: t.string({
      nullable: true,
      description: `App-defined text only the user (and app admins) ever see. ${PRIVATE}`,
      resolve: (user, _args, { viewer }) => (canSeePrivate(viewer, user.appId, user.id) ? user.privateInfo : null),
    }),
    mobile: t.string({
      nullable: true,
      description: `Mobile number, a login name. ${PRIVATE}`,
      resolve: (user, _args, { viewer }) => (canSeePrivate(viewer, user.appId, user.id) ? user.mobile : null),
    }),
    email: t.string({
      nullable: true,
      description: `Email address, a login name. ${PRIVATE}`,
      resolve: (user, _args, { viewer }) => (canSeePrivate(viewer, user.appId, user.id) ? user.email : null),
    }),
    ext: t.field({
      type: 'JSON',
      nullable: true,
      description: 'App-defined data, visible to everyone; null when none.',
      resolve: (user) => jsonValue(user.ext),
    }),
    online: t.boolean({
      nullable: true,
      description: `Whether the user has a live connection. ${PRIVATE}`,
      resolve: (user, _args, { viewer, loaders }) => (canSeePrivate(viewer, user.appId, user.id) ? loaders.online.load(user.id) : null),
    }),
    pushAlias: t.string({
      nullable: true,
      description: `The push alias (\`setPushAlias\`); null when none. ${PRIVATE}`,
      resolve: (user, _args, { viewer }) => (canSeePrivate(viewer, user.appId, user.id) ? user.pushAlias : null),
    }),
    pushBadge: t.int({
      nullable: true,
      description: `The app badge number (\`setPushBadge\`). ${PRIVATE}`,
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
    disabled: t.boolean({ description: 'Whether an admin disabled the account (`disableUsers`): it cannot log in.', resolve: (user) => user.disabledAt !== null }),
    createdAt: t.expose('createdAt', { type: 'Timestamp', description: 'When the user registered.' }),
    updatedAt: t.expose('updatedAt', { type: 'Timestamp', description: 'When the profile last changed.' }),
    settings: t.field({
      type: UserSettingsRef,
      nullable: true,
      description: `The user's settings. ${PRIVATE}`,
      resolve: async (user, _args, { viewer, loaders }) =>
        canSeePrivate(viewer, user.appId, user.id) ? ((await loaders.settings.load(user.id)) ?? null) : null,
    }),
  }),
});

export const UserConnection = connectionOf(UserRef, { name: 'User', description: 'A page of users.' });

const authMode = (mode: number) => mode as 0;

const AuthPolicyRef = builder.objectRef<{ mode: number; question: string }>('AuthPolicy').implement({
  description: 'How a user takes friend requests.',
  fields: (t) => ({
    mode: t.field({ type: AuthModeEnum, description: 'What a friend request to the user needs.', resolve: (p) => authMode(p.mode) }),
    question: t.exposeString('question', { description: 'The question to answer in mode QUESTION (never the answer); empty when none.' }),
  }),
});

export const UserSettingsRef = builder.objectRef<UserSettings>('UserSettings').implement({
  description: "A user's preferences: friend requests, invitations, notifications.",
  fields: (t) => ({
    authMode: t.field({ type: AuthModeEnum, description: 'How the user takes friend requests.', resolve: (s) => authMode(s.authMode) }),
    authQuestion: t.exposeString('authQuestion', { description: 'The question friend requests answer in mode QUESTION; empty when none.' }),
    authAnswer: t.exposeString('authAnswer', { description: 'The expected answer; shown only to the user themself (and app admins).' }),
    autoDownload: t.exposeBoolean('autoDownload', { description: 'Download thumbnails and files automatically.' }),
    groupConfirm: t.exposeBoolean('groupConfirm', { description: 'Group invitations need the user to accept.' }),
    noPush: t.exposeBoolean('noPush', { description: 'Push no notifications at all.' }),
    noPushDetail: t.exposeBoolean('noPushDetail', { description: 'Push notifications without the message text.' }),
    noPushStartHour: t.exposeInt('noPushStartHour', { description: 'Do-not-disturb start, hour 0–23.' }),
    noPushEndHour: t.exposeInt('noPushEndHour', { description: 'Do-not-disturb end, hour 0–23.' }),
    silenceStartTime: t.exposeInt('silenceStartTime', { description: 'Silent period start, seconds of the day 0–86399.' }),
    silenceEndTime: t.exposeInt('silenceEndTime', { description: 'Silent period end, seconds of the day 0–86399.' }),
    noSounds: t.exposeBoolean('noSounds', { description: 'Notifications make no sound.' }),
    vibratory: t.exposeBoolean('vibratory', { description: 'Notifications vibrate.' }),
    pushNickName: t.exposeString('pushNickName', { description: 'The name notifications show for the user; empty for the nick name.' }),
  }),
});

const registrationPayload = (name: string, description: string) =>
  builder.objectRef<Registration>(name).implement({
    description,
    fields: (t) => ({
      user: t.field({ type: UserRef, description: 'The new user.', resolve: (r) => r.user }),
      settings: t.field({ type: UserSettingsRef, description: 'Their initial settings.', resolve: (r) => r.settings }),
    }),
  });

const RegisterUserOutcomeRef = builder.objectRef<BatchRegistrationItem>('RegisterUserOutcome').implement({
  description: 'What became of one user of a batch registration.',
  fields: (t) => ({
    username: t.exposeString('username', { description: 'The username asked for.' }),
    success: t.exposeBoolean('success', { description: 'Whether the user was registered.' }),
    userId: t.exposeID('userId', { nullable: true, description: 'The new user id; null when the item failed.' }),
    code: t.field({ type: ErrorCode, nullable: true, description: 'Why the item failed, for programs; null on success.', resolve: (i) => i.code }),
    reason: t.exposeString('reason', { nullable: true, description: 'Why the item failed; null when it succeeded.' }),
  }),
});

const RegisterUserInput = builder.inputType('RegisterUserInput', {
  description: 'A user to register.',
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
    description: 'The signed-in user (or the user an admin token acts as). A token whose user is gone: TOKEN_INVALID.',
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
    args: { id: t.arg.id({ required: true, description: 'The user id.' }) },
    resolve: async (_root, { id }, { viewer, loaders }) => {
      viewerApp(viewer);
      return (await loaders.user.load(parseInput(entityId, id, 'id'))) ?? null;
    },
  }),
}));

const ProfileFields = {
  nickName: 'Display name, up to 64 characters.',
  avatar: 'Avatar URL, up to 1024 characters.',
  description: 'A few words about the user, up to 512 characters.',
  publicInfo: 'App-defined text everyone may see, up to 8192 characters.',
  privateInfo: 'App-defined text only the user and app admins see, up to 8192 characters.',
} as const;

const UpdateProfileInput = builder.inputType('UpdateProfileInput', {
  description: 'Absent fields stay as they are.',
  fields: (t) => ({
    username: t.string({ description: 'A new username; it must be free in the app.' }),
    ...Object.fromEntries(Object.entries(ProfileFields).map(([name, description]) => [name, t.string({ description })])),
    mobile: t.string({ description: 'A new mobile number (a login name); empty clears it.' }),
    email: t.string({ description: 'A new email (a login name); empty clears it.' }),
    ext: t.field({ type: 'JSON', description: 'App-defined data, up to 8192 characters as JSON text; null clears it.' }),
  }),
});

const UserProfileInput = builder.inputType('UserProfileInput', {
  description: "One user's changes in an admin batch; absent fields stay as they are.",
  fields: (t) => ({
    userId: t.id({ required: true, description: 'The user to change.' }),
    ...Object.fromEntries(Object.entries(ProfileFields).map(([name, description]) => [name, t.string({ description })])),
    ext: t.field({ type: 'JSON', description: 'App-defined JSON, up to 8192 characters as compact text; replaces the whole value.' }),
  }),
});

const UpdateProfileOutcomeRef = builder.objectRef<BatchProfileItem>('UpdateProfileOutcome').implement({
  description: 'What became of one user of a batch profile update.',
  fields: (t) => ({
    userId: t.exposeID('userId', { description: 'The user of the item.' }),
    success: t.exposeBoolean('success', { description: 'Whether the profile was changed.' }),
    code: t.field({ type: ErrorCode, nullable: true, description: 'Why the item failed, for programs; null on success.', resolve: (i) => i.code }),
    reason: t.exposeString('reason', { nullable: true, description: 'Why the item failed; null when it succeeded.' }),
  }),
});

const UpdateSettingsInput = builder.inputType('UpdateSettingsInput', {
  description: 'Absent fields stay as they are.',
  fields: (t) => ({
    authMode: t.field({ type: AuthModeEnum, description: 'How the user takes friend requests.' }),
    authQuestion: t.string({ description: 'The question for mode QUESTION, up to 256 characters.' }),
    authAnswer: t.string({ description: 'The expected answer, up to 256 characters; never shown to other users.' }),
    autoDownload: t.boolean({ description: 'Download thumbnails and files automatically.' }),
    groupConfirm: t.boolean({ description: 'Group invitations need acceptance.' }),
    noPush: t.boolean({ description: 'Push no notifications at all.' }),
    noPushDetail: t.boolean({ description: 'Push notifications without the message text.' }),
    noPushStartHour: t.int({ description: 'Do-not-disturb start, hour 0–23.' }),
    noPushEndHour: t.int({ description: 'Do-not-disturb end, hour 0–23.' }),
    silenceStartTime: t.int({ description: 'Seconds of the day, 0–86399.' }),
    silenceEndTime: t.int({ description: 'Seconds of the day, 0–86399.' }),
    noSounds: t.boolean({ description: 'Notifications make no sound.' }),
    vibratory: t.boolean({ description: 'Notifications vibrate.' }),
    pushNickName: t.string({ description: 'The name notifications show, up to 64 characters.' }),
  }),
});

/** GraphQL gives null for absent optional input fields; the domain reads undefined as "unchanged". */
function defined<T extends Record<string, unknown>>(input: T) {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value != null)) as {
    [K in keyof T]?: Exclude<T[K], null>;
  };
}

const UpdateProfilePayload = builder.objectRef<User>('UpdateProfilePayload').implement({
  description: "The viewer's profile changed.",
  fields: (t) => ({ user: t.field({ type: UserRef, description: 'The viewer as they are now.', resolve: (u) => u }) }),
});

const UpdateSettingsPayload = builder.objectRef<UserSettings>('UpdateSettingsPayload').implement({
  description: "The viewer's settings changed.",
  fields: (t) => ({ settings: t.field({ type: UserSettingsRef, description: 'The settings as they are now.', resolve: (s) => s }) }),
});

const outcomesPayload = <T extends object>(name: string, description: string, outcome: ObjectRef<typeof builder extends PothosSchemaTypes.SchemaBuilder<infer S> ? S : never, T>) =>
  builder.objectRef<T[]>(name).implement({
    description,
    fields: (t) => ({ outcomes: t.field({ type: [outcome], description: 'One outcome per item, in the order given.', resolve: (list) => list }) }),
  });

type UsersChanged = { userIds: readonly (string | number)[] };
const usersOf = async ({ userIds }: UsersChanged, _args: unknown, { loaders }: Context) =>
  (await loaders.user.loadMany(userIds.map(Number))).filter((u): u is User => !!u && !(u instanceof Error));
const usersPayload = (name: string, description: string) =>
  builder.objectRef<UsersChanged>(name).implement({
    description,
    fields: (t) => ({ users: t.field({ type: [UserRef], description: 'The users as they are now, in the order given.', resolve: usersOf }) }),
  });

const ChangePasswordPayload = builder.objectRef<{ userId: number }>('ChangePasswordPayload').implement({
  description: 'The password changed; every other session of the user ended.',
  fields: (t) => ({
    user: t.field({ type: UserRef, description: 'The viewer.', resolve: async ({ userId }, _a, { loaders }) => (await loaders.user.load(userId))! }),
  }),
});

const USER_IDS = 'The users, up to 100; all must exist in the app (NotFoundError USER_NOT_FOUND otherwise, and nothing changes).';

builder.mutationFields((t) => ({
  updateProfile: t.field({
    type: UpdateProfilePayload,
    description: "Changes the viewer's profile; the user's devices hear of it. A taken username or login name: ConflictError.",
    authScopes: { user: true },
    errors: { types: [InvalidInputError, ConflictError] },
    args: { input: t.arg({ type: UpdateProfileInput, required: true, description: 'The changes.' }) },
    resolve: (_root, { input }, { deps, viewer }) => updateProfile(deps, viewer, { ...defined(input), ext: jsonText(input.ext) }),
  }),
  updateProfiles: t.field({
    type: outcomesPayload('UpdateProfilesPayload', 'What became of each profile.', UpdateProfileOutcomeRef),
    description: "Admins only: changes up to 100 users' profiles; each item succeeds or fails on its own.",
    authScopes: { admin: true },
    errors: { types: [InvalidInputError] },
    args: { input: t.arg({ type: [UserProfileInput], required: true, description: 'The changes, 1 to 100 users.' }) },
    resolve: (_root, { input }, { deps, viewer }) => updateProfiles(deps, viewer, input.map(({ ext, ...i }) => ({ ...defined(i), userId: i.userId, ext: jsonText(ext) }))),
  }),
  updateSettings: t.field({
    type: UpdateSettingsPayload,
    description: "Changes some of the viewer's settings; the user's devices hear of it.",
    authScopes: { user: true },
    errors: { types: [InvalidInputError] },
    args: { input: t.arg({ type: UpdateSettingsInput, required: true, description: 'The changes.' }) },
    resolve: (_root, { input }, { deps, viewer }) => updateSettings(deps, viewer, defined(input)),
  }),
  changePassword: t.field({
    type: ChangePasswordPayload,
    description: "Changes the viewer's password after checking the old one (AuthenticationError BAD_CREDENTIALS); every other session ends.",
    authScopes: { user: true },
    errors: { types: [InvalidInputError, AuthenticationError] },
    args: {
      oldPassword: t.arg.string({ required: true, description: 'The current password.' }),
      newPassword: t.arg.string({ required: true, description: 'The new password, 6–64 characters.' }),
    },
    resolve: async (_root, args, { deps, viewer }) => {
      const { userId } = requireUser(viewer);
      await changePassword(deps, viewer, args);
      return { userId };
    },
  }),
  disableUsers: t.field({
    type: usersPayload('DisableUsersPayload', 'The users are disabled.'),
    description: 'Admins only: disables users: they cannot log in, their tokens stop working and their connections close. All or nothing.',
    authScopes: { admin: true },
    errors: { types: [InvalidInputError, NotFoundError] },
    args: { userIds: t.arg.idList({ required: true, description: USER_IDS }) },
    resolve: async (_root, { userIds }, { deps, viewer }) => (await disableUsers(deps, viewer, userIds), { userIds }),
  }),
  enableUsers: t.field({
    type: usersPayload('EnableUsersPayload', 'The users may log in again.'),
    description: 'Admins only: lets disabled users log in again. All or nothing.',
    authScopes: { admin: true },
    errors: { types: [InvalidInputError, NotFoundError] },
    args: { userIds: t.arg.idList({ required: true, description: USER_IDS }) },
    resolve: async (_root, { userIds }, { deps, viewer }) => (await enableUsers(deps, viewer, userIds), { userIds }),
  }),
  registerUser: t.field({
    type: registrationPayload('RegisterUserPayload', 'The user is registered.'),
    description: 'Registers a user of an app. Needs no token. A taken username or login name: ConflictError USER_EXISTS.',
    errors: { types: [InvalidInputError, ConflictError, NotFoundError] },
    args: {
      appId: t.arg.id({ required: true, description: 'The app to register with (NotFoundError APP_NOT_FOUND when there is none).' }),
      input: t.arg({ type: RegisterUserInput, required: true, description: 'The new user.' }),
    },
    resolve: (_root, { appId, input }, { deps }) =>
      registerUser(deps, String(appId), { ...input, mobile: optional(input.mobile), email: optional(input.email) }),
  }),
  registerUsers: t.field({
    type: outcomesPayload('RegisterUsersPayload', 'What became of each registration.', RegisterUserOutcomeRef),
    description: 'Admins only: registers up to 100 users; each item succeeds or fails on its own.',
    authScopes: { admin: true },
    errors: { types: [InvalidInputError] },
    args: { input: t.arg({ type: [RegisterUserInput], required: true, description: 'The users, 1 to 100.' }) },
    resolve: (_root, { input }, { deps, viewer }) =>
      registerUsers(
        deps,
        viewer,
        input.map((i) => ({ ...i, mobile: optional(i.mobile), email: optional(i.email) })),
      ),
  }),
  registerPushUser: t.field({
    type: registrationPayload('RegisterPushUserPayload', 'The user and their device are registered.'),
    description: 'Registers a user together with the device that receives push notifications. Needs no token.',
    errors: { types: [InvalidInputError, ConflictError, NotFoundError] },
    args: {
      appId: t.arg.id({ required: true, description: 'The app to register with.' }),
      input: t.arg({
        type: builder.inputType('RegisterPushUserInput', {
          description: 'A user to register, with their device.',
          fields: (f) => ({
            username: f.string({ required: true, description: 'Letters, digits, _ and CJK; 2–32 characters; not digits only.' }),
            password: f.string({ required: true, description: '6–64 characters.' }),
            deviceGuid: f.string({ required: true, description: 'A stable id of the device that receives pushes.' }),
            pushToken: f.string({ description: "The device's push-provider token." }),
            alias: f.string({ description: 'Push alias of the user.' }),
          }),
        }),
        required: true,
        description: 'The new user and their device.',
      }),
    },
    resolve: (_root, { appId, input }, { deps }) =>
      registerPushUser(deps, String(appId), {
        ...input,
        pushToken: optional(input.pushToken),
        alias: optional(input.alias),
      }),
  }),
}));
