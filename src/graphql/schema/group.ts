import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../../domain/errors.js';
import { FOREVER, isAllBanned, isBanned, maySend, type Group } from '../../domain/groups/access.js';
import {
  banAll,
  countJoinedGroups,
  countPublicGroups,
  createGroup,
  destroyGroup,
  getGroup,
  getGroups,
  listJoinedGroups,
  listPublicGroups,
  unbanAll,
  updateGroupInfo,
  updateGroupSettings,
  type CreatedGroup,
} from '../../domain/groups/groups.js';
import { withRole, type Membership } from '../../domain/groups/members.js';
import type { TargetResult } from '../../domain/groups/results.js';
import { canSeePrivate } from '../../domain/viewer.js';
import { GROUP_ROLES } from '../../domain/groups/vocabulary.js';
import type { Context } from '../../context.js';
import { builder, jsonText, jsonValue } from '../builder.js';
import { GroupApplicationPolicyEnum, GroupMuteModeEnum, GroupPushModeEnum, GroupTypeEnum, stored } from '../enums.js';
import { connectionOf, counted, forwardConnection } from '../pagination.js';
import { ErrorCode } from './error.js';
import { UserRef } from './user.js';

/** The typed errors a group mutation may answer. */
export const GROUP_ERRORS = [InvalidInputError, NotFoundError, ForbiddenError, ConflictError];

/** GraphQL gives null for absent optional arguments; the domain reads undefined as "not given". */
export const given = <T>(value: T | null | undefined) => value ?? undefined;

export const GroupRoleEnum = builder.enumType('GroupRole', {
  description: 'A member’s standing in a group.',
  values: {
    OWNER: { value: GROUP_ROLES[0], description: 'The one owner: all rights, and the only one who may dissolve the group or hand it on.' },
    ADMIN: { value: GROUP_ROLES[1], description: 'An admin: moderates members and content.' },
    MEMBER: { value: GROUP_ROLES[2], description: 'A plain member.' },
  } as const,
});

/** Ids of groups, users, files and announcements: 64-bit integers in decimal. */
export const GROUP_ID = 'The group, by its 64-bit id as a decimal string.';
export const USER_IDS = 'The users (64-bit ids as decimal strings), up to 500.';

export const GroupRef = builder.objectRef<Group>('Group').implement({
  description: 'A group of users of an app: private (invitation only), public (listed, open to applications) or a chatroom.',
  fields: (t) => ({
    id: t.exposeID('id', { description: '64-bit group id (one id space with users), as a decimal string.' }),
    type: t.field({ type: GroupTypeEnum, description: 'Private, public or chatroom; fixed at creation.', resolve: (g) => stored(GroupTypeEnum, g.type) }),
    name: t.exposeString('name', { description: 'The name, 1–64 characters.' }),
    description: t.exposeString('description', { description: 'What the group is about, up to 512 characters; empty when none.' }),
    avatar: t.exposeString('avatar', { description: 'Avatar URL; empty when none.' }),
    ext: t.field({ type: 'JSON', nullable: true, description: 'App-defined data; null when none.', resolve: (g) => jsonValue(g.ext) }),
    ownerId: t.exposeID('ownerId', { description: 'The owner’s user id.' }),
    owner: t.field({
      type: UserRef,
      nullable: true,
      description: 'The owner; null only if their account is gone.',
      resolve: async (group, _args, { loaders }) => (await loaders.user.load(group.ownerId)) ?? null,
    }),
    capacity: t.exposeInt('capacity', { description: 'How many members it may hold.' }),
    memberCount: t.exposeInt('memberCount', { description: 'How many members it has, the owner included.' }),
    memberInvite: t.exposeBoolean('memberInvite', { description: 'Members (not only admins) may invite.' }),
    memberModify: t.exposeBoolean('memberModify', { description: 'Members (not only admins) may change name, avatar, description and ext.' }),
    historyVisible: t.exposeBoolean('historyVisible', { description: 'New members see the messages from before they joined.' }),
    readAck: t.exposeBoolean('readAck', { description: 'Messages carry read receipts.' }),
    applyApproval: t.field({
      type: GroupApplicationPolicyEnum,
      description: 'What happens to applications to join.',
      resolve: (g) => stored(GroupApplicationPolicyEnum, g.applyApproval),
    }),
    banAll: t.boolean({ description: 'Only admins may send now.', resolve: (group) => isAllBanned(group) }),
    banAllUntil: t.field({
      type: 'Timestamp',
      nullable: true,
      description: 'When the ban of everyone ends; null when none is in force, or while it lasts until lifted.',
      resolve: (group) => (isAllBanned(group) && group.banAllUntil!.getTime() < FOREVER.getTime() ? group.banAllUntil : null),
    }),
    dissolved: t.boolean({ description: 'The owner dissolved it: nothing more can be sent.', resolve: (group) => group.dissolvedAt !== null }),
    dissolvedAt: t.expose('dissolvedAt', { type: 'Timestamp', nullable: true, description: 'When it was dissolved; null while it lives.' }),
    createdAt: t.expose('createdAt', { type: 'Timestamp', description: 'When it was created.' }),
    updatedAt: t.expose('updatedAt', { type: 'Timestamp', description: 'When its info or settings last changed.' }),
    viewerMembership: t.field({
      type: GroupMemberRef,
      nullable: true,
      description: "The viewer's membership (role, display name, mute and push modes); null when not a member.",
      resolve: async (group, _args, { loaders }) => {
        const member = await loaders.viewerMembership.load(group.id);
        return member ? withRole(group, member) : null;
      },
    }),
    viewerCanSend: t.boolean({
      description: 'Whether the viewer may send to the group now (a member, not banned, not silenced by a ban of everyone).',
      resolve: async (group, _args, { loaders }) => maySend(group, await loaders.viewerMembership.load(group.id)),
    }),
  }),
});

export const GroupConnection = connectionOf(GroupRef, { name: 'Group', description: 'A page of groups, by id.' });

export const GroupMemberRef = builder.objectRef<Membership>('GroupMember').implement({
  description: 'A member of a group.',
  fields: (t) => ({
    userId: t.exposeID('userId', { description: 'The member’s user id.' }),
    groupId: t.exposeID('groupId', { description: 'The group’s id.' }),
    user: t.field({
      type: UserRef,
      nullable: true,
      description: 'The member’s profile; null only if their account is gone.',
      resolve: async (member, _args, { loaders }) => (await loaders.user.load(member.userId)) ?? null,
    }),
    role: t.field({ type: GroupRoleEnum, description: 'Owner, admin or member.', resolve: (member) => member.role }),
    displayName: t.exposeString('displayName', { description: 'The name the member goes by in this group; empty when none.' }),
    joinedAt: t.expose('joinedAt', { type: 'Timestamp', description: 'When they joined.' }),
    bannedUntil: t.field({
      type: 'Timestamp',
      nullable: true,
      description: 'While banned (muted): when the ban ends. Null when not banned; an expired ban is no ban.',
      resolve: (member) => (isBanned(member) ? member.bannedUntil : null),
    }),
    msgMuteMode: t.field({
      type: GroupMuteModeEnum,
      nullable: true,
      description: "How the member's devices receive the group's messages. Shown to the member only (null for others).",
      resolve: (member, _args, { viewer }) => (ownView(viewer, member) ? stored(GroupMuteModeEnum, member.msgMuteMode) : null),
    }),
    msgPushMode: t.field({
      type: GroupPushModeEnum,
      nullable: true,
      description: "Which of the group's messages are pushed to the member. Shown to the member only (null for others).",
      resolve: (member, _args, { viewer }) => (ownView(viewer, member) ? stored(GroupPushModeEnum, member.msgPushMode) : null),
    }),
  }),
});

export const GroupMemberConnection = connectionOf(GroupMemberRef, { name: 'GroupMember', description: 'A page of members of a group.' });

const ownView = (viewer: Parameters<typeof canSeePrivate>[0], member: Membership) => canSeePrivate(viewer, member.appId, member.userId);

const GroupOutcome = builder.enumType('GroupOutcome', {
  description: 'What happened to one target of a batch action.',
  values: {
    SUCCESS: { description: 'Done.' },
    JOINED: { description: 'The user joined at once.' },
    INVITED: { description: 'The user was sent an invitation to accept (their group_confirm setting).' },
    FAILED: { description: 'Not done; see code and reason.' },
  },
});

export const GroupTargetOutcomeRef = builder.objectRef<TargetResult>('GroupTargetOutcome').implement({
  description: 'The outcome for one target (a user, or a file) of a batch action; each succeeds or fails on its own.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The user (or file) this is about.' }),
    outcome: t.field({ type: GroupOutcome, description: 'Done, joined, invited or failed.', resolve: (r) => r.outcome }),
    code: t.field({ type: ErrorCode, nullable: true, description: 'Why it failed; null unless it did.', resolve: (r) => r.error?.code ?? null }),
    reason: t.string({ nullable: true, description: 'Why it failed, for people; null unless it did.', resolve: (r) => r.error?.message ?? null }),
  }),
});

/** A batch payload: one outcome per target. */
export const outcomesPayload = (name: string, description: string) =>
  builder.objectRef<{ outcomes: TargetResult[] }>(name).implement({
    description,
    fields: (t) => ({ outcomes: t.field({ type: [GroupTargetOutcomeRef], description: 'One outcome per target, in the order asked.', resolve: (p) => p.outcomes }) }),
  });

/** A payload answering a group as it is after the change. */
export const groupPayload = (name: string, description: string) =>
  builder.objectRef<{ group: Group }>(name).implement({
    description,
    fields: (t) => ({ group: t.field({ type: GroupRef, description: 'The group as it is now.', resolve: (p) => p.group }) }),
  });

/** The group of an id as it is now (after a change that answered no group). */
export const groupNow = async (ctx: Context, groupId: string | number) => ({ group: await getGroup(ctx.deps, ctx.viewer, groupId) });

const CreateGroupPayloadRef = builder.objectRef<CreatedGroup>('CreateGroupPayload').implement({
  description: 'A new group, and what became of each invitee.',
  fields: (t) => ({
    group: t.field({ type: GroupRef, description: 'The new group.', resolve: (c) => c.group }),
    invitees: t.field({ type: [GroupTargetOutcomeRef], description: 'One outcome per user of `memberIds`: JOINED, INVITED or FAILED.', resolve: (c) => c.invitees }),
  }),
});

builder.queryFields((t) => ({
  group: t.field({
    type: GroupRef,
    nullable: true,
    description: "A group of the viewer's app (dissolved ones too); null when there is none.",
    authScopes: { signedIn: true },
    args: { id: t.arg.id({ required: true, description: GROUP_ID }) },
    resolve: async (_root, { id }, { deps, viewer }) => {
      try {
        return await getGroup(deps, viewer, id);
      } catch (error) {
        if (error instanceof NotFoundError && error.code === 'GROUP_NOT_FOUND') return null;
        throw error;
      }
    },
  }),
  groups: t.field({
    type: [GroupRef],
    description: 'Up to 100 groups by id, in the order asked; unknown ids are left out.',
    authScopes: { signedIn: true },
    args: { ids: t.arg.idList({ required: true, description: 'The group ids, 1 to 100.' }) },
    resolve: (_root, { ids }, { deps, viewer }) => getGroups(deps, viewer, ids),
  }),
  publicGroups: t.connection(
    {
      type: GroupRef,
      description: "The app's public groups, by id.",
      authScopes: { signedIn: true },
      resolve: async (_root, args, { deps, viewer }) =>
        counted(
          await forwardConnection(args, (after, limit) => listPublicGroups(deps, viewer, { after, limit }), (g) => String(g.id)),
          () => countPublicGroups(deps, viewer),
        ),
    },
    GroupConnection,
  ),
  joinedGroups: t.connection(
    {
      type: GroupRef,
      description: 'The groups the viewer belongs to (not dissolved ones), by id.',
      authScopes: { user: true },
      resolve: async (_root, args, { deps, viewer }) =>
        counted(
          await forwardConnection(args, (after, limit) => listJoinedGroups(deps, viewer, { after, limit }), (g) => String(g.id)),
          () => countJoinedGroups(deps, viewer),
        ),
    },
    GroupConnection,
  ),
}));

const EXT = 'App-defined data, up to 8192 characters as JSON text; null clears it.';

const CreateGroupInput = builder.inputType('CreateGroupInput', {
  description: 'A new group; settings left out take their defaults.',
  fields: (t) => ({
    type: t.field({ type: GroupTypeEnum, description: 'Default PRIVATE.' }),
    name: t.string({ required: true, description: '1–64 characters.' }),
    description: t.string({ description: 'Up to 512 characters.' }),
    avatar: t.string({ description: 'Avatar URL, up to 1024 characters.' }),
    ext: t.field({ type: 'JSON', description: EXT }),
    memberIds: t.idList({ description: 'Users to invite (up to 500): each joins at once or is sent an invitation.' }),
    reason: t.string({ description: 'The invitation message, up to 256 characters.' }),
    memberInvite: t.boolean({ description: 'Members may invite; default true.' }),
    memberModify: t.boolean({ description: 'Members may change the info; default false.' }),
    historyVisible: t.boolean({ description: 'New members see earlier messages; default false.' }),
    readAck: t.boolean({ description: 'Messages carry read receipts; default false.' }),
    applyApproval: t.field({ type: GroupApplicationPolicyEnum, description: 'Default ADMIN_APPROVAL.' }),
  }),
});

const UpdateGroupInfoInput = builder.inputType('UpdateGroupInfoInput', {
  description: 'Absent fields stay as they are.',
  fields: (t) => ({
    name: t.string({ description: '1–64 characters.' }),
    description: t.string({ description: 'Up to 512 characters.' }),
    avatar: t.string({ description: 'Avatar URL, up to 1024 characters.' }),
    ext: t.field({ type: 'JSON', description: EXT }),
  }),
});

const UpdateGroupSettingsInput = builder.inputType('UpdateGroupSettingsInput', {
  description: 'Absent fields stay as they are.',
  fields: (t) => ({
    memberInvite: t.boolean({ description: 'Members (not only admins) may invite.' }),
    memberModify: t.boolean({ description: 'Members (not only admins) may change name, avatar, description and ext.' }),
    historyVisible: t.boolean({ description: 'New members see the messages from before they joined.' }),
    readAck: t.boolean({ description: 'Messages carry read receipts.' }),
    applyApproval: t.field({ type: GroupApplicationPolicyEnum, description: 'What happens to applications to join.' }),
  }),
});

/** Drops the nulls GraphQL gives for absent input fields. */
export function defined<T extends Record<string, unknown>>(input: T) {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value != null)) as {
    [K in keyof T]?: Exclude<T[K], null>;
  };
}

builder.mutationFields((t) => ({
  createGroup: t.field({
    type: CreateGroupPayloadRef,
    description: 'Creates a group owned by the viewer, and invites the given users.',
    authScopes: { user: true },
    errors: { types: GROUP_ERRORS },
    args: { input: t.arg({ type: CreateGroupInput, required: true, description: 'The group.' }) },
    resolve: (_root, { input }, { deps, viewer }) =>
      createGroup(deps, viewer, { ...defined(input), name: input.name, ext: jsonText(input.ext) }),
  }),
  destroyGroup: t.field({
    type: groupPayload('DestroyGroupPayload', 'The group is dissolved.'),
    description: 'The owner dissolves the group: members are told, nothing more can be sent.',
    authScopes: { signedIn: true },
    errors: { types: GROUP_ERRORS },
    args: { groupId: t.arg.id({ required: true, description: GROUP_ID }) },
    resolve: async (_root, { groupId }, ctx) => (await destroyGroup(ctx.deps, ctx.viewer, groupId), groupNow(ctx, groupId)),
  }),
  updateGroupInfo: t.field({
    type: groupPayload('UpdateGroupInfoPayload', 'The group’s info changed.'),
    description: 'Changes name, description, avatar or ext (admins; members too when memberModify is on). Members are told.',
    authScopes: { signedIn: true },
    errors: { types: GROUP_ERRORS },
    args: {
      groupId: t.arg.id({ required: true, description: GROUP_ID }),
      input: t.arg({ type: UpdateGroupInfoInput, required: true, description: 'The changes.' }),
    },
    resolve: async (_root, { groupId, input }, { deps, viewer }) => ({
      group: await updateGroupInfo(deps, viewer, groupId, { ...defined(input), ext: jsonText(input.ext) }),
    }),
  }),
  updateGroupSettings: t.field({
    type: groupPayload('UpdateGroupSettingsPayload', 'The group’s settings changed.'),
    description: 'Admins change the group settings. Members are told.',
    authScopes: { signedIn: true },
    errors: { types: GROUP_ERRORS },
    args: {
      groupId: t.arg.id({ required: true, description: GROUP_ID }),
      input: t.arg({ type: UpdateGroupSettingsInput, required: true, description: 'The changes.' }),
    },
    resolve: async (_root, { groupId, input }, { deps, viewer }) => ({ group: await updateGroupSettings(deps, viewer, groupId, defined(input)) }),
  }),
  banAllGroupMembers: t.field({
    type: groupPayload('BanAllGroupMembersPayload', 'Only admins may send now.'),
    description: 'Admins: only admins may send, for `minutes` (absent or -1: until lifted). Members are told.',
    authScopes: { signedIn: true },
    errors: { types: GROUP_ERRORS },
    args: {
      groupId: t.arg.id({ required: true, description: GROUP_ID }),
      minutes: t.arg.int({ description: 'How long, 1 minute to 10 years; absent or -1: until lifted.' }),
    },
    resolve: async (_root, { groupId, minutes }, { deps, viewer }) => ({ group: await banAll(deps, viewer, groupId, given(minutes)) }),
  }),
  unbanAllGroupMembers: t.field({
    type: groupPayload('UnbanAllGroupMembersPayload', 'Everyone may send again (bans of single members aside).'),
    description: 'Admins lift the ban of everyone. Members are told.',
    authScopes: { signedIn: true },
    errors: { types: GROUP_ERRORS },
    args: { groupId: t.arg.id({ required: true, description: GROUP_ID }) },
    resolve: async (_root, { groupId }, { deps, viewer }) => ({ group: await unbanAll(deps, viewer, groupId) }),
  }),
}));
