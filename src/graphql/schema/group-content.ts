import {
  countAnnouncements,
  deleteAnnouncement,
  editAnnouncement,
  getAnnouncement,
  listAnnouncements,
  publishAnnouncement,
  type GroupAnnouncement,
} from '../../domain/groups/announcements.js';
import {
  addGroupFile,
  countGroupFiles,
  deleteGroupFiles,
  getGroupFile,
  listGroupFiles,
  renameGroupFile,
  type GroupFile,
} from '../../domain/groups/files.js';
import { NotFoundError } from '../../domain/errors.js';
import { builder } from '../builder.js';
import { connectionOf, counted, forwardConnection } from '../pagination.js';
import { defined, given, GROUP_ERRORS, GROUP_ID, GroupRef, outcomesPayload } from './group.js';

export const GroupAnnouncementRef = builder.objectRef<GroupAnnouncement>('GroupAnnouncement').implement({
  description: 'An announcement admins published in a group.',
  fields: (t) => ({
    id: t.exposeID('id', { description: '64-bit announcement id, as a decimal string.' }),
    groupId: t.exposeID('groupId', { description: 'The group it was published in.' }),
    authorId: t.exposeID('authorId', { nullable: true, description: 'Null when an app admin published on the group’s behalf.' }),
    title: t.exposeString('title', { description: 'Up to 128 characters; empty when none.' }),
    content: t.exposeString('content', { description: 'The text, 1–4096 characters.' }),
    createdAt: t.expose('createdAt', { type: 'Timestamp', description: 'When it was published.' }),
    updatedAt: t.expose('updatedAt', { type: 'Timestamp', description: 'When it was last edited.' }),
  }),
});

export const GroupFileRef = builder.objectRef<GroupFile>('GroupFile').implement({
  description: 'A file shared in a group; `file` has its stored bytes.',
  fields: (t) => ({
    id: t.exposeID('id', { description: '64-bit shared-file id, as a decimal string.' }),
    groupId: t.exposeID('groupId', { description: 'The group it is shared in.' }),
    uploaderId: t.exposeID('uploaderId', { nullable: true, description: 'Null when an app admin registered it.' }),
    name: t.exposeString('name', { description: 'The name it is listed under, 1–256 characters.' }),
    size: t.exposeFloat('size', { description: 'Bytes.' }),
    type: t.exposeString('type', { description: 'Media type, detected from the bytes.' }),
    createdAt: t.expose('createdAt', { type: 'Timestamp', description: 'When it was listed.' }),
    updatedAt: t.expose('updatedAt', { type: 'Timestamp', description: 'When it was last renamed.' }),
  }),
});

const GroupAnnouncementConnection = connectionOf(GroupAnnouncementRef, { name: 'GroupAnnouncement', description: 'A page of announcements, newest first.' });
const GroupFileConnection = connectionOf(GroupFileRef, { name: 'GroupFile', description: 'A page of shared files, newest first.' });

/** A lookup that answers null for the one not-found code of its kind (docs/schema.md). */
async function orNull<T>(lookup: Promise<T>, code: NotFoundError['code']): Promise<T | null> {
  try {
    return await lookup;
  } catch (error) {
    if (error instanceof NotFoundError && error.code === code) return null;
    throw error;
  }
}

builder.objectFields(GroupRef, (t) => ({
  announcements: t.connection(
    {
      type: GroupAnnouncementRef,
      description: 'Announcements, newest first (members only).',
      resolve: async (group, args, { deps, viewer }) =>
        counted(
          await forwardConnection(args, (after, limit) => listAnnouncements(deps, viewer, group.id, { after, limit }), (a) => String(a.id)),
          () => countAnnouncements(deps, viewer, group.id),
        ),
    },
    GroupAnnouncementConnection,
  ),
  announcement: t.field({
    type: GroupAnnouncementRef,
    nullable: true,
    description: 'One announcement (members only); null when the group has none of that id.',
    args: { id: t.arg.id({ required: true, description: 'The announcement id.' }) },
    resolve: (group, { id }, { deps, viewer }) => orNull(getAnnouncement(deps, viewer, group.id, id), 'ANNOUNCEMENT_NOT_FOUND'),
  }),
  lastAnnouncement: t.field({
    type: GroupAnnouncementRef,
    nullable: true,
    description: 'The newest announcement (members only); null when there is none.',
    resolve: async (group, _args, { deps, viewer }) => (await listAnnouncements(deps, viewer, group.id, { limit: 1 }))[0] ?? null,
  }),
  files: t.connection(
    {
      type: GroupFileRef,
      description: 'Shared files, newest first (members only).',
      resolve: async (group, args, { deps, viewer }) =>
        counted(
          await forwardConnection(args, (after, limit) => listGroupFiles(deps, viewer, group.id, { after, limit }), (f) => String(f.id)),
          () => countGroupFiles(deps, viewer, group.id),
        ),
    },
    GroupFileConnection,
  ),
  file: t.field({
    type: GroupFileRef,
    nullable: true,
    description: 'One shared file (members only); null when the group has none of that id.',
    args: { id: t.arg.id({ required: true, description: 'The shared-file id.' }) },
    resolve: (group, { id }, { deps, viewer }) => orNull(getGroupFile(deps, viewer, group.id, id), 'GROUP_FILE_NOT_FOUND'),
  }),
}));

const AddGroupFileInput = builder.inputType('AddGroupFileInput', {
  description: 'A file uploaded for the group (a GROUP_FILE upload), to list among its shared files.',
  fields: (t) => ({
    name: t.string({ required: true, description: '1–256 characters.' }),
    url: t.string({ required: true, description: 'The download URL (or `StoredFile.reference`) of the upload. Size and type come from the stored bytes.' }),
  }),
});

const announcementPayload = (name: string, description: string) =>
  builder.objectRef<GroupAnnouncement>(name).implement({
    description,
    fields: (t) => ({ announcement: t.field({ type: GroupAnnouncementRef, description: 'The announcement as it is now.', resolve: (a) => a }) }),
  });

const groupFilePayload = (name: string, description: string) =>
  builder.objectRef<GroupFile>(name).implement({
    description,
    fields: (t) => ({ file: t.field({ type: GroupFileRef, description: 'The shared file as it is now.', resolve: (f) => f }) }),
  });

const DeleteGroupAnnouncementPayload = builder.objectRef<{ announcementId: string }>('DeleteGroupAnnouncementPayload').implement({
  description: 'The announcement is gone.',
  fields: (t) => ({ announcementId: t.exposeID('announcementId', { description: 'The id of the deleted announcement.' }) }),
});

const ANNOUNCEMENT_ID = 'The announcement id.';

builder.mutationFields((t) => ({
  publishGroupAnnouncement: t.field({
    type: announcementPayload('PublishGroupAnnouncementPayload', 'The announcement is published.'),
    description: 'Admins publish an announcement; the members are told.',
    authScopes: { signedIn: true },
    errors: { types: GROUP_ERRORS },
    args: {
      groupId: t.arg.id({ required: true, description: GROUP_ID }),
      title: t.arg.string({ description: 'Up to 128 characters.' }),
      content: t.arg.string({ required: true, description: '1–4096 characters.' }),
    },
    resolve: (_root, { groupId, title, content }, { deps, viewer }) =>
      publishAnnouncement(deps, viewer, groupId, { title: given(title), content }),
  }),
  editGroupAnnouncement: t.field({
    type: announcementPayload('EditGroupAnnouncementPayload', 'The announcement changed.'),
    description: 'Admins change an announcement; absent fields stay as they are.',
    authScopes: { signedIn: true },
    errors: { types: GROUP_ERRORS },
    args: {
      groupId: t.arg.id({ required: true, description: GROUP_ID }),
      id: t.arg.id({ required: true, description: ANNOUNCEMENT_ID }),
      title: t.arg.string({ description: 'Up to 128 characters.' }),
      content: t.arg.string({ description: '1–4096 characters.' }),
    },
    resolve: (_root, { groupId, id, ...changes }, { deps, viewer }) => editAnnouncement(deps, viewer, groupId, id, defined(changes)),
  }),
  deleteGroupAnnouncement: t.field({
    type: DeleteGroupAnnouncementPayload,
    description: 'Admins delete an announcement.',
    authScopes: { signedIn: true },
    errors: { types: GROUP_ERRORS },
    args: { groupId: t.arg.id({ required: true, description: GROUP_ID }), id: t.arg.id({ required: true, description: ANNOUNCEMENT_ID }) },
    resolve: async (_root, { groupId, id }, { deps, viewer }) => (await deleteAnnouncement(deps, viewer, groupId, id), { announcementId: String(id) }),
  }),
  addGroupFile: t.field({
    type: groupFilePayload('AddGroupFilePayload', 'The file is listed.'),
    description: 'Members list a file they uploaded.',
    authScopes: { signedIn: true },
    errors: { types: GROUP_ERRORS },
    args: {
      groupId: t.arg.id({ required: true, description: GROUP_ID }),
      input: t.arg({ type: AddGroupFileInput, required: true, description: 'The upload and its name.' }),
    },
    resolve: (_root, { groupId, input }, { deps, viewer }) => addGroupFile(deps, viewer, groupId, input),
  }),
  renameGroupFile: t.field({
    type: groupFilePayload('RenameGroupFilePayload', 'The file is renamed.'),
    description: 'The uploader or an admin renames a file (NOT_FILE_OWNER otherwise).',
    authScopes: { signedIn: true },
    errors: { types: GROUP_ERRORS },
    args: {
      groupId: t.arg.id({ required: true, description: GROUP_ID }),
      fileId: t.arg.id({ required: true, description: 'The shared-file id.' }),
      name: t.arg.string({ required: true, description: 'The new name, 1–256 characters.' }),
    },
    resolve: (_root, { groupId, fileId, name }, { deps, viewer }) => renameGroupFile(deps, viewer, groupId, fileId, name),
  }),
  deleteGroupFiles: t.field({
    type: outcomesPayload('DeleteGroupFilesPayload', 'What became of each file.'),
    description: 'The uploader or an admin deletes files; each succeeds or fails (NOT_FILE_OWNER, GROUP_FILE_NOT_FOUND) on its own.',
    authScopes: { signedIn: true },
    errors: { types: GROUP_ERRORS },
    args: {
      groupId: t.arg.id({ required: true, description: GROUP_ID }),
      fileIds: t.arg.idList({ required: true, description: 'The shared-file ids, up to 100.' }),
    },
    resolve: async (_root, { groupId, fileIds }, { deps, viewer }) => ({ outcomes: await deleteGroupFiles(deps, viewer, groupId, fileIds) }),
  }),
}));
