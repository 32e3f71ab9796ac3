import { GROUP_APPLICATION_POLICY, GROUP_MUTE_MODE, GROUP_PUSH_MODE, GROUP_TYPE, REQUEST_STATUS_CODES } from '../../../domain/codes.js';
import { found, foundGroup } from '../../shared/run.js';
import { bool, code, codeNumber, int, json, jsonString, list, str, type Params } from '../params.js';
import { done, id, yes, type Json, type Method, type Route, type RouteHeaders } from './types.js';

// Chapter 7 of the document: groups. Each route runs one GraphQL operation of
// src/graphql/schema/group*.ts; see docs/compat-maxim.md for the decisions.

const twins: Method[] = ['POST', 'PUT'];
const deleteTwins: Method[] = ['POST', 'DELETE'];

/** The group a route acts on: parameter `group_id`, or else the group an admin token acts for (header `group_id`). */
const groupOf = (p: Params, h: RouteHeaders) => str(p, 'group_id') ?? h.groupId ?? '';

const MAX_PAGE = 100;
/** A page size from `limit` (1–100; more is served as 100), and the `cursor` to start after. */
const page = (p: Params) => {
  const limit = int(p, 'limit');
  return { first: typeof limit === 'number' ? Math.max(1, Math.min(limit, MAX_PAGE)) : limit ?? MAX_PAGE, after: str(p, 'cursor') };
};
const PAGE_ARGS = '$first: Int, $after: String';
const PAGE = 'first: $first, after: $after';
const PAGE_INFO = 'pageInfo { hasNextPage endCursor }';

/** `cursor` when another page follows. */
const next = (connection: Json) => (connection.pageInfo.hasNextPage ? { cursor: connection.pageInfo.endCursor } : {});
/** The extras of the group lists that count: cursor, total and version (unused, always 0). */
const counted = (connection: Json) => ({ ...next(connection), total: connection.totalCount, version: 0 });
const nodes = (connection: Json) => connection.edges.map((e: Json) => e.node);

const INFO = `id type name description avatar ext ownerId applyApproval memberInvite memberModify historyVisible
  readAck banAll banAllUntil dissolved createdAt updatedAt viewerMembership { msgMuteMode msgPushMode }`;

/** `ban_expire_time` in seconds: 0 when nobody is silenced, -1 until lifted. */
const banExpireTime = (g: Json) => (!g.banAll ? 0 : g.banAllUntil === null ? -1 : Math.floor(g.banAllUntil / 1000));

const info = (g: Json) => ({
  group_id: id(g.id),
  type: codeNumber(GROUP_TYPE, g.type),
  name: g.name,
  description: g.description,
  avatar: g.avatar,
  ext: jsonString(g.ext),
  owner_id: id(g.ownerId),
  apply_approval: codeNumber(GROUP_APPLICATION_POLICY, g.applyApproval),
  member_invite: g.memberInvite,
  member_modify: g.memberModify,
  history_visible: g.historyVisible,
  read_ack: g.readAck,
  ban_expire_time: banExpireTime(g),
  msg_mute_mode: codeNumber(GROUP_MUTE_MODE, g.viewerMembership?.msgMuteMode) ?? 0,
  msg_push_mode: codeNumber(GROUP_PUSH_MODE, g.viewerMembership?.msgPushMode) ?? 0,
  status: g.dissolved ? 1 : 0,
  created_at: g.createdAt,
  updated_at: g.updatedAt,
});

/** Per-target outcomes: `result` is success, joined, invited or failed; `reason` says why one failed. */
const TARGETS = 'outcomes { id outcome reason }';
const outcomes = (key: string) => (value: Json) =>
  value.outcomes.map((r: Json) => ({ [key]: id(r.id), result: r.outcome.toLowerCase(), reason: r.reason }));

/** The `<Action>Payload` type of a mutation field. */
const payload = (field: string) => `${field[0]!.toUpperCase()}${field.slice(1)}Payload`;

/** A batch action on the users of `user_list`. */
const onUsers = (methods: Method[], path: string, field: string, extra: { sig?: string; args?: string; vars?: (p: Params) => Json } = {}): Route => ({
  methods,
  path,
  document: `mutation Batch($g: ID!, $u: [ID!]!${extra.sig ?? ''}) {
    result: ${field}(groupId: $g, userIds: $u${extra.args ?? ''}) { ...Failure ... on ${payload(field)} { ${TARGETS} } }
  }`,
  variables: (p, h) => ({ g: groupOf(p, h), u: list(p, 'user_list') ?? [], ...extra.vars?.(p) }),
  data: outcomes('user_id'),
});

/** An action on the group of `group_id`; answers true. */
const onGroup = (methods: Method[], path: string, field: string): Route => ({
  methods,
  path,
  document: `mutation Op($g: ID!) { result: ${field}(groupId: $g) { ...Failure ${done(field)} } }`,
  variables: (p, h) => ({ g: groupOf(p, h) }),
  data: yes,
});

/** A change of name, avatar, description or ext from `value`; answers the group's info. */
const infoRoute = (path: string, field: string): Route => ({
  methods: twins,
  path,
  document: `mutation Info($g: ID!, $input: UpdateGroupInfoInput!) {
    result: updateGroupInfo(groupId: $g, input: $input) { ...Failure ... on UpdateGroupInfoPayload { group { ${INFO} } } }
  }`,
  // `ext` is JSON text in the dialect and JSON in GraphQL ('' clears it).
  variables: (p, h) => ({ g: groupOf(p, h), input: { [field]: field === 'ext' ? (json(p, 'value') ?? null) : (str(p, 'value') ?? '') } }),
  data: (p: Json) => info(p.group),
});

/** A change of one group setting; answers true. */
const settingRoute = (methods: Method[], path: string, input: (p: Params) => Json): Route => ({
  methods,
  path,
  document: `mutation Setting($g: ID!, $input: UpdateGroupSettingsInput!) {
    result: updateGroupSettings(groupId: $g, input: $input) { ...Failure ${done('updateGroupSettings')} }
  }`,
  variables: (p, h) => ({ g: groupOf(p, h), input: input(p) }),
  data: yes,
});

const MEMBERSHIP = 'groupId userId displayName msgMuteMode msgPushMode';
const membership = (m: Json) => ({
  group_id: id(m.groupId),
  user_id: id(m.userId),
  display_name: m.displayName,
  msg_mute_mode: codeNumber(GROUP_MUTE_MODE, m.msgMuteMode),
  msg_push_mode: codeNumber(GROUP_PUSH_MODE, m.msgPushMode),
});

/** A change of the viewer's own view of the group. */
const membershipRoute = (path: string, input: (p: Params) => Json, data: (m: Json) => unknown): Route => ({
  methods: twins,
  path,
  document: `mutation Membership($g: ID!, $input: UpdateGroupMembershipInput!) {
    result: updateGroupMembership(groupId: $g, input: $input) { ...Failure ... on UpdateGroupMembershipPayload { membership { ${MEMBERSHIP} } } }
  }`,
  variables: (p, h) => ({ g: groupOf(p, h), input: input(p) }),
  data: (p: Json) => data(p.membership),
});

const member = (m: Json) => ({ user_id: id(m.userId), display_name: m.displayName, join_time: m.joinedAt });

const ANNOUNCEMENT = 'id groupId authorId title content createdAt';
const announcement = (a: Json | null) =>
  a && { id: id(a.id), group_id: id(a.groupId), author: id(a.authorId), title: a.title, content: a.content, created_at: a.createdAt };

const FILE = 'id groupId uploaderId name size type url createdAt updatedAt';
const file = (f: Json) => ({
  file_id: id(f.id),
  group_id: id(f.groupId),
  uploader: id(f.uploaderId),
  name: f.name,
  size: f.size,
  type: f.type,
  url: f.url,
  created_at: f.createdAt,
  updated_at: f.updatedAt,
});

const REQUEST = 'groupId status reason expiresAt';
const request = (r: Json) => ({
  group_id: id(r.groupId),
  reason: r.reason,
  status: codeNumber(REQUEST_STATUS_CODES, r.status),
  expired_time: r.expiresAt,
});

/** A read of the group of `group_id`: `group(id) { <selection> }`, with more variables declared by `args`. */
const groupQuery = (options: {
  path: string;
  selection: string;
  data: (g: Json) => unknown;
  extra?: (g: Json) => Json;
  args?: string;
  vars?: (p: Params) => Json;
}): Route => ({
  methods: ['GET'],
  path: options.path,
  document: `query Group($g: ID!${options.args ? `, ${options.args}` : ''}) { result: group(id: $g) { ${options.selection} } }`,
  variables: (p, h) => ({ g: groupOf(p, h), ...options.vars?.(p) }),
  data: (g: Json | null) => options.data(foundGroup(g)),
  extra: options.extra && ((g: Json | null) => (g === null ? {} : options.extra!(g))),
});

/** A paged list of the group of `group_id`. */
const groupList = (path: string, field: string, selection: string, data: (node: Json) => unknown, extra: (c: Json) => Json) =>
  groupQuery({
    path,
    args: PAGE_ARGS,
    vars: page,
    selection: `${field}(${PAGE}) { ${selection} ${PAGE_INFO} }`,
    data: (g) => nodes(g[field]).map(data),
    extra: (g) => extra(g[field]),
  });

/** The ids of a connection of groups, a page at a time. */
const groupIdList = (path: string, field: string): Route => ({
  methods: ['GET'],
  path,
  document: `query Groups(${PAGE_ARGS}) { result: ${field}(${PAGE}) { edges { node { id } } ${PAGE_INFO} } }`,
  variables: page,
  data: (c: Json) => nodes(c).map((g: Json) => id(g.id)),
  extra: next,
});

const groupInfoRoute = (path: string): Route => ({
  methods: ['GET'],
  path,
  document: `query Info($g: ID!) { result: group(id: $g) { ${INFO} } }`,
  variables: (p, h) => ({ g: groupOf(p, h) }),
  data: (g: Json | null) => info(foundGroup(g)),
});

export const groupRoutes: Route[] = [
  // Creating, dissolving, reading (7.19–7.21, 7.31, 7.34, 7.58, 7.55, 7.76).
  {
    methods: ['POST'],
    path: '/group/create',
    document: `mutation Create($input: CreateGroupInput!) {
      result: createGroup(input: $input) { ...Failure ... on CreateGroupPayload { group { ${INFO} } invitees { id outcome reason } } }
    }`,
    variables: (p) => ({
      input: {
        name: str(p, 'name') ?? '',
        type: code(p, 'type', GROUP_TYPE),
        description: str(p, 'description'),
        avatar: str(p, 'avatar'),
        memberIds: list(p, 'user_list') ?? [],
      },
    }),
    data: (c: Json) => ({ ...info(c.group), user_list: outcomes('user_id')({ outcomes: c.invitees }) }),
  },
  onGroup(deleteTwins, '/group/destroy', 'destroyGroup'),
  groupInfoRoute('/group/info'),
  groupInfoRoute('/group/settings'),
  {
    methods: ['POST'],
    path: '/group/info/batch',
    document: `query Batch($ids: [ID!]!) {
      result: groups(ids: $ids) { id type name avatar ownerId capacity memberCount applyApproval dissolved viewerMembership { msgMuteMode msgPushMode } }
    }`,
    variables: (p) => ({ ids: list(p, 'group_list') ?? (Array.isArray(p.body) ? p.body : []) }),
    data: (groups: Json[]) =>
      groups.map((g) => ({
        group_id: id(g.id),
        type: codeNumber(GROUP_TYPE, g.type),
        name: g.name,
        avatar: g.avatar,
        owner: id(g.ownerId),
        capacity: g.capacity,
        count: g.memberCount,
        apply_approval: codeNumber(GROUP_APPLICATION_POLICY, g.applyApproval),
        status: g.dissolved ? 1 : 0,
        msg_mute_mode: codeNumber(GROUP_MUTE_MODE, g.viewerMembership?.msgMuteMode) ?? 0,
        msg_push_mode: codeNumber(GROUP_PUSH_MODE, g.viewerMembership?.msgPushMode) ?? 0,
      })),
  },
  groupIdList('/group/public_list', 'publicGroups'),
  groupIdList('/group/user_joined', 'joinedGroups'),

  // Info and settings (7.32–7.33, 7.35–7.40, 7.59–7.70).
  infoRoute('/group/info/avatar', 'avatar'),
  infoRoute('/group/info/description', 'description'),
  infoRoute('/group/info/ext', 'ext'),
  infoRoute('/group/info/name', 'name'),
  settingRoute(twins, '/group/settings/allow_member_invitation', (p) => ({ memberInvite: bool(p, 'value') })),
  settingRoute(twins, '/group/settings/allow_member_modify', (p) => ({ memberModify: bool(p, 'value') })),
  settingRoute(twins, '/group/settings/enable_read_ack', (p) => ({ readAck: bool(p, 'value') })),
  settingRoute(twins, '/group/settings/history_visible', (p) => ({ historyVisible: bool(p, 'value') })),
  settingRoute(twins, '/group/settings/require_admin_approval', (p) => ({ applyApproval: code(p, 'apply_approval', GROUP_APPLICATION_POLICY) })),
  {
    methods: ['POST'],
    path: '/group/settings/ban_all',
    document: `mutation BanAll($g: ID!, $m: Int) { result: banAllGroupMembers(groupId: $g, minutes: $m) { ...Failure ... on BanAllGroupMembersPayload { group { banAll banAllUntil } } } }`,
    variables: (p, h) => ({ g: groupOf(p, h), m: int(p, 'duration') }),
    data: (p: Json) => ({ ban_expire_time: banExpireTime(p.group) }),
  },
  {
    methods: ['POST'],
    path: '/group/settings/unban_all',
    document: `mutation UnbanAll($g: ID!) { result: unbanAllGroupMembers(groupId: $g) { ...Failure ${done('unbanAllGroupMembers')} } }`,
    variables: (p, h) => ({ g: groupOf(p, h) }),
    data: yes,
  },

  // The viewer's own view (7.22–7.23, 7.51–7.54) and the members (7.4, 7.49, 7.50).
  membershipRoute('/group/display_name', (p) => ({ displayName: str(p, 'value') ?? '' }), () => true),
  membershipRoute('/group/msg/mute_mode', (p) => ({ msgMuteMode: code(p, 'msg_mute_mode', GROUP_MUTE_MODE, 'INVALID_GROUP_MODE') }), membership),
  membershipRoute('/group/msg/push_mode', (p) => ({ msgPushMode: code(p, 'msg_push_mode', GROUP_PUSH_MODE, 'INVALID_GROUP_MODE') }), membership),
  groupList('/group/member_list', 'members', 'totalCount edges { node { userId displayName joinedAt } }', member, counted),
  groupQuery({ path: '/group/admin_list', selection: 'admins { userId displayName joinedAt }', data: (g) => g.admins.map(member) }),
  {
    methods: ['POST'],
    path: '/group/members/display_name',
    document: `query Names($g: ID!, $u: [ID!]!) { result: group(id: $g) { membersAmong(userIds: $u) { userId displayName joinedAt } } }`,
    variables: (p, h) => ({ g: groupOf(p, h), u: list(p, 'user_list') ?? [] }),
    data: (g: Json | null) => foundGroup(g).membersAmong.map(member),
  },

  // Roles (7.1–7.3, 7.45–7.48, 7.71–7.72).
  onUsers(['POST'], '/group/admin/add', 'addGroupAdmins'),
  onUsers(deleteTwins, '/group/admin/remove', 'removeGroupAdmins'),
  onUsers(deleteTwins, '/group/kick', 'kickGroupMembers'),
  onGroup(deleteTwins, '/group/leave', 'leaveGroup'),
  {
    methods: twins,
    path: '/group/transfer',
    document: `mutation Transfer($g: ID!, $u: ID!) { result: transferGroupOwnership(groupId: $g, newOwnerId: $u) { ...Failure ... on TransferGroupOwnershipPayload { group { ownerId } } } }`,
    variables: (p, h) => ({ g: groupOf(p, h), u: str(p, 'new_owner') ?? '' }),
    data: (p: Json) => ({ user_id: id(p.group.ownerId), result: 'success', reason: null }),
  },

  // Joining: applications (7.11–7.14), invitations (7.41–7.44), QR codes (7.56–7.57).
  {
    methods: ['POST'],
    path: '/group/apply',
    document: `mutation Apply($g: ID!, $r: String) { result: applyToGroup(groupId: $g, reason: $r) { ...Failure ... on ApplyToGroupPayload { application { applicantId status } } } }`,
    variables: (p, h) => ({ g: groupOf(p, h), r: str(p, 'reason') }),
    data: ({ application: a }: Json) => ({ user_id: id(a.applicantId), result: a.status === 'ACCEPTED' ? 'accepted' : 'pending', reason: null }),
  },
  {
    methods: twins,
    path: '/group/apply/handle',
    document: `mutation Handle($g: ID!, $u: ID!, $a: Boolean!) {
      result: answerGroupApplication(groupId: $g, applicantId: $u, accept: $a) { ...Failure ... on AnswerGroupApplicationPayload { application { applicantId status } } }
    }`,
    variables: (p, h) => ({ g: groupOf(p, h), u: str(p, 'user_id') ?? '', a: bool(p, 'approval') }),
    data: ({ application: a }: Json) => ({ user_id: id(a.applicantId), result: a.status === 'ACCEPTED' ? 'accepted' : 'declined', reason: null }),
  },
  {
    methods: ['POST'],
    path: '/group/application_list',
    document: `query Applications($ids: [ID!], ${PAGE_ARGS}) {
      result: groupApplications(groupIds: $ids, ${PAGE}) { totalCount edges { node { applicantId ${REQUEST} } } ${PAGE_INFO} }
    }`,
    variables: (p) => ({ ids: list(p, 'group_list'), ...page(p) }),
    data: (c: Json) => nodes(c).map((a: Json) => ({ ...request(a), applicant_id: id(a.applicantId) })),
    extra: counted,
  },
  onUsers(['POST'], '/group/invite', 'inviteGroupMembers', { sig: ', $r: String', args: ', reason: $r', vars: (p) => ({ r: str(p, 'reason') }) }),
  {
    methods: twins,
    path: '/group/invite/handle',
    document: `mutation Handle($g: ID!, $a: Boolean!) {
      result: answerGroupInvitation(groupId: $g, accept: $a) { ...Failure ... on AnswerGroupInvitationPayload { invitation { inviterId inviteeId ${REQUEST} } } }
    }`,
    variables: (p, h) => ({ g: groupOf(p, h), a: bool(p, 'approval') }),
    data: (p: Json) => invitation(p.invitation),
  },
  {
    methods: ['GET'],
    path: '/group/invitation_list',
    document: `query Invitations(${PAGE_ARGS}) {
      result: groupInvitations(${PAGE}) { totalCount edges { node { inviterId inviteeId ${REQUEST} } } ${PAGE_INFO} }
    }`,
    variables: page,
    data: (c: Json) => nodes(c).map(invitation),
    extra: counted,
  },
  {
    methods: ['GET'],
    path: '/group/qrcode/sign',
    document: `mutation Sign($g: ID!) { result: createGroupQrCode(groupId: $g) { ...Failure ... on CreateGroupQrCodePayload { qrCode { qrInfo createdAt expiresAt } } } }`,
    variables: (p, h) => ({ g: groupOf(p, h) }),
    data: ({ qrCode: q }: Json) => ({ qr_info: q.qrInfo, create_at: q.createdAt, expire_at: q.expiresAt }),
  },
  {
    methods: ['POST'],
    path: '/group/qrcode/invite',
    document: `mutation Join($q: String!) { result: joinGroupByQrCode(qrInfo: $q) { ...Failure ... on JoinGroupByQrCodePayload { group { ${INFO} } } } }`,
    variables: (p) => ({ q: str(p, 'qr_info') ?? '' }),
    data: (p: Json) => info(p.group),
  },

  // Moderation (7.15–7.18, 7.73–7.75).
  onUsers(['POST'], '/group/ban', 'banGroupMembers', { sig: ', $m: Int!', args: ', minutes: $m', vars: (p) => ({ m: int(p, 'duration') }) }),
  onUsers(['POST'], '/group/unban', 'unbanGroupMembers'),
  onUsers(['POST'], '/group/block', 'blockGroupUsers'),
  onUsers(deleteTwins, '/group/unblock', 'unblockGroupUsers'),
  groupList(
    '/group/banned_list',
    'bannedMembers',
    'totalCount edges { node { userId displayName joinedAt bannedUntil } }',
    (m) => ({ ...member(m), expired_time: m.bannedUntil }),
    counted,
  ),
  groupList(
    '/group/blocked_list',
    'blockedUsers',
    'totalCount edges { node { groupId userId createdAt } }',
    (b) => ({ group_id: id(b.groupId), user_id: id(b.userId), created_at: b.createdAt }),
    counted,
  ),

  // Announcements (7.5–7.10).
  groupQuery({
    path: '/group/announcement',
    args: '$id: ID!',
    vars: (p) => ({ id: str(p, 'announcement_id') ?? '' }),
    selection: `announcement(id: $id) { ${ANNOUNCEMENT} }`,
    data: (g) => announcement(found(g.announcement, 'ANNOUNCEMENT_NOT_FOUND', 'the announcement')),
  }),
  groupQuery({ path: '/group/announcement/last', selection: `lastAnnouncement { ${ANNOUNCEMENT} }`, data: (g) => announcement(g.lastAnnouncement) }),
  groupList('/group/announcement/list', 'announcements', `edges { node { ${ANNOUNCEMENT} } }`, announcement, next),
  {
    methods: ['POST'],
    path: '/group/announcement/edit',
    document: `mutation Publish($g: ID!, $t: String, $c: String!) {
      result: publishGroupAnnouncement(groupId: $g, title: $t, content: $c) { ...Failure ... on PublishGroupAnnouncementPayload { announcement { ${ANNOUNCEMENT} } } }
    }`,
    variables: (p, h) => ({ g: groupOf(p, h), t: str(p, 'title'), c: str(p, 'content') ?? '' }),
    data: (p: Json) => announcement(p.announcement),
  },
  {
    methods: deleteTwins,
    path: '/group/announcement/delete',
    document: `mutation Delete($g: ID!, $id: ID!) { result: deleteGroupAnnouncement(groupId: $g, id: $id) { ...Failure ${done('deleteGroupAnnouncement')} } }`,
    variables: (p, h) => ({ g: groupOf(p, h), id: str(p, 'announcement_id') ?? '' }),
    data: yes,
  },

  // Shared files (7.24–7.30).
  groupQuery({
    path: '/group/file',
    args: '$id: ID!',
    vars: (p) => ({ id: str(p, 'file_id') ?? '' }),
    selection: `file(id: $id) { ${FILE} }`,
    data: (g) => file(found(g.file, 'GROUP_FILE_NOT_FOUND', 'the file')),
  }),
  groupList('/group/file/list', 'files', `edges { node { ${FILE} } }`, file, next),
  {
    methods: ['POST'],
    path: '/group/file/upload',
    document: `mutation Upload($g: ID!, $input: AddGroupFileInput!) { result: addGroupFile(groupId: $g, input: $input) { ...Failure ... on AddGroupFilePayload { file { ${FILE} } } } }`,
    variables: (p, h) => ({
      g: groupOf(p, h),
      // `size` and `type` are those of the stored bytes; the client's claims are not needed.
      input: { name: str(p, 'name') ?? '', url: str(p, 'url') ?? '' },
    }),
    data: (p: Json) => file(p.file),
  },
  {
    methods: twins,
    path: '/group/file/update_name',
    document: `mutation Rename($g: ID!, $f: ID!, $n: String!) { result: renameGroupFile(groupId: $g, fileId: $f, name: $n) { ...Failure ... on RenameGroupFilePayload { file { ${FILE} } } } }`,
    variables: (p, h) => ({ g: groupOf(p, h), f: str(p, 'file_id') ?? '', n: str(p, 'name') ?? '' }),
    data: (p: Json) => file(p.file),
  },
  {
    methods: deleteTwins,
    path: '/group/file/delete',
    document: `mutation Delete($g: ID!, $f: [ID!]!) {
      result: deleteGroupFiles(groupId: $g, fileIds: $f) { ...Failure ... on ${payload('deleteGroupFiles')} { ${TARGETS} } }
    }`,
    variables: (p, h) => ({ g: groupOf(p, h), f: list(p, 'file_list') ?? [] }),
    data: outcomes('file_id'),
  },
];

function invitation(i: Json) {
  return { ...request(i), inviter_id: id(i.inviterId), invitee_id: id(i.inviteeId) };
}
