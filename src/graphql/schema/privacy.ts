import { deleteOwnAccount, deleteUser, exportUserData, type UserDataExport } from '../../domain/accounts/deletion.js';
import { AuthenticationError, ForbiddenError, InvalidInputError, NotFoundError } from '../../domain/errors.js';
import { builder } from '../builder.js';

const DeletedAccount = (name: string, description: string) =>
  builder.objectRef<{ userId: number }>(name).implement({
    description,
    fields: (t) => ({ userId: t.exposeID('userId', { description: 'The id of the deleted account (it now names a deleted user).' }) }),
  });

const UserDataExportRef = builder.objectRef<UserDataExport>('UserDataExport').implement({
  description: 'A user\u2019s data, as JSON: profile, settings, contacts, blocks, groups, and a page of the messages they sent.',
  fields: (t) => ({
    profile: t.field({ type: 'JSON', description: 'The account (no password hash).', resolve: (e) => e.profile }),
    settings: t.field({ type: 'JSON', nullable: true, description: 'Their settings (a security answer shows only as set).', resolve: (e) => e.settings }),
    contacts: t.field({ type: 'JSON', description: 'Their roster: friends and former friends, with aliases.', resolve: (e) => e.contacts }),
    blocked: t.field({ type: 'JSON', description: 'Ids of the users they block.', resolve: (e) => e.blocked }),
    groups: t.field({ type: 'JSON', description: 'Their group memberships.', resolve: (e) => e.groups }),
    messages: t.field({ type: 'JSON', description: 'A page of the messages they sent, oldest first.', resolve: (e) => e.messages }),
    endCursor: t.string({ nullable: true, description: 'Pass as `after` for the next page of messages; null on the last page.', resolve: (e) => e.endCursor }),
  }),
});

builder.queryField('userDataExport', (t) =>
  t.field({
    type: UserDataExportRef,
    description:
      'A user\u2019s data as JSON (GDPR access), messages a page at a time: users export their own; admins any user of the app (userId).',
    authScopes: { signedIn: true },
    args: {
      userId: t.arg.id({ description: 'Whose data: required for admins; a user may only name themselves.' }),
      after: t.arg.string({ description: 'The `endCursor` of the previous page.' }),
      first: t.arg.int({ description: 'Messages per page, 1 to 1000 (500 when absent).' }),
    },
    resolve: (_root, args, { deps, viewer }) => exportUserData(deps, viewer, args),
  }),
);

builder.mutationFields((t) => ({
  deleteAccount: t.field({
    type: DeletedAccount('DeleteAccountPayload', 'The account is deleted and every session of it ended.'),
    description:
      'Deletes the viewer\u2019s account after checking their password, as the app chooses (`AppSettings.accountDeletion`): ANONYMISE (the default) keeps a nameless tombstone, so sent messages stay in others\u2019 histories as from a deleted user; REMOVE deletes the user\u2019s rows and what they wrote (see AccountDeletionMode). Profile, devices, contacts, blocks and memberships go either way. An owner of groups must hand them over first (OWNER_CANNOT_LEAVE).',
    authScopes: { user: true },
    errors: { types: [AuthenticationError, ForbiddenError, NotFoundError] },
    args: { password: t.arg.string({ required: true, description: 'The current password.' }) },
    resolve: async (_root, { password }, { deps, viewer }) => ({ userId: await deleteOwnAccount(deps, viewer, password) }),
  }),
  deleteUser: t.field({
    type: DeletedAccount('DeleteUserPayload', 'The user is deleted and every session of theirs ended.'),
    description: 'Admins only: deletes a user of the app, as `deleteAccount` does.',
    authScopes: { admin: true },
    errors: { types: [InvalidInputError, ForbiddenError, NotFoundError] },
    args: { userId: t.arg.id({ required: true, description: 'The user to delete.' }) },
    resolve: async (_root, { userId }, { deps, viewer }) => ({ userId: await deleteUser(deps, viewer, userId) }),
  }),
}));
