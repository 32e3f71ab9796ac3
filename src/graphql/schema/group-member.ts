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
import { forwardConnection, TOTAL } from '../pagination.js';
import { defined, GROUP_ERRORS, GroupMemberRef, GroupRef, GroupTargetResultRef } from './group.js';
import { UserRef } from './user.js';

const GroupBlockRef = builder.objectRef<GroupBlock>('GroupBlock').implement({
  description: 'A user blocked from a group: removed, and unable to apply, be invited or scan a QR code.',
  fields: (t) => ({
    groupId: t.exposeID('groupId'),
    userId: t.exposeID('userId'),
    user: t.field({
      type: UserRef,
      nullable: true,
      resolve: async (block, _args, { loaders }) => (await loaders.user.load(block.userId)) ?? null,
    }),
    createdAt: t.expose('createdAt', { type: 'Timestamp' }),
  }),
});

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
        return { ...connection, totalCount: () => total };
      },
    },
    { name: 'GroupMemberConnection', fields: (c) => ({ totalCount: c.int({ description: TOTAL, resolve: (conn) => conn.totalCount() }) }) },
  ),
  membersByIds: t.field({
    type: [GroupMemberRef],
    description: 'The members among up to 100 users (display names, join times), in the order asked; non-members are left out.',
    args: { userIds: t.arg.idList({ required: true }) },
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
      resolve: async (group, args, { deps, viewer }) => ({
        ...(await forwardConnection(args, (after, limit) => listBanned(deps, viewer, group.id, { after, limit }), (m) => String(m.userId))),
        totalCount: () => countBanned(deps, viewer, group.id),
      }),
    },
    { name: 'GroupBannedMemberConnection', fields: (c) => ({ totalCount: c.int({ description: TOTAL, resolve: (conn) => conn.totalCount() }) }) },
  ),
  blockedUsers: t.connection(
    {
      type: GroupBlockRef,
      description: 'Users blocked from the group, by user id (admins only).',
      resolve: async (group, args, { deps, viewer }) => ({
        ...(await forwardConnection(args, (after, limit) => listBlocked(deps, viewer, group.id, { after, limit }), (b) => String(b.userId))),
        totalCount: () => countBlocked(deps, viewer, group.id),
      }),
    },
    { name: 'GroupBlockConnection', fields: (c) => ({ totalCount: c.int({ description: TOTAL, resolve: (conn) => conn.totalCount() }) }) },
  ),
}));

const UpdateGroupMembershipInput = builder.inputType('UpdateGroupMembershipInput', {
  description: "The viewer's own view of a group; absent fields stay as they are.",
  fields: (t) => ({
    displayName: t.string({ description: 'The name the viewer goes by in the group, up to 64 characters.' }),
    msgMuteMode: t.int({ description: '0 normal, 1 no notification, 2 do not receive. Other values: INVALID_GROUP_MODE.' }),
    msgPushMode: t.int({
      description: '0 all, 1 none, 2 admins and mentions, 3 admins only, 4 mentions only. Other values: INVALID_GROUP_MODE.',
    }),
  }),
});

/** A mutation acting on some users of a group, answering per user. */
const batchOnUsers = (
  t: Parameters<Parameters<typeof builder.mutationFields>[0]>[0],
  description: string,
  action: typeof kickMembers,
) =>
  t.field({
    type: [GroupTargetResultRef],
    description,
    authScopes: { signedIn: true },
    errors: { types: GROUP_ERRORS, directResult: false },
    args: { groupId: t.arg.id({ required: true }), userIds: t.arg.idList({ required: true }) },
    resolve: (_root, { groupId, userIds }, { deps, viewer }) => action(deps, viewer, groupId, userIds),
  });

builder.mutationFields((t) => ({
  updateGroupMembership: t.field({
    type: GroupMemberRef,
    description: "Changes the viewer's display name, mute or push mode in a group.",
    authScopes: { signedIn: true },
    errors: { types: GROUP_ERRORS },
    args: { groupId: t.arg.id({ required: true }), input: t.arg({ type: UpdateGroupMembershipInput, required: true }) },
    resolve: (_root, { groupId, input }, { deps, viewer }) => updateMembership(deps, viewer, groupId, defined(input)),
  }),
  leaveGroup: t.boolean({
    description: 'The viewer leaves the group; the owner must transfer it first (OWNER_CANNOT_LEAVE). Members are told.',
    authScopes: { signedIn: true },
    errors: { types: GROUP_ERRORS, directResult: false },
    args: { groupId: t.arg.id({ required: true }) },
    resolve: (_root, { groupId }, { deps, viewer }) => leaveGroup(deps, viewer, groupId),
  }),
  kickGroupMembers: batchOnUsers(t, 'Admins remove members; only the owner removes admins; nobody removes the owner.', kickMembers),
  addGroupAdmins: batchOnUsers(t, 'The owner makes members admins (up to the admin limit).', addAdmins),
  removeGroupAdmins: batchOnUsers(t, 'The owner makes admins plain members.', removeAdmins),
  unbanGroupMembers: batchOnUsers(t, 'Admins lift bans.', unbanMembers),
  blockGroupUsers: batchOnUsers(
    t,
    'Admins block users of the app from the group: members among them are removed, and none can come back until unblocked.',
    blockUsers,
  ),
  unblockGroupUsers: batchOnUsers(t, 'Admins unblock users (they do not rejoin by this).', unblockUsers),
  banGroupMembers: t.field({
    type: [GroupTargetResultRef],
    description: 'Admins ban (mute) members for some minutes; only the owner bans admins. Members are told.',
    authScopes: { signedIn: true },
    errors: { types: GROUP_ERRORS, directResult: false },
    args: {
      groupId: t.arg.id({ required: true }),
      userIds: t.arg.idList({ required: true }),
      minutes: t.arg.int({ required: true, description: '1 minute to 10 years.' }),
    },
    resolve: (_root, { groupId, userIds, minutes }, { deps, viewer }) => banMembers(deps, viewer, groupId, userIds, minutes),
  }),
  transferGroupOwnership: t.field({
    type: GroupRef,
    description: 'The owner hands the group to a member and becomes a plain member. Members are told.',
    authScopes: { signedIn: true },
    errors: { types: GROUP_ERRORS },
    args: { groupId: t.arg.id({ required: true }), newOwnerId: t.arg.id({ required: true }) },
    resolve: (_root, { groupId, newOwnerId }, { deps, viewer }) => transferOwnership(deps, viewer, groupId, newOwnerId),
  }),
}));
