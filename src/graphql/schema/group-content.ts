import {
  deleteAnnouncement,
  editAnnouncement,
  getAnnouncement,
  listAnnouncements,
  publishAnnouncement,
  type GroupAnnouncement,
} from '../../domain/groups/announcements.js';
import {
  addGroupFile,
  deleteGroupFiles,
  getGroupFile,
  listGroupFiles,
  renameGroupFile,
  type GroupFile,
} from '../../domain/groups/files.js';
import { builder } from '../builder.js';
import { forwardConnection } from '../pagination.js';
import { defined, given, GROUP_ERRORS, GroupRef, GroupTargetResultRef } from './group.js';

export const GroupAnnouncementRef = builder.objectRef<GroupAnnouncement>('GroupAnnouncement').implement({
  description: 'An announcement admins published in a group.',
  fields: (t) => ({
    id: t.exposeID('id'),
    groupId: t.exposeID('groupId'),
    authorId: t.exposeID('authorId', { nullable: true, description: 'Null when an app admin published on the group’s behalf.' }),
    title: t.exposeString('title'),
    content: t.exposeString('content'),
    createdAt: t.expose('createdAt', { type: 'Timestamp' }),
    updatedAt: t.expose('updatedAt', { type: 'Timestamp' }),
  }),
});

export const GroupFileRef = builder.objectRef<GroupFile>('GroupFile').implement({
  description: 'A file shared in a group; `file` has its stored bytes.',
  fields: (t) => ({
    id: t.exposeID('id'),
    groupId: t.exposeID('groupId'),
    uploaderId: t.exposeID('uploaderId', { nullable: true, description: 'Null when an app admin registered it.' }),
    name: t.exposeString('name'),
    size: t.exposeFloat('size', { description: 'Bytes.' }),
    type: t.exposeString('type', { description: 'Media type, detected from the bytes.' }),
    createdAt: t.expose('createdAt', { type: 'Timestamp' }),
    updatedAt: t.expose('updatedAt', { type: 'Timestamp' }),
  }),
});

builder.objectFields(GroupRef, (t) => ({
  announcements: t.connection({
    type: GroupAnnouncementRef,
    description: 'Announcements, newest first (members only).',
    resolve: (group, args, { deps, viewer }) =>
      forwardConnection(args, (after, limit) => listAnnouncements(deps, viewer, group.id, { after, limit }), (a) => String(a.id)),
  }),
  announcement: t.field({
    type: GroupAnnouncementRef,
    description: 'One announcement (members only); an unknown id is an error ANNOUNCEMENT_NOT_FOUND.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (group, { id }, { deps, viewer }) => getAnnouncement(deps, viewer, group.id, id),
  }),
  lastAnnouncement: t.field({
    type: GroupAnnouncementRef,
    nullable: true,
    description: 'The newest announcement (members only); null when there is none.',
    resolve: async (group, _args, { deps, viewer }) => (await listAnnouncements(deps, viewer, group.id, { limit: 1 }))[0] ?? null,
  }),
  files: t.connection({
    type: GroupFileRef,
    description: 'Shared files, newest first (members only).',
    resolve: (group, args, { deps, viewer }) =>
      forwardConnection(args, (after, limit) => listGroupFiles(deps, viewer, group.id, { after, limit }), (f) => String(f.id)),
  }),
  file: t.field({
    type: GroupFileRef,
    description: 'One shared file (members only); an unknown id is an error GROUP_FILE_NOT_FOUND.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (group, { id }, { deps, viewer }) => getGroupFile(deps, viewer, group.id, id),
  }),
}));

const AddGroupFileInput = builder.inputType('AddGroupFileInput', {
  description: 'A file uploaded for the group (a GROUP_FILE upload), to list among its shared files.',
  fields: (t) => ({
    name: t.string({ required: true, description: '1–256 characters.' }),
    url: t.string({ required: true, description: 'The download URL (or `StoredFile.reference`) of the upload. Size and type come from the stored bytes.' }),
  }),
});

builder.mutationFields((t) => ({
  publishGroupAnnouncement: t.field({
    type: GroupAnnouncementRef,
    description: 'Admins publish an announcement; the members are told.',
    authScopes: { signedIn: true },
    errors: { types: GROUP_ERRORS },
    args: {
      groupId: t.arg.id({ required: true }),
      title: t.arg.string({ description: 'Up to 128 characters.' }),
      content: t.arg.string({ required: true, description: '1–4096 characters.' }),
    },
    resolve: (_root, { groupId, title, content }, { deps, viewer }) =>
      publishAnnouncement(deps, viewer, groupId, { title: given(title), content }),
  }),
  editGroupAnnouncement: t.field({
    type: GroupAnnouncementRef,
    description: 'Admins change an announcement; absent fields stay as they are.',
    authScopes: { signedIn: true },
    errors: { types: GROUP_ERRORS },
    args: {
      groupId: t.arg.id({ required: true }),
      id: t.arg.id({ required: true }),
      title: t.arg.string(),
      content: t.arg.string(),
    },
    resolve: (_root, { groupId, id, ...changes }, { deps, viewer }) => editAnnouncement(deps, viewer, groupId, id, defined(changes)),
  }),
  deleteGroupAnnouncement: t.boolean({
    description: 'Admins delete an announcement.',
    authScopes: { signedIn: true },
    errors: { types: GROUP_ERRORS, directResult: false },
    args: { groupId: t.arg.id({ required: true }), id: t.arg.id({ required: true }) },
    resolve: (_root, { groupId, id }, { deps, viewer }) => deleteAnnouncement(deps, viewer, groupId, id),
  }),
  addGroupFile: t.field({
    type: GroupFileRef,
    description: 'Members list a file they uploaded.',
    authScopes: { signedIn: true },
    errors: { types: GROUP_ERRORS },
    args: { groupId: t.arg.id({ required: true }), input: t.arg({ type: AddGroupFileInput, required: true }) },
    resolve: (_root, { groupId, input }, { deps, viewer }) =>
      addGroupFile(deps, viewer, groupId, input),
  }),
  renameGroupFile: t.field({
    type: GroupFileRef,
    description: 'The uploader or an admin renames a file (NOT_FILE_OWNER otherwise).',
    authScopes: { signedIn: true },
    errors: { types: GROUP_ERRORS },
    args: { groupId: t.arg.id({ required: true }), fileId: t.arg.id({ required: true }), name: t.arg.string({ required: true }) },
    resolve: (_root, { groupId, fileId, name }, { deps, viewer }) => renameGroupFile(deps, viewer, groupId, fileId, name),
  }),
  deleteGroupFiles: t.field({
    type: [GroupTargetResultRef],
    description: 'The uploader or an admin deletes files; each succeeds or fails (NOT_FILE_OWNER, GROUP_FILE_NOT_FOUND) on its own.',
    authScopes: { signedIn: true },
    errors: { types: GROUP_ERRORS, directResult: false },
    args: { groupId: t.arg.id({ required: true }), fileIds: t.arg.idList({ required: true }) },
    resolve: (_root, { groupId, fileIds }, { deps, viewer }) => deleteGroupFiles(deps, viewer, groupId, fileIds),
  }),
}));
