import { answerApplication, applyToGroup, countApplications, listApplications } from '../../domain/groups/applications.js';
import { answerInvitation, countInvitations, inviteToGroup, listInvitations } from '../../domain/groups/invitations.js';
import { joinByQrCode, signGroupQrCode, type GroupQrCode } from '../../domain/groups/qrcode.js';
import { isOpen, type GroupApplication, type GroupInvitation } from '../../domain/groups/requests.js';
import { timeIdCursor } from '../../domain/paging.js';
import { builder } from '../builder.js';
import { GroupRequestStatusEnum, stored } from '../enums.js';
import { connectionOf, counted, forwardConnection } from '../pagination.js';
import { given, GROUP_ERRORS, GROUP_ID, GroupRef, groupPayload, outcomesPayload, USER_IDS } from './group.js';
import { UserRef } from './user.js';

/** What group applications, invitations and their events say about where they stand. */
export const REQUEST_FIELDS = {
  status: 'Pending, accepted or declined.',
  expiresAt: 'When a pending request can no longer be answered.',
  reason: 'What the asker wrote; empty when nothing.',
};

export const GroupApplicationRef = builder.objectRef<GroupApplication>('GroupApplication').implement({
  description: "A user's request to join a group.",
  fields: (t) => ({
    id: t.exposeID('id', { description: '64-bit application id, as a decimal string.' }),
    groupId: t.exposeID('groupId', { description: 'The group applied to.' }),
    group: t.field({
      type: GroupRef,
      nullable: true,
      description: 'The group applied to; null only if it is gone.',
      resolve: async (a, _args, { loaders }) => (await loaders.group.load(a.groupId)) ?? null,
    }),
    applicantId: t.exposeID('userId', { description: 'Who applied.' }),
    applicant: t.field({
      type: UserRef,
      nullable: true,
      description: 'Who applied; null only if their account is gone.',
      resolve: async (a, _args, { loaders }) => (await loaders.user.load(a.userId)) ?? null,
    }),
    reason: t.exposeString('reason', { description: REQUEST_FIELDS.reason }),
    status: t.field({ type: GroupRequestStatusEnum, description: REQUEST_FIELDS.status, resolve: (a) => stored(GroupRequestStatusEnum, a.status) }),
    expired: t.boolean({ description: 'Pending, but too old to be answered.', resolve: (a) => a.status === 0 && !isOpen(a) }),
    expiresAt: t.expose('expiresAt', { type: 'Timestamp', description: REQUEST_FIELDS.expiresAt }),
    createdAt: t.expose('createdAt', { type: 'Timestamp', description: 'When it was made.' }),
  }),
});

export const GroupInvitationRef = builder.objectRef<GroupInvitation>('GroupInvitation').implement({
  description: 'An invitation to join a group, for a user who accepts invitations themself (setting groupConfirm).',
  fields: (t) => ({
    id: t.exposeID('id', { description: '64-bit invitation id, as a decimal string.' }),
    groupId: t.exposeID('groupId', { description: 'The group invited to.' }),
    group: t.field({
      type: GroupRef,
      nullable: true,
      description: 'The group invited to; null only if it is gone.',
      resolve: async (i, _args, { loaders }) => (await loaders.group.load(i.groupId)) ?? null,
    }),
    inviteeId: t.exposeID('userId', { description: 'Who is invited.' }),
    inviterId: t.exposeID('inviterId', { nullable: true, description: 'Who invited; null when an app admin invited on the group’s behalf.' }),
    inviter: t.field({
      type: UserRef,
      nullable: true,
      description: 'Who invited; null when an app admin did, or their account is gone.',
      resolve: async (i, _args, { loaders }) => (i.inviterId === null ? null : ((await loaders.user.load(i.inviterId)) ?? null)),
    }),
    reason: t.exposeString('reason', { description: REQUEST_FIELDS.reason }),
    status: t.field({ type: GroupRequestStatusEnum, description: REQUEST_FIELDS.status, resolve: (i) => stored(GroupRequestStatusEnum, i.status) }),
    expired: t.boolean({ description: 'Pending, but too old to be answered.', resolve: (i) => i.status === 0 && !isOpen(i) }),
    expiresAt: t.expose('expiresAt', { type: 'Timestamp', description: REQUEST_FIELDS.expiresAt }),
    createdAt: t.expose('createdAt', { type: 'Timestamp', description: 'When it was sent.' }),
  }),
});

const GroupQrCodeRef = builder.objectRef<GroupQrCode>('GroupQrCode').implement({
  description: 'What a group QR code carries: an opaque, signed and expiring invitation.',
  fields: (t) => ({
    qrInfo: t.exposeString('qrInfo', { description: 'The opaque text to put in the QR code.' }),
    createdAt: t.expose('createdAt', { type: 'Timestamp', description: 'When it was signed.' }),
    expiresAt: t.expose('expiresAt', { type: 'Timestamp', description: 'When it stops letting people join.' }),
  }),
});

const GroupApplicationConnection = connectionOf(GroupApplicationRef, { name: 'GroupApplication', description: 'A page of applications, newest first.' });
const GroupInvitationConnection = connectionOf(GroupInvitationRef, { name: 'GroupInvitation', description: 'A page of invitations, newest first.' });

builder.queryFields((t) => ({
  groupApplications: t.connection(
    {
      type: GroupApplicationRef,
      description:
        'Applications to groups the viewer administers (all of them when groupIds is absent), answered and expired ones too, newest first.',
      authScopes: { signedIn: true },
      args: { groupIds: t.arg.idList({ description: 'Only these groups (the viewer must administer each); absent: all the viewer administers.' }) },
      resolve: async (_root, args, { deps, viewer }) => {
        const groupIds = given(args.groupIds);
        return counted(
          await forwardConnection(args, (after, limit) => listApplications(deps, viewer, groupIds, { after, limit }), (a) => timeIdCursor(a.createdAt, a.id)),
          () => countApplications(deps, viewer, groupIds),
        );
      },
    },
    GroupApplicationConnection,
  ),
  groupInvitations: t.connection(
    {
      type: GroupInvitationRef,
      description: "The viewer's invitations, answered and expired ones too, newest first.",
      authScopes: { user: true },
      resolve: async (_root, args, { deps, viewer }) =>
        counted(
          await forwardConnection(args, (after, limit) => listInvitations(deps, viewer, { after, limit }), (i) => timeIdCursor(i.createdAt, i.id)),
          () => countInvitations(deps, viewer),
        ),
    },
    GroupInvitationConnection,
  ),
}));

const applicationPayload = (name: string, description: string) =>
  builder.objectRef<GroupApplication>(name).implement({
    description,
    fields: (t) => ({ application: t.field({ type: GroupApplicationRef, description: 'The application as it is now.', resolve: (a) => a }) }),
  });

const AnswerGroupInvitationPayload = builder.objectRef<GroupInvitation>('AnswerGroupInvitationPayload').implement({
  description: 'The invitation is answered.',
  fields: (t) => ({ invitation: t.field({ type: GroupInvitationRef, description: 'The invitation as it is now.', resolve: (i) => i }) }),
});

const CreateGroupQrCodePayload = builder.objectRef<GroupQrCode>('CreateGroupQrCodePayload').implement({
  description: 'A new QR code.',
  fields: (t) => ({ qrCode: t.field({ type: GroupQrCodeRef, description: 'What to put in the QR code.', resolve: (q) => q }) }),
});

const REASON = 'Shown to the group’s admins (or the invitee), up to 256 characters.';

builder.mutationFields((t) => ({
  applyToGroup: t.field({
    type: applicationPayload('ApplyToGroupPayload', 'The application is made (and perhaps accepted at once).'),
    description:
      'The viewer asks to join a public group or chatroom: by its applyApproval the application is accepted at once (ACCEPTED), waits for an admin (PENDING; the admins are told), or is refused (APPLICATIONS_REFUSED).',
    authScopes: { user: true },
    errors: { types: GROUP_ERRORS },
    args: { groupId: t.arg.id({ required: true, description: GROUP_ID }), reason: t.arg.string({ description: REASON }) },
    resolve: (_root, { groupId, reason }, { deps, viewer }) => applyToGroup(deps, viewer, groupId, given(reason)),
  }),
  answerGroupApplication: t.field({
    type: applicationPayload('AnswerGroupApplicationPayload', 'The application is answered.'),
    description: 'Admins accept (the applicant joins) or decline a pending application. Expired or answered: APPLICATION_CLOSED.',
    authScopes: { signedIn: true },
    errors: { types: GROUP_ERRORS },
    args: {
      groupId: t.arg.id({ required: true, description: GROUP_ID }),
      applicantId: t.arg.id({ required: true, description: 'Who applied.' }),
      accept: t.arg.boolean({ required: true, description: 'True accepts, false declines.' }),
    },
    resolve: (_root, { groupId, applicantId, accept }, { deps, viewer }) => answerApplication(deps, viewer, groupId, applicantId, accept),
  }),
  inviteGroupMembers: t.field({
    type: outcomesPayload('InviteGroupMembersPayload', 'What became of each invitee.'),
    description:
      'Invites users (members may when memberInvite is on, admins always): each joins at once (JOINED) or, by their groupConfirm setting, is sent an invitation (INVITED).',
    authScopes: { signedIn: true },
    errors: { types: GROUP_ERRORS },
    args: {
      groupId: t.arg.id({ required: true, description: GROUP_ID }),
      userIds: t.arg.idList({ required: true, description: USER_IDS }),
      reason: t.arg.string({ description: REASON }),
    },
    resolve: async (_root, { groupId, userIds, reason }, { deps, viewer }) => ({
      outcomes: await inviteToGroup(deps, viewer, groupId, userIds, given(reason)),
    }),
  }),
  answerGroupInvitation: t.field({
    type: AnswerGroupInvitationPayload,
    description: 'The viewer accepts (and joins) or declines their invitation to a group. Expired or answered: INVITATION_CLOSED.',
    authScopes: { user: true },
    errors: { types: GROUP_ERRORS },
    args: {
      groupId: t.arg.id({ required: true, description: GROUP_ID }),
      accept: t.arg.boolean({ required: true, description: 'True accepts (and joins), false declines.' }),
    },
    resolve: (_root, { groupId, accept }, { deps, viewer }) => answerInvitation(deps, viewer, groupId, accept),
  }),
  createGroupQrCode: t.field({
    type: CreateGroupQrCodePayload,
    description: 'A signed, expiring QR code that lets whoever scans it join (for those who may invite).',
    authScopes: { signedIn: true },
    errors: { types: GROUP_ERRORS },
    args: { groupId: t.arg.id({ required: true, description: GROUP_ID }) },
    resolve: (_root, { groupId }, { deps, viewer }) => signGroupQrCode(deps, viewer, groupId),
  }),
  joinGroupByQrCode: t.field({
    type: groupPayload('JoinGroupByQrCodePayload', 'The viewer joined the group.'),
    description: 'The viewer joins the group of a QR code. Forged or malformed: QR_CODE_INVALID; too old: QR_CODE_EXPIRED.',
    authScopes: { user: true },
    errors: { types: GROUP_ERRORS },
    args: { qrInfo: t.arg.string({ required: true, description: 'The text the QR code carries (`GroupQrCode.qrInfo`).' }) },
    resolve: async (_root, { qrInfo }, { deps, viewer }) => ({ group: await joinByQrCode(deps, viewer, qrInfo) }),
  }),
}));
