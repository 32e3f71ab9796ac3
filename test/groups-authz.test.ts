import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedFileUrl } from './helpers/files.js';
import type { GqlResult } from './helpers/server.js';
import { TestServer, type TestUser } from './helpers/server.js';

// The authorization matrix: every group action, as each kind of caller, against a fresh group.
// A cell is "ok" or the error code the caller gets (for batch actions: the code of the one target).

type Role = 'owner' | 'admin' | 'member' | 'banned' | 'nonMember' | 'blocked' | 'otherApp';
const ROLES: Role[] = ['owner', 'admin', 'member', 'banned', 'nonMember', 'blocked', 'otherApp'];
type Expected = Record<Role, string>;

/** The people around a group: its roles, and users actions aim at. */
interface Cast {
  owner: TestUser;
  admin: TestUser;
  member: TestUser;
  banned: TestUser;
  nonMember: TestUser;
  blocked: TestUser;
  /** A plain member, an admin and an outsider that actions target. */
  target: TestUser;
  targetAdmin: TestUser;
  outsider: TestUser;
  applicant: TestUser;
  otherAppAdmin: string;
}

/** A group set up for one cell, with what the action needs. */
interface Scene {
  groupId: string;
  announcementId: string;
  fileId: string;
  /** A shared-file upload of the group, which any member may list. */
  fileUrl: string;
  qrInfo: string;
}

interface Action {
  name: string;
  query: string;
  variables: (scene: Scene, cast: Cast) => Record<string, unknown>;
  expected: Expected;
  /** What the cell answers; by default "ok" or the error code. */
  answer?: (res: GqlResult) => string;
  /** Reads share one scene per action; changes get a fresh one per cell. */
  read?: boolean;
}

const ANYONE: Expected = { owner: 'ok', admin: 'ok', member: 'ok', banned: 'ok', nonMember: 'ok', blocked: 'ok', otherApp: 'GROUP_NOT_FOUND' };
const MEMBERS: Expected = { ...ANYONE, nonMember: 'NEEDS_GROUP_MEMBER', blocked: 'NEEDS_GROUP_MEMBER' };
const ADMINS: Expected = { ...MEMBERS, member: 'NEEDS_GROUP_ADMIN', banned: 'NEEDS_GROUP_ADMIN' };
const OWNER: Expected = { ...MEMBERS, admin: 'NEEDS_GROUP_OWNER', member: 'NEEDS_GROUP_OWNER', banned: 'NEEDS_GROUP_OWNER' };
/** Actions only a person can take (an admin token must name a user): the other app's admin is refused first. */
const PEOPLE: Expected = { owner: 'ok', admin: 'ok', member: 'ok', banned: 'ok', nonMember: 'ok', blocked: 'ok', otherApp: 'FORBIDDEN' };
const JOINING: Expected = {
  ...PEOPLE,
  owner: 'ALREADY_GROUP_MEMBER',
  admin: 'ALREADY_GROUP_MEMBER',
  member: 'ALREADY_GROUP_MEMBER',
  banned: 'ALREADY_GROUP_MEMBER',
  blocked: 'BLOCKED_FROM_GROUP',
};

/** Another app's group reads as null, as every lookup of something missing does (docs/schema.md). */
const unseen = (expected: Expected): Expected => ({ ...expected, otherApp: 'null' });

const group = (selection: string) => `query($g: ID!) { group(id: $g) { ${selection} } }`;
/** A mutation of the group `$g`, answering its typename or error code. */
const onGroup = (call: string) => `mutation($g: ID!) { ${call} { __typename ... on Error { code } } }`;

const actions: Action[] = [
  // Reading.
  { name: 'group info', read: true, query: group('id'), variables: (s) => ({ g: s.groupId }), expected: unseen(ANYONE) },
  {
    name: 'may send (viewerCanSend)',
    read: true,
    query: group('viewerCanSend'),
    variables: (s) => ({ g: s.groupId }),
    answer: (res) => String(res.data?.group === null ? 'null' : (res.data?.group?.viewerCanSend ?? res.errors?.[0]?.extensions?.code)),
    expected: { owner: 'true', admin: 'true', member: 'true', banned: 'false', nonMember: 'false', blocked: 'false', otherApp: 'null' },
  },
  {
    name: 'batch info',
    read: true,
    query: `query($g: ID!) { groups(ids: [$g]) { id } }`,
    variables: (s) => ({ g: s.groupId }),
    answer: (res) => (res.errors ? res.errors[0]!.extensions!.code! : res.data.groups.length === 1 ? 'ok' : 'none'),
    expected: { ...ANYONE, otherApp: 'none' },
  },
  { name: 'member list', read: true, query: group('members { totalCount }'), variables: (s) => ({ g: s.groupId }), expected: unseen(MEMBERS) },
  {
    name: 'display names',
    read: true,
    query: `query($g: ID!, $u: [ID!]!) { group(id: $g) { membersAmong(userIds: $u) { displayName } } }`,
    variables: (s, c) => ({ g: s.groupId, u: [c.owner.id] }),
    expected: unseen(MEMBERS),
  },
  { name: 'admin list', read: true, query: group('admins { userId }'), variables: (s) => ({ g: s.groupId }), expected: unseen(MEMBERS) },
  { name: 'banned list', read: true, query: group('bannedMembers { totalCount }'), variables: (s) => ({ g: s.groupId }), expected: unseen(ADMINS) },
  { name: 'blocked list', read: true, query: group('blockedUsers { totalCount }'), variables: (s) => ({ g: s.groupId }), expected: unseen(ADMINS) },
  {
    name: 'application list',
    read: true,
    query: `query($g: ID!) { groupApplications(groupIds: [$g]) { totalCount } }`,
    variables: (s) => ({ g: s.groupId }),
    expected: ADMINS,
  },
  { name: 'announcement list', read: true, query: group('announcements { edges { cursor } }'), variables: (s) => ({ g: s.groupId }), expected: unseen(MEMBERS) },
  { name: 'last announcement', read: true, query: group('lastAnnouncement { id }'), variables: (s) => ({ g: s.groupId }), expected: unseen(MEMBERS) },
  {
    name: 'announcement by id',
    read: true,
    query: `query($g: ID!, $a: ID!) { group(id: $g) { announcement(id: $a) { id } } }`,
    variables: (s) => ({ g: s.groupId, a: s.announcementId }),
    expected: unseen(MEMBERS),
  },
  { name: 'file list', read: true, query: group('files { edges { cursor } }'), variables: (s) => ({ g: s.groupId }), expected: unseen(MEMBERS) },
  {
    name: 'file by id',
    read: true,
    query: `query($g: ID!, $f: ID!) { group(id: $g) { file(id: $f) { id } } }`,
    variables: (s) => ({ g: s.groupId, f: s.fileId }),
    expected: unseen(MEMBERS),
  },
  { name: 'public groups', read: true, query: `{ publicGroups { edges { cursor } } }`, variables: () => ({}), expected: { ...ANYONE, otherApp: 'ok' } },
  { name: 'joined groups', read: true, query: `{ joinedGroups { edges { cursor } } }`, variables: () => ({}), expected: PEOPLE },
  { name: 'invitation list', read: true, query: `{ groupInvitations { totalCount } }`, variables: () => ({}), expected: PEOPLE },

  // Creating and dissolving.
  { name: 'create', query: `mutation { createGroup(input: { name: "x" }) { __typename ... on Error { code } } }`, variables: () => ({}), expected: PEOPLE },
  { name: 'destroy', query: onGroup('destroyGroup(groupId: $g)'), variables: (s) => ({ g: s.groupId }), expected: OWNER },

  // Info, settings, bans of everyone.
  {
    name: 'update info',
    query: onGroup('updateGroupInfo(groupId: $g, input: { name: "n" })'),
    variables: (s) => ({ g: s.groupId }),
    expected: ADMINS,
  },
  {
    name: 'update settings',
    query: onGroup('updateGroupSettings(groupId: $g, input: { readAck: true })'),
    variables: (s) => ({ g: s.groupId }),
    expected: ADMINS,
  },
  { name: 'ban all', query: onGroup('banAllGroupMembers(groupId: $g)'), variables: (s) => ({ g: s.groupId }), expected: ADMINS },
  { name: 'unban all', query: onGroup('unbanAllGroupMembers(groupId: $g)'), variables: (s) => ({ g: s.groupId }), expected: ADMINS },
  {
    name: 'own display name and modes',
    query: onGroup('updateGroupMembership(groupId: $g, input: { displayName: "d", msgPushMode: NONE })'),
    variables: (s) => ({ g: s.groupId }),
    expected: MEMBERS,
  },

  // Roles.
  { name: 'leave', query: onGroup('leaveGroup(groupId: $g)'), variables: (s) => ({ g: s.groupId }), expected: { ...MEMBERS, owner: 'OWNER_CANNOT_LEAVE' } },
  { name: 'kick a member', query: batch('kickGroupMembers'), variables: (s, c) => ({ g: s.groupId, u: [c.target.id] }), expected: ADMINS },
  { name: 'kick an admin', query: batch('kickGroupMembers'), variables: (s, c) => ({ g: s.groupId, u: [c.targetAdmin.id] }), expected: { ...ADMINS, admin: 'NEEDS_GROUP_OWNER' } },
  { name: 'kick the owner', query: batch('kickGroupMembers'), variables: (s, c) => ({ g: s.groupId, u: [c.owner.id] }), expected: { ...ADMINS, owner: 'FORBIDDEN', admin: 'FORBIDDEN' } },
  { name: 'add admins', query: batch('addGroupAdmins'), variables: (s, c) => ({ g: s.groupId, u: [c.target.id] }), expected: OWNER },
  { name: 'remove admins', query: batch('removeGroupAdmins'), variables: (s, c) => ({ g: s.groupId, u: [c.targetAdmin.id] }), expected: OWNER },
  {
    name: 'transfer ownership',
    query: `mutation($g: ID!, $u: ID!) { transferGroupOwnership(groupId: $g, newOwnerId: $u) { __typename ... on Error { code } } }`,
    variables: (s, c) => ({ g: s.groupId, u: c.target.id }),
    expected: OWNER,
  },

  // Moderation.
  { name: 'ban a member', query: batch('banGroupMembers', ', minutes: 5'), variables: (s, c) => ({ g: s.groupId, u: [c.target.id] }), expected: ADMINS },
  { name: 'ban an admin', query: batch('banGroupMembers', ', minutes: 5'), variables: (s, c) => ({ g: s.groupId, u: [c.targetAdmin.id] }), expected: { ...ADMINS, admin: 'NEEDS_GROUP_OWNER' } },
  { name: 'unban', query: batch('unbanGroupMembers'), variables: (s, c) => ({ g: s.groupId, u: [c.banned.id] }), expected: ADMINS },
  { name: 'block', query: batch('blockGroupUsers'), variables: (s, c) => ({ g: s.groupId, u: [c.target.id] }), expected: ADMINS },
  { name: 'unblock', query: batch('unblockGroupUsers'), variables: (s, c) => ({ g: s.groupId, u: [c.blocked.id] }), expected: ADMINS },

  // Joining.
  {
    name: 'apply',
    query: `mutation($g: ID!) { applyToGroup(groupId: $g) { __typename ... on Error { code } } }`,
    variables: (s) => ({ g: s.groupId }),
    expected: JOINING,
  },
  {
    name: 'answer an application',
    query: `mutation($g: ID!, $u: ID!) { answerGroupApplication(groupId: $g, applicantId: $u, accept: true) { __typename ... on Error { code } } }`,
    variables: (s, c) => ({ g: s.groupId, u: c.applicant.id }),
    expected: ADMINS,
  },
  { name: 'invite', query: batch('inviteGroupMembers'), variables: (s, c) => ({ g: s.groupId, u: [c.outsider.id] }), expected: MEMBERS },
  {
    name: 'answer an invitation',
    query: `mutation($g: ID!) { answerGroupInvitation(groupId: $g, accept: true) { __typename ... on Error { code } } }`,
    variables: (s) => ({ g: s.groupId }),
    // Only the non-member holds an invitation (the cast invites them); the blocked cannot be invited.
    expected: { ...PEOPLE, owner: 'INVITATION_CLOSED', admin: 'INVITATION_CLOSED', member: 'INVITATION_CLOSED', banned: 'INVITATION_CLOSED', blocked: 'INVITATION_CLOSED' },
  },
  { name: 'sign a QR code', query: onGroup('createGroupQrCode(groupId: $g)'), variables: (s) => ({ g: s.groupId }), expected: MEMBERS },
  {
    name: 'join by QR code',
    query: `mutation($q: String!) { joinGroupByQrCode(qrInfo: $q) { __typename ... on Error { code } } }`,
    variables: (s) => ({ q: s.qrInfo }),
    expected: JOINING,
  },

  // Announcements and files.
  {
    name: 'publish an announcement',
    query: onGroup('publishGroupAnnouncement(groupId: $g, content: "c")'),
    variables: (s) => ({ g: s.groupId }),
    expected: ADMINS,
  },
  {
    name: 'edit an announcement',
    query: `mutation($g: ID!, $a: ID!) { editGroupAnnouncement(groupId: $g, id: $a, title: "t") { __typename ... on Error { code } } }`,
    variables: (s) => ({ g: s.groupId, a: s.announcementId }),
    expected: ADMINS,
  },
  {
    name: 'delete an announcement',
    query: `mutation($g: ID!, $a: ID!) { deleteGroupAnnouncement(groupId: $g, id: $a) { __typename ... on Error { code } } }`,
    variables: (s) => ({ g: s.groupId, a: s.announcementId }),
    expected: ADMINS,
  },
  {
    name: 'add a file',
    query: `mutation($g: ID!, $url: String!) { addGroupFile(groupId: $g, input: { name: "f", url: $url }) { __typename ... on Error { code } } }`,
    variables: (s) => ({ g: s.groupId, url: s.fileUrl }),
    expected: MEMBERS,
  },
  {
    name: "rename the owner's file",
    query: `mutation($g: ID!, $f: ID!) { renameGroupFile(groupId: $g, fileId: $f, name: "r") { __typename ... on Error { code } } }`,
    variables: (s) => ({ g: s.groupId, f: s.fileId }),
    expected: { ...ADMINS, member: 'NOT_FILE_OWNER', banned: 'NOT_FILE_OWNER' },
  },
  {
    name: "delete the owner's file",
    query: `mutation($g: ID!, $f: [ID!]!) { deleteGroupFiles(groupId: $g, fileIds: $f) { __typename ... on DeleteGroupFilesPayload { outcomes { outcome code } } ... on Error { code } } }`,
    variables: (s) => ({ g: s.groupId, f: [s.fileId] }),
    expected: { ...ADMINS, member: 'NOT_FILE_OWNER', banned: 'NOT_FILE_OWNER' },
  },
];

function batch(field: string, extra = '') {
  const payload = `${field[0]!.toUpperCase()}${field.slice(1)}Payload`;
  return `mutation($g: ID!, $u: [ID!]!) { ${field}(groupId: $g, userIds: $u${extra}) { __typename ... on ${payload} { outcomes { outcome code } } ... on Error { code } } }`;
}

/** "ok", or the error code: of the operation, of its typed result, or of its one target. */
function answer(res: GqlResult): string {
  if (res.errors) return res.errors[0]!.extensions?.code ?? res.errors[0]!.message;
  const value = Object.values(res.data as Record<string, any>)[0];
  if (value === null) return 'null';
  if (value?.code) return value.code;
  if (Array.isArray(value?.outcomes) && value.outcomes[0]?.outcome) return value.outcomes[0].code ?? 'ok';
  return 'ok';
}

let server: TestServer;
let cast: Cast;
beforeAll(async () => {
  // Every cell creates a group owned by the same user, joined by the same members.
  server = await TestServer.start({ env: { GROUP_OWNED_LIMIT: '100000', GROUP_JOINED_LIMIT: '100000' } });
  const names = ['owner', 'admin', 'member', 'banned', 'nonMember', 'blocked', 'target', 'targetAdmin', 'outsider', 'applicant'] as const;
  const people: Record<string, TestUser> = {};
  for (const name of names) people[name] = await server.user(`authz_${name}`);
  await server.gql(`mutation { updateSettings(input: { groupConfirm: true }) { __typename } }`, {}, { token: people['nonMember']!.token });
  const other = await server.createApp('authzother');
  cast = { ...(people as Omit<Cast, 'otherAppAdmin'>), otherAppAdmin: await server.adminToken(other.appId, other.appSecret) };
});
afterAll(() => server.close());

async function as(token: string, query: string, variables: Record<string, unknown>) {
  const res = await server.gql(query, variables, { token });
  if (res.errors && !res.errors[0]!.extensions?.code) throw new Error(`${query}: ${JSON.stringify(res.errors)}`);
  return res;
}

/** A public group (applications need approval) with every role in place. */
async function stage(): Promise<Scene> {
  const { owner } = cast;
  const members = [cast.admin, cast.member, cast.banned, cast.target, cast.targetAdmin].map((u) => u.id);
  const created = await as(owner.token, `mutation($u: [ID!]!) { createGroup(input: { name: "authz", type: PUBLIC, memberIds: $u }) { ... on CreateGroupPayload { group { id } } } }`, { u: members });
  const g = created.data.createGroup.group.id as string;
  const run = (query: string, variables: Record<string, unknown> = {}) => as(owner.token, query, { g, ...variables });
  await run(batch('addGroupAdmins'), { u: [cast.admin.id, cast.targetAdmin.id] });
  await run(batch('banGroupMembers', ', minutes: 60'), { u: [cast.banned.id] });
  await run(batch('blockGroupUsers'), { u: [cast.blocked.id] });
  await run(batch('inviteGroupMembers'), { u: [cast.nonMember.id] });
  await as(cast.applicant.token, `mutation($g: ID!) { applyToGroup(groupId: $g) { __typename } }`, { g });
  const announcement = await run(`mutation($g: ID!) { publishGroupAnnouncement(groupId: $g, content: "hi") { ... on PublishGroupAnnouncementPayload { announcement { id } } } }`);
  const fileUrl = await sharedFileUrl(server, owner.token, g);
  const file = await run(`mutation($g: ID!, $url: String!) { addGroupFile(groupId: $g, input: { name: "f", url: $url }) { ... on AddGroupFilePayload { file { id } } } }`, { url: fileUrl });
  const qr = await run(`mutation($g: ID!) { createGroupQrCode(groupId: $g) { ... on CreateGroupQrCodePayload { qrCode { qrInfo } } } }`);
  return {
    groupId: g,
    announcementId: announcement.data.publishGroupAnnouncement.announcement.id,
    fileId: file.data.addGroupFile.file.id,
    fileUrl,
    qrInfo: qr.data.createGroupQrCode.qrCode.qrInfo,
  };
}

function credentials(role: Role, scene: Scene): { token: string; headers?: Record<string, string> } {
  if (role === 'otherApp') return { token: cast.otherAppAdmin, headers: { 'x-act-as-group-admin': scene.groupId } };
  return { token: cast[role].token };
}

describe.each(actions)('$name', (action) => {
  let shared: Scene | undefined;
  it.each(ROLES)('as %s', async (role) => {
    const scene = action.read ? (shared ??= await stage()) : await stage();
    const res = await server.gql(action.query, action.variables(scene, cast), credentials(role, scene));
    expect((action.answer ?? answer)(res)).toBe(action.expected[role]);
  });
});

it('covers every group mutation and query of the schema', async () => {
  const res = await server.gql(`{ __schema { mutationType { fields { name } } queryType { fields { name } } } }`);
  const fields = [...res.data.__schema.mutationType.fields, ...res.data.__schema.queryType.fields].map((f: { name: string }) => f.name);
  const groupFields = fields.filter((name: string) => /Group|group/.test(name));
  const covered = actions.map((a) => /^(?:(?:query|mutation)[^{]*)?\{\s*(\w+)/.exec(a.query)?.[1]);
  for (const name of groupFields) expect(covered, name).toContain(name);
});
