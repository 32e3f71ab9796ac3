import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../../domain/errors.js';
import { FOREVER, isAllBanned, isBanned, maySend, type Group } from '../../domain/groups/access.js';
import {
  banAll,
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
import { builder } from '../builder.js';
import { forwardConnection } from '../pagination.js';
import { ErrorCode } from './error.js';
import { UserRef } from './user.js';

/** The typed errors a group mutation may answer. */
export const GROUP_ERRORS = [InvalidInputError, NotFoundError, ForbiddenError, ConflictError];

/** GraphQL gives null for absent optional arguments; the domain reads undefined as "not given". */
export const given = <T>(value: T | null | undefined) => value ?? undefined;

export const GroupRoleEnum = builder.enumType('GroupRole', {
  description: 'A member’s standing in a group.',
  values: GROUP_ROLES,
});

export const GroupRef = builder.objectRef<Group>('Group').implement({
  description: 'A group of users of an app: private (invitation only), public (listed, open to applications) or a chatroom.',
  fields: (t) => ({
    id: t.exposeID('id', { description: '64-bit group id (one id space with users), as a decimal string.' }),
    type: t.exposeInt('type', { description: '0 private, 1 public, 2 chatroom.' }),
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    avatar: t.exposeString('avatar', { description: 'Avatar URL; empty when none.' }),
    ext: t.exposeString('ext', { description: 'App-defined JSON text; empty when none.' }),
    ownerId: t.exposeID('ownerId'),
    owner: t.field({
      type: UserRef,
      nullable: true,
      resolve: async (group, _args, { loaders }) => (await loaders.user.load(group.ownerId)) ?? null,
    }),
    capacity: t.exposeInt('capacity', { description: 'How many members it may hold.' }),
    memberCount: t.exposeInt('memberCount'),
    memberInvite: t.exposeBoolean('memberInvite', { description: 'Members (not only admins) may invite.' }),
    memberModify: t.exposeBoolean('memberModify', { description: 'Members (not only admins) may change name, avatar, description and ext.' }),
    historyVisible: t.exposeBoolean('historyVisible', { description: 'New members see the messages from before they joined.' }),
    readAck: t.exposeBoolean('readAck', { description: 'Messages carry read receipts.' }),
    applyApproval: t.exposeInt('applyApproval', { description: 'Applications: 0 accepted at once, 1 an admin decides, 2 refused.' }),
    banAll: t.boolean({ description: 'Only admins may send now.', resolve: (group) => isAllBanned(group) }),
    banAllUntil: t.field({
      type: 'Timestamp',
      nullable: true,
      description: 'When the ban of everyone ends; null when none is in force, or while it lasts until lifted.',
      resolve: (group) => (isAllBanned(group) && group.banAllUntil!.getTime() < FOREVER.getTime() ? group.banAllUntil : null),
    }),
    dissolved: t.boolean({ description: 'The owner dissolved it: nothing more can be sent.', resolve: (group) => group.dissolvedAt !== null }),
    dissolvedAt: t.expose('dissolvedAt', { type: 'Timestamp', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'Timestamp' }),
    updatedAt: t.expose('updatedAt', { type: 'Timestamp' }),
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

export const GroupMemberRef = builder.objectRef<Membership>('GroupMember').implement({
  description: 'A member of a group.',
  fields: (t) => ({
    userId: t.exposeID('userId'),
    groupId: t.exposeID('groupId'),
    user: t.field({
      type: UserRef,
      nullable: true,
      resolve: async (member, _args, { loaders }) => (await loaders.user.load(member.userId)) ?? null,
    }),
    role: t.field({ type: GroupRoleEnum, resolve: (member) => member.role }),
    displayName: t.exposeString('displayName', { description: 'The name the member goes by in this group; empty when none.' }),
    joinedAt: t.expose('joinedAt', { type: 'Timestamp' }),
    bannedUntil: t.field({
      type: 'Timestamp',
      nullable: true,
      description: 'While banned (muted): when the ban ends. Null when not banned; an expired ban is no ban.',
      resolve: (member) => (isBanned(member) ? member.bannedUntil : null),
    }),
    msgMuteMode: t.int({
      nullable: true,
      description: '0 normal, 1 no notification, 2 do not receive. Shown to the member only.',
      resolve: (member, _args, { viewer }) => (ownView(viewer, member) ? member.msgMuteMode : null),
    }),
    msgPushMode: t.int({
      nullable: true,
      description: '0 all, 1 none, 2 admins and mentions, 3 admins only, 4 mentions only. Shown to the member only.',
      resolve: (member, _args, { viewer }) => (ownView(viewer, member) ? member.msgPushMode : null),
    }),
  }),
});

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

export const GroupTargetResultRef = builder.objectRef<TargetResult>('GroupTargetResult').implement({
  description: 'The outcome for one target (a user, or a file) of a batch action; each succeeds or fails on its own.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The user (or file) this is about.' }),
    outcome: t.field({ type: GroupOutcome, resolve: (r) => r.outcome }),
    code: t.field({ type: ErrorCode, nullable: true, description: 'Why it failed.', resolve: (r) => r.error?.code ?? null }),
    reason: t.string({ nullable: true, description: 'Why it failed, for people.', resolve: (r) => r.error?.message ?? null }),
  }),
});

const CreatedGroupRef = builder.objectRef<CreatedGroup>('CreatedGroup').implement({
  description: 'A new group, and what became of each invitee.',
  fields: (t) => ({
    group: t.field({ type: GroupRef, resolve: (c) => c.group }),
    invitees: t.field({ type: [GroupTargetResultRef], resolve: (c) => c.invitees }),
  }),
});

builder.queryFields((t) => ({
  group: t.field({
    type: GroupRef,
    description: "A group of the viewer's app (dissolved ones too). An unknown id is an error GROUP_NOT_FOUND.",
    authScopes: { signedIn: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, { deps, viewer }) => getGroup(deps, viewer, id),
  }),
  groups: t.field({
    type: [GroupRef],
    description: 'Up to 100 groups by id, in the order asked; unknown ids are left out.',
    authScopes: { signedIn: true },
    args: { ids: t.arg.idList({ required: true }) },
    resolve: (_root, { ids }, { deps, viewer }) => getGroups(deps, viewer, ids),
  }),
  publicGroups: t.connection({
    type: GroupRef,
    description: "The app's public groups, by id.",
    authScopes: { signedIn: true },
    resolve: (_root, args, { deps, viewer }) =>
      forwardConnection(args, (after, limit) => listPublicGroups(deps, viewer, { after, limit }), (g) => String(g.id)),
  }),
  joinedGroups: t.connection({
    type: GroupRef,
    description: 'The groups the viewer belongs to (not dissolved ones), by id.',
    authScopes: { user: true },
    resolve: (_root, args, { deps, viewer }) =>
      forwardConnection(args, (after, limit) => listJoinedGroups(deps, viewer, { after, limit }), (g) => String(g.id)),
  }),
}));

const CreateGroupInput = builder.inputType('CreateGroupInput', {
  description: 'A new group; settings left out take their defaults.',
  fields: (t) => ({
    type: t.int({ description: '0 private (default), 1 public, 2 chatroom.' }),
    name: t.string({ required: true, description: '1–64 characters.' }),
    description: t.string({ description: 'Up to 512 characters.' }),
    avatar: t.string({ description: 'Avatar URL, up to 1024 characters.' }),
    ext: t.string({ description: 'App-defined JSON text, up to 8192 characters.' }),
    memberIds: t.idList({ description: 'Users to invite (up to 500): each joins at once or is sent an invitation.' }),
    reason: t.string({ description: 'The invitation message, up to 256 characters.' }),
    memberInvite: t.boolean({ description: 'Default true.' }),
    memberModify: t.boolean({ description: 'Default false.' }),
    historyVisible: t.boolean({ description: 'Default false.' }),
    readAck: t.boolean({ description: 'Default false.' }),
    applyApproval: t.int({ description: '0 accept all, 1 admins approve (default), 2 refuse all.' }),
  }),
});

const UpdateGroupInfoInput = builder.inputType('UpdateGroupInfoInput', {
  description: 'Absent fields stay as they are.',
  fields: (t) => ({
    name: t.string({ description: '1–64 characters.' }),
    description: t.string({ description: 'Up to 512 characters.' }),
    avatar: t.string({ description: 'Up to 1024 characters.' }),
    ext: t.string({ description: 'App-defined JSON text, up to 8192 characters.' }),
  }),
});

const UpdateGroupSettingsInput = builder.inputType('UpdateGroupSettingsInput', {
  description: 'Absent fields stay as they are.',
  fields: (t) => ({
    memberInvite: t.boolean(),
    memberModify: t.boolean(),
    historyVisible: t.boolean(),
    readAck: t.boolean(),
    applyApproval: t.int({ description: '0 accept all, 1 admins approve, 2 refuse all.' }),
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
    type: CreatedGroupRef,
    description: 'Creates a group owned by the viewer, and invites the given users.',
    authScopes: { user: true },
    errors: { types: GROUP_ERRORS },
    args: { input: t.arg({ type: CreateGroupInput, required: true }) },
    resolve: (_root, { input }, { deps, viewer }) => createGroup(deps, viewer, { ...defined(input), name: input.name }),
  }),
  destroyGroup: t.boolean({
    description: 'The owner dissolves the group: members are told, nothing more can be sent.',
    authScopes: { signedIn: true },
    errors: { types: GROUP_ERRORS, directResult: false },
    args: { groupId: t.arg.id({ required: true }) },
    resolve: (_root, { groupId }, { deps, viewer }) => destroyGroup(deps, viewer, groupId),
  }),
  updateGroupInfo: t.field({
    type: GroupRef,
    description: 'Changes name, description, avatar or ext (admins; members too when memberModify is on). Members are told.',
    authScopes: { signedIn: true },
    errors: { types: GROUP_ERRORS },
    args: { groupId: t.arg.id({ required: true }), input: t.arg({ type: UpdateGroupInfoInput, required: true }) },
    resolve: (_root, { groupId, input }, { deps, viewer }) => updateGroupInfo(deps, viewer, groupId, defined(input)),
  }),
  updateGroupSettings: t.field({
    type: GroupRef,
    description: 'Admins change the group settings. Members are told.',
    authScopes: { signedIn: true },
    errors: { types: GROUP_ERRORS },
    args: { groupId: t.arg.id({ required: true }), input: t.arg({ type: UpdateGroupSettingsInput, required: true }) },
    resolve: (_root, { groupId, input }, { deps, viewer }) => updateGroupSettings(deps, viewer, groupId, defined(input)),
  }),
  banAllGroupMembers: t.field({
    type: GroupRef,
    description: 'Admins: only admins may send, for `minutes` (absent or -1: until lifted). Members are told.',
    authScopes: { signedIn: true },
    errors: { types: GROUP_ERRORS },
    args: { groupId: t.arg.id({ required: true }), minutes: t.arg.int() },
    resolve: (_root, { groupId, minutes }, { deps, viewer }) => banAll(deps, viewer, groupId, given(minutes)),
  }),
  unbanAllGroupMembers: t.field({
    type: GroupRef,
    description: 'Admins lift the ban of everyone. Members are told.',
    authScopes: { signedIn: true },
    errors: { types: GROUP_ERRORS },
    args: { groupId: t.arg.id({ required: true }) },
    resolve: (_root, { groupId }, { deps, viewer }) => unbanAll(deps, viewer, groupId),
  }),
}));
