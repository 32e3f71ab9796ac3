import { answerApplication, applyToGroup, countApplications, listApplications } from '../../domain/groups/applications.js';
import { answerInvitation, countInvitations, inviteToGroup, listInvitations } from '../../domain/groups/invitations.js';
import { joinByQrCode, signGroupQrCode, type GroupQrCode } from '../../domain/groups/qrcode.js';
import { isOpen, type GroupApplication, type GroupInvitation } from '../../domain/groups/requests.js';
import { timeIdCursor } from '../../domain/paging.js';
import { builder } from '../builder.js';
import { forwardConnection, TOTAL } from '../pagination.js';
import { given, GROUP_ERRORS, GroupRef, GroupTargetResultRef } from './group.js';
import { UserRef } from './user.js';

const requestFields = {
  status: 'The answer: 0 pending, 1 accepted, 2 declined.',
  expiresAt: 'When a pending request can no longer be answered.',
};

export const GroupApplicationRef = builder.objectRef<GroupApplication>('GroupApplication').implement({
  description: "A user's request to join a group.",
  fields: (t) => ({
    id: t.exposeID('id'),
    groupId: t.exposeID('groupId'),
    group: t.field({ type: GroupRef, nullable: true, resolve: async (a, _args, { loaders }) => (await loaders.group.load(a.groupId)) ?? null }),
    applicantId: t.exposeID('userId'),
    applicant: t.field({ type: UserRef, nullable: true, resolve: async (a, _args, { loaders }) => (await loaders.user.load(a.userId)) ?? null }),
    reason: t.exposeString('reason'),
    status: t.exposeInt('status', { description: requestFields.status }),
    expired: t.boolean({ description: 'Pending, but too old to be answered.', resolve: (a) => a.status === 0 && !isOpen(a) }),
    expiresAt: t.expose('expiresAt', { type: 'Timestamp', description: requestFields.expiresAt }),
    createdAt: t.expose('createdAt', { type: 'Timestamp' }),
  }),
});

export const GroupInvitationRef = builder.objectRef<GroupInvitation>('GroupInvitation').implement({
  description: 'An invitation to join a group, for a user who accepts invitations themself (setting groupConfirm).',
  fields: (t) => ({
    id: t.exposeID('id'),
    groupId: t.exposeID('groupId'),
    group: t.field({ type: GroupRef, nullable: true, resolve: async (i, _args, { loaders }) => (await loaders.group.load(i.groupId)) ?? null }),
    inviteeId: t.exposeID('userId'),
    inviterId: t.exposeID('inviterId', { nullable: true, description: 'Null when an app admin invited on the group’s behalf.' }),
    inviter: t.field({
      type: UserRef,
      nullable: true,
      resolve: async (i, _args, { loaders }) => (i.inviterId === null ? null : ((await loaders.user.load(i.inviterId)) ?? null)),
    }),
    reason: t.exposeString('reason'),
    status: t.exposeInt('status', { description: requestFields.status }),
    expired: t.boolean({ description: 'Pending, but too old to be answered.', resolve: (i) => i.status === 0 && !isOpen(i) }),
    expiresAt: t.expose('expiresAt', { type: 'Timestamp', description: requestFields.expiresAt }),
    createdAt: t.expose('createdAt', { type: 'Timestamp' }),
  }),
});

const GroupQrCodeRef = builder.objectRef<GroupQrCode>('GroupQrCode').implement({
  description: 'What a group QR code carries: an opaque, signed and expiring invitation.',
  fields: (t) => ({
    qrInfo: t.exposeString('qrInfo', { description: 'The opaque text to put in the QR code.' }),
    createdAt: t.expose('createdAt', { type: 'Timestamp' }),
    expiresAt: t.expose('expiresAt', { type: 'Timestamp' }),
  }),
});

builder.queryFields((t) => ({
  groupApplications: t.connection(
    {
      type: GroupApplicationRef,
      description:
        'Applications to groups the viewer administers (all of them when groupIds is absent), answered and expired ones too, newest first.',
      authScopes: { signedIn: true },
      args: { groupIds: t.arg.idList() },
      resolve: async (_root, args, { deps, viewer }) => {
        const groupIds = given(args.groupIds);
        return {
          ...(await forwardConnection(
            args,
            (after, limit) => listApplications(deps, viewer, groupIds, { after, limit }),
            (a) => timeIdCursor(a.createdAt, a.id),
          )),
          totalCount: () => countApplications(deps, viewer, groupIds),
        };
      },
    },
    { name: 'GroupApplicationConnection', fields: (c) => ({ totalCount: c.int({ description: TOTAL, resolve: (conn) => conn.totalCount() }) }) },
  ),
  groupInvitations: t.connection(
    {
      type: GroupInvitationRef,
      description: "The viewer's invitations, answered and expired ones too, newest first.",
      authScopes: { user: true },
      resolve: async (_root, args, { deps, viewer }) => ({
        ...(await forwardConnection(args, (after, limit) => listInvitations(deps, viewer, { after, limit }), (i) => timeIdCursor(i.createdAt, i.id))),
        totalCount: () => countInvitations(deps, viewer),
      }),
    },
    { name: 'GroupInvitationConnection', fields: (c) => ({ totalCount: c.int({ description: TOTAL, resolve: (conn) => conn.totalCount() }) }) },
  ),
}));

builder.mutationFields((t) => ({
  applyToGroup: t.field({
    type: GroupApplicationRef,
    description:
      'The viewer asks to join a public group or chatroom: by its applyApproval the application is accepted at once (status 1), waits for an admin (0; the admins are told), or is refused (APPLICATIONS_REFUSED).',
    authScopes: { user: true },
    errors: { types: GROUP_ERRORS },
    args: { groupId: t.arg.id({ required: true }), reason: t.arg.string({ description: 'Up to 256 characters.' }) },
    resolve: (_root, { groupId, reason }, { deps, viewer }) => applyToGroup(deps, viewer, groupId, given(reason)),
  }),
  answerGroupApplication: t.field({
    type: GroupApplicationRef,
    description: 'Admins accept (the applicant joins) or decline a pending application. Expired or answered: APPLICATION_CLOSED.',
    authScopes: { signedIn: true },
    errors: { types: GROUP_ERRORS },
    args: { groupId: t.arg.id({ required: true }), applicantId: t.arg.id({ required: true }), accept: t.arg.boolean({ required: true }) },
    resolve: (_root, { groupId, applicantId, accept }, { deps, viewer }) => answerApplication(deps, viewer, groupId, applicantId, accept),
  }),
  inviteGroupMembers: t.field({
    type: [GroupTargetResultRef],
    description:
      'Invites users (members may when memberInvite is on, admins always): each joins at once (JOINED) or, by their groupConfirm setting, is sent an invitation (INVITED).',
    authScopes: { signedIn: true },
    errors: { types: GROUP_ERRORS, directResult: false },
    args: {
      groupId: t.arg.id({ required: true }),
      userIds: t.arg.idList({ required: true }),
      reason: t.arg.string({ description: 'Up to 256 characters.' }),
    },
    resolve: (_root, { groupId, userIds, reason }, { deps, viewer }) => inviteToGroup(deps, viewer, groupId, userIds, given(reason)),
  }),
  answerGroupInvitation: t.field({
    type: GroupInvitationRef,
    description: 'The viewer accepts (and joins) or declines their invitation to a group. Expired or answered: INVITATION_CLOSED.',
    authScopes: { user: true },
    errors: { types: GROUP_ERRORS },
    args: { groupId: t.arg.id({ required: true }), accept: t.arg.boolean({ required: true }) },
    resolve: (_root, { groupId, accept }, { deps, viewer }) => answerInvitation(deps, viewer, groupId, accept),
  }),
  createGroupQrCode: t.field({
    type: GroupQrCodeRef,
    description: 'A signed, expiring QR code that lets whoever scans it join (for those who may invite).',
    authScopes: { signedIn: true },
    errors: { types: GROUP_ERRORS },
    args: { groupId: t.arg.id({ required: true }) },
    resolve: (_root, { groupId }, { deps, viewer }) => signGroupQrCode(deps, viewer, groupId),
  }),
  joinGroupByQrCode: t.field({
    type: GroupRef,
    description: 'The viewer joins the group of a QR code. Forged or malformed: QR_CODE_INVALID; too old: QR_CODE_EXPIRED.',
    authScopes: { user: true },
    errors: { types: GROUP_ERRORS },
    args: { qrInfo: t.arg.string({ required: true }) },
    resolve: (_root, { qrInfo }, { deps, viewer }) => joinByQrCode(deps, viewer, qrInfo),
  }),
}));
