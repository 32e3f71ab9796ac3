import { findAnnouncement } from '../../domain/groups/announcements.js';
import { GROUP_REMOVAL_REASONS } from '../../domain/groups/vocabulary.js';
import type { GroupEvent } from '../../realtime/group-events.js';
import { builder } from '../builder.js';
import { GroupRequestStatusEnum, stored } from '../enums.js';
import { EventInterface, registerEventType, type Delivered } from './event.js';
import { GroupRef, GroupRoleEnum } from './group.js';
import { GroupAnnouncementRef } from './group-content.js';
import { REQUEST_FIELDS } from './group-joining.js';
import { UserRef } from './user.js';

type Of<T extends GroupEvent['type']> = Extract<Delivered, { type: T }>;

const GroupEventInterface = builder.interfaceRef<Delivered<GroupEvent>>('GroupEvent').implement({
  description: 'Something that happened in a group the viewer belongs to (or applied to, or was invited to).',
  interfaces: [EventInterface],
  fields: (t) => ({
    groupId: t.exposeID('groupId', { description: 'The group’s id.' }),
    group: t.field({
      type: GroupRef,
      description: 'The group as it is now.',
      resolve: async (e, _args, { loaders }) => (await loaders.group.load(e.groupId))!,
    }),
  }),
});

const interfaces = [EventInterface, GroupEventInterface];

registerEventType('GROUP_MEMBERS_JOINED', 'GroupMembersJoinedEvent');
builder.objectRef<Of<'GROUP_MEMBERS_JOINED'>>('GroupMembersJoinedEvent').implement({
  description: 'Users joined the group (created with it, invited, accepted, or by QR code).',
  interfaces,
  fields: (t) => ({ userIds: t.idList({ description: 'Who joined.', resolve: (e) => e.userIds }) }),
});

const GroupRemovalReason = builder.enumType('GroupRemovalReason', {
  description: 'Why members are no longer in a group.',
  values: {
    LEFT: { value: GROUP_REMOVAL_REASONS[0], description: 'They left.' },
    KICKED: { value: GROUP_REMOVAL_REASONS[1], description: 'An admin (or the owner) removed them.' },
    BLOCKED: { value: GROUP_REMOVAL_REASONS[2], description: 'An admin blocked them from the group.' },
  } as const,
});

registerEventType('GROUP_MEMBERS_REMOVED', 'GroupMembersRemovedEvent');
builder.objectRef<Of<'GROUP_MEMBERS_REMOVED'>>('GroupMembersRemovedEvent').implement({
  description: 'Members left, were kicked or were blocked. Those removed hear it too.',
  interfaces,
  fields: (t) => ({
    userIds: t.idList({ description: 'Who is no longer a member.', resolve: (e) => e.userIds }),
    cause: t.field({ type: GroupRemovalReason, description: 'How they were removed.', resolve: (e) => e.reason }),
  }),
});

registerEventType('GROUP_MEMBERS_BANNED', 'GroupMembersBannedEvent');
builder.objectRef<Of<'GROUP_MEMBERS_BANNED'>>('GroupMembersBannedEvent').implement({
  description: 'Members were banned (muted) until a time, or their ban was lifted.',
  interfaces,
  fields: (t) => ({
    userIds: t.idList({ description: 'Whose ban changed.', resolve: (e) => e.userIds }),
    until: t.field({
      type: 'Timestamp',
      nullable: true,
      description: 'When the ban ends; null when it was lifted.',
      resolve: (e) => (e.until === null ? null : new Date(e.until)),
    }),
  }),
});

const GroupRoleChangeRef = builder.objectRef<{ userId: number; role: 'OWNER' | 'ADMIN' | 'MEMBER' }>('GroupRoleChange').implement({
  description: 'A member’s new role.',
  fields: (t) => ({
    userId: t.exposeID('userId', { description: 'The member’s user id.' }),
    role: t.field({ type: GroupRoleEnum, description: 'Their role now.', resolve: (c) => c.role }),
  }),
});

registerEventType('GROUP_ROLES_CHANGED', 'GroupRolesChangedEvent');
builder.objectRef<Of<'GROUP_ROLES_CHANGED'>>('GroupRolesChangedEvent').implement({
  description: 'Admins were added or removed, or the group changed owner.',
  interfaces,
  fields: (t) => ({ changes: t.field({ type: [GroupRoleChangeRef], description: 'Each member whose role changed.', resolve: (e) => e.changes }) }),
});

registerEventType('GROUP_UPDATED', 'GroupUpdatedEvent');
builder.objectRef<Of<'GROUP_UPDATED'>>('GroupUpdatedEvent').implement({
  description: 'The group’s info or settings changed (a ban of everyone included): `group` shows them now.',
  interfaces,
  fields: () => ({}),
});

registerEventType('GROUP_ANNOUNCEMENT_PUBLISHED', 'GroupAnnouncementPublishedEvent');
builder.objectRef<Of<'GROUP_ANNOUNCEMENT_PUBLISHED'>>('GroupAnnouncementPublishedEvent').implement({
  description: 'An admin published an announcement.',
  interfaces,
  fields: (t) => ({
    announcement: t.field({
      type: GroupAnnouncementRef,
      nullable: true,
      description: 'Null when it was deleted since.',
      resolve: async (e, _args, { deps }) => (await findAnnouncement(deps.db, e.receiver.appId, e.announcementId)) ?? null,
    }),
  }),
});

registerEventType('GROUP_DISSOLVED', 'GroupDissolvedEvent');
builder.objectRef<Of<'GROUP_DISSOLVED'>>('GroupDissolvedEvent').implement({
  description: 'The owner dissolved the group: nothing more can be sent.',
  interfaces,
  fields: () => ({}),
});

registerEventType('GROUP_APPLICATION', 'GroupApplicationEvent');
builder.objectRef<Of<'GROUP_APPLICATION'>>('GroupApplicationEvent').implement({
  description: 'An application to join: new (the owner and admins hear it) or answered (the applicant hears it too).',
  interfaces,
  fields: (t) => ({
    applicantId: t.exposeID('applicantId', { description: 'Who applied.' }),
    applicant: t.field({
      type: UserRef,
      nullable: true,
      description: 'Who applied; null only if their account is gone.',
      resolve: async (e, _args, { loaders }) => (await loaders.user.load(e.applicantId)) ?? null,
    }),
    reason: t.exposeString('reason', { description: REQUEST_FIELDS.reason }),
    status: t.field({ type: GroupRequestStatusEnum, description: REQUEST_FIELDS.status, resolve: (e) => stored(GroupRequestStatusEnum, e.status) }),
    expiresAt: t.field({ type: 'Timestamp', description: REQUEST_FIELDS.expiresAt, resolve: (e) => new Date(e.expiresAt) }),
  }),
});

registerEventType('GROUP_INVITATION', 'GroupInvitationEvent');
builder.objectRef<Of<'GROUP_INVITATION'>>('GroupInvitationEvent').implement({
  description: 'An invitation to join: new (the invitee hears it) or answered (the inviter hears it).',
  interfaces,
  fields: (t) => ({
    inviteeId: t.exposeID('inviteeId', { description: 'Who is invited.' }),
    inviterId: t.exposeID('inviterId', { nullable: true, description: 'Who invited; null when an app admin invited on the group’s behalf.' }),
    inviter: t.field({
      type: UserRef,
      nullable: true,
      description: 'Who invited; null when an app admin did, or their account is gone.',
      resolve: async (e, _args, { loaders }) => (e.inviterId === null ? null : ((await loaders.user.load(e.inviterId)) ?? null)),
    }),
    reason: t.exposeString('reason', { description: REQUEST_FIELDS.reason }),
    status: t.field({ type: GroupRequestStatusEnum, description: REQUEST_FIELDS.status, resolve: (e) => stored(GroupRequestStatusEnum, e.status) }),
    expiresAt: t.field({ type: 'Timestamp', description: REQUEST_FIELDS.expiresAt, resolve: (e) => new Date(e.expiresAt) }),
  }),
});
