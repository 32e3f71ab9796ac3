import {
  addAdmins,
  getMembers,
  kickMembers,
  leaveGroup,
  listAdmins,
  listMembers,
  removeAdmins,
  transferOwnership,
  updateMembership,
  type Membership,
} from '../../domain/groups/members.js';
import {
  banMembers,
  blockUsers,
  countBanned,
  countBlocked,
  listBanned,
  listBlocked,
  unbanMembers,
  unblockUsers,
  type GroupBlock,
} from '../../domain/groups/moderation.js';
import { timeIdCursor } from '../../domain/paging.js';
import { builder } from '../builder.js';
import { GroupMuteModeEnum, GroupPushModeEnum } from '../enums.js';
import { connectionOf, counted, forwardConnection } from '../pagination.js';
import {
  defined,
  GROUP_ERRORS,
  GROUP_ID,
  GroupMemberConnection,
  GroupMemberRef,
  GroupRef,
  groupNow,
  groupPayload,
  outcomesPayload,
  USER_IDS,
} from './group.js';
import { UserRef } from './user.js';

const GroupBlockRef = builder.objectRef<GroupBlock>('GroupBlock').implement({
  description: 'A user blocked from a group: removed, and unable to apply, be invited or scan a QR code.',
  fields: (t) => ({
    groupId: t.exposeID('groupId', { description: 'The group’s id.' }),
    userId: t.exposeID('userId', { description: 'The blocked user’s id.' }),
    user: t.field({
      type: UserRef,
      nullable: true,
      description: 'The blocked user; null only if their account is gone.',
      resolve: async (block, _args, { loaders }) => (await loaders.user.load(block.userId)) ?? null,
    }),
    createdAt: t.expose('createdAt', { type: 'Timestamp', description: 'When they were blocked.' }),
  }),
});

const GroupBlockConnection = connectionOf(GroupBlockRef, { name: 'GroupBlock', description: 'A page of users blocked from a group, by user id.' });

builder.objectFields(GroupRef, (t) => ({
  members: t.connection(
    {
      type: GroupMemberRef,
      description: 'Members in join order (members only). Pages read only the page, however large the group.',
      resolve: async (group, args, { deps, viewer }) => {
        let total = 0;
        const connection = await forwardConnection(
          args,
          async (after, limit) => {
            const page = await listMembers(deps, viewer, group.id, { after, limit });
            total = page.total;
            return page.members;
          },
          (m) => timeIdCursor(m.joinedAt, m.userId),
        );
        return counted(connection, () => total);
      },
    },
    GroupMemberConnection,
  ),
  membersAmong: t.field({
    type: [GroupMemberRef],
    description: 'The members among up to 100 users (display names, join times), in the order asked; non-members are left out.',
    args: { userIds: t.arg.idList({ required: true, description: 'The user ids, 1 to 100.' }) },
    resolve: (group, { userIds }, { deps, viewer }) => getMembers(deps, viewer, group.id, userIds),
  }),
  admins: t.field({
    type: [GroupMemberRef],
    description: 'The admins (not the owner), in join order (members only).',
    resolve: (group, _args, { deps, viewer }) => listAdmins(deps, viewer, group.id),
  }),
  bannedMembers: t.connection(
    {
      type: GroupMemberRef,
      description: 'Members banned now, by user id (admins only). Expired bans are not listed.',
      resolve: async (group, args, { deps, viewer }) =>
        counted(
          await forwardConnection(args, (after, limit) => listBanned(deps, viewer, group.id, { after, limit }), (m) => String(m.userId)),
          () => countBanned(deps, viewer, group.id),
        ),
    },
    GroupMemberConnection,
  ),
  blockedUsers: t.connection(
    {
      type: GroupBlockRef,
      description: 'Users blocked from the group, by user id (admins only).',
      resolve: async (group, args, { deps, viewer }) =>
        counted(
          await forwardConnection(args, (after, limit) => listBlocked(deps, viewer, group.id, { after, limit }), (b) => String(b.userId)),
          () => countBlocked(deps, viewer, group.id),
        ),
    },
    GroupBlockConnection,
  ),
}));

const UpdateGroupMembershipInput = builder.inputType('UpdateGroupMembershipInput', {
  description: "The viewer's own view of a group; absent fields stay as they are.",
  fields: (t) => ({
    displayName: t.string({ description: 'The name the viewer goes by in the group, up to 64 characters.' }),
    msgMuteMode: t.field({ type: GroupMuteModeEnum, description: "How the viewer's devices receive the group's messages." }),
    msgPushMode: t.field({ type: GroupPushModeEnum, description: "Which of the group's messages are pushed to the viewer." }),
  }),
});

const UpdateGroupMembershipPayload = builder.objectRef<Membership>('UpdateGroupMembershipPayload').implement({
  description: "The viewer's membership changed.",
  fields: (t) => ({ membership: t.field({ type: GroupMemberRef, description: "The viewer's membership as it is now.", resolve: (m) => m }) }),
});

type MutationFieldBuilder = Parameters<Parameters<typeof builder.mutationFields>[0]>[0];

/** A mutation acting on some users of a group, answering per user. */
const batchOnUsers = (t: MutationFieldBuilder, payload: string, description: string, action: typeof kickMembers) =>
  t.field({
    type: outcomesPayload(payload, 'What became of each user.'),
    description,
    authScopes: { signedIn: true },
    errors: { types: GROUP_ERRORS },
    args: { groupId: t.arg.id({ required: true, description: GROUP_ID }), userIds: t.arg.idList({ required: true, description: USER_IDS }) },
    resolve: async (_root, { groupId, userIds }, { deps, viewer }) => ({ outcomes: await action(deps, viewer, groupId, userIds) }),
  });

builder.mutationFields((t) => ({
  updateGroupMembership: t.field({
    type: UpdateGroupMembershipPayload,
    description: "Changes the viewer's display name, mute or push mode in a group.",
    authScopes: { signedIn: true },
    errors: { types: GROUP_ERRORS },
    args: {
      groupId: t.arg.id({ required: true, description: GROUP_ID }),
      input: t.arg({ type: UpdateGroupMembershipInput, required: true, description: 'The changes.' }),
    },
    resolve: (_root, { groupId, input }, { deps, viewer }) => updateMembership(deps, viewer, groupId, defined(input)),
  }),
  leaveGroup: t.field({
    type: groupPayload('LeaveGroupPayload', 'The viewer left the group.'),
    description: 'The viewer leaves the group; the owner must transfer it first (OWNER_CANNOT_LEAVE). Members are told.',
    authScopes: { signedIn: true },
    errors: { types: GROUP_ERRORS },
    args: { groupId: t.arg.id({ required: true, description: GROUP_ID }) },
    resolve: async (_root, { groupId }, ctx) => (await leaveGroup(ctx.deps, ctx.viewer, groupId), groupNow(ctx, groupId)),
  }),
  kickGroupMembers: batchOnUsers(t, 'KickGroupMembersPayload', 'Admins remove members; only the owner removes admins; nobody removes the owner.', kickMembers),
  addGroupAdmins: batchOnUsers(t, 'AddGroupAdminsPayload', 'The owner makes members admins (up to the admin limit).', addAdmins),
  removeGroupAdmins: batchOnUsers(t, 'RemoveGroupAdminsPayload', 'The owner makes admins plain members.', removeAdmins),
  unbanGroupMembers: batchOnUsers(t, 'UnbanGroupMembersPayload', 'Admins lift bans.', unbanMembers),
  blockGroupUsers: batchOnUsers(
    t,
    'BlockGroupUsersPayload',
    'Admins block users of the app from the group: members among them are removed, and none can come back until unblocked.',
    blockUsers,
  ),
  unblockGroupUsers: batchOnUsers(t, 'UnblockGroupUsersPayload', 'Admins unblock users (they do not rejoin by this).', unblockUsers),
  banGroupMembers: t.field({
    type: outcomesPayload('BanGroupMembersPayload', 'What became of each user.'),
    description: 'Admins ban (mute) members for some minutes; only the owner bans admins. Members are told.',
    authScopes: { signedIn: true },
    errors: { types: GROUP_ERRORS },
    args: {
      groupId: t.arg.id({ required: true, description: GROUP_ID }),
      userIds: t.arg.idList({ required: true, description: USER_IDS }),
      minutes: t.arg.int({ required: true, description: 'How long, 1 minute to 10 years.' }),
    },
    resolve: async (_root, { groupId, userIds, minutes }, { deps, viewer }) => ({ outcomes: await banMembers(deps, viewer, groupId, userIds, minutes) }),
  }),
  transferGroupOwnership: t.field({
    type: groupPayload('TransferGroupOwnershipPayload', 'The group has a new owner.'),
    description: 'The owner hands the group to a member and becomes a plain member. Members are told.',
    authScopes: { signedIn: true },
    errors: { types: GROUP_ERRORS },
    args: {
      groupId: t.arg.id({ required: true, description: GROUP_ID }),
      newOwnerId: t.arg.id({ required: true, description: 'The member to hand it to.' }),
    },
    resolve: async (_root, { groupId, newOwnerId }, { deps, viewer }) => ({ group: await transferOwnership(deps, viewer, groupId, newOwnerId) }),
  }),
}));
