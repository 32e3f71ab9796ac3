import type { DialectRoute } from '../shared/dialect.js';
import { isId, str } from '../shared/params.js';
import { badRequest, domainFailure, foundGroup, type Call } from '../shared/run.js';

// Seed 001: the project-group app API (`/chat/group!action`). Answers are `{success, info, ...}`;
// project data without a column of its own (project name, group kind) rides in the group's `ext`,
// member profile fields in the user's `ext`. See docs/compat-projectgroup.md.

type Json = Record<string, any>;

const ok = (info: string, extra: Json = {}): [number, Json] => [200, { success: true, info, ...extra }];

/** `groupId` from the body: digits, or a bad parameter. */
function groupIdOf(call: Call, name = 'groupId'): string {
  const value = str(call.params, name);
  if (!value || !isId(value)) throw badRequest(`${name} must be a group id`);
  return value;
}

/** An object from JSON text (the group's `ext`) or a JSON value (the user's `ext`, an attachment). */
const extObject = (ext: unknown): Json => {
  try {
    const parsed = typeof ext === 'string' ? JSON.parse(ext || '{}') : ext;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : {};
  } catch {
    return {};
  }
};

/** "1" project group (the default), "2" shareholder group. */
const GROUP_TYPES = ['1', '2'];

const GROUP = 'id name description ext ownerId lastAnnouncement { content }';
const groupInfo = (g: Json) => {
  const ext = extObject(g.ext);
  return {
    groupId: String(g.id),
    projectName: ext['projectName'] ?? '',
    groupName: g.name,
    type: GROUP_TYPES.includes(String(ext['type'])) ? String(ext['type']) : '1',
    introduction: g.description ?? '',
    notice: g.lastAnnouncement?.content ?? '',
    creator_id: String(g.ownerId),
  };
};

/** Member profile fields, kept in the user's `ext`. */
const PROFILE = ['sex', 'age', 'phoneNumber', 'country', 'province', 'city', 'district', 'street', 'company', 'occupation', 'role', 'degrees', 'school'];
const USER_TYPES: Record<string, string> = { OWNER: '1', ADMIN: '2', MEMBER: '3' };

const MEMBER = 'userId role displayName user { nickName avatar description ext }';
const memberData = (m: Json) => {
  const ext = extObject(m.user?.ext);
  return {
    userId: Number(m.userId),
    ...Object.fromEntries(PROFILE.map((field) => [field, ext[field] === undefined ? '' : String(ext[field])])),
    nickName: m.user?.nickName ?? '',
    userPhoto: m.user?.avatar ?? '',
    signature: m.user?.description ?? '',
    user_type: USER_TYPES[m.role] ?? '3',
    show_name: m.displayName ?? '',
  };
};

/** Every page of a connection under `result`, through `call.query`. */
async function allPages(call: Call, document: string, variables: Json, connection: (value: Json) => Json): Promise<Json[]> {
  const nodes: Json[] = [];
  let after: string | undefined;
  for (;;) {
    const page = connection(await call.query(document, { ...variables, after }));
    nodes.push(...page.edges.map((e: Json) => e.node));
    if (!page.pageInfo.hasNextPage) return nodes;
    after = page.pageInfo.endCursor;
  }
}

/** The viewer's role in a group (null when not a member) and the group's name. */
async function standing(call: Call, g: string): Promise<{ role: string | null; name: string }> {
  const group = foundGroup(await call.query(`query Standing($g: ID!) { result: group(id: $g) { name viewerMembership { role } } }`, { g }));
  return { role: group.viewerMembership?.role ?? null, name: group.name };
}

const RECORD_TYPES: Record<string, string> = { TEXT: 'txt', IMAGE: 'img', LOCATION: 'loc', AUDIO: 'audio' };
const MESSAGE = 'id content contentType attachment createdAt from { id } to { id kind }';
const record = (m: Json) => {
  const attachment = extObject(m.attachment);
  const type = RECORD_TYPES[m.contentType] ?? String(m.contentType).toLowerCase();
  return {
    fromId: m.from ? String(m.from.id) : '',
    msg_id: String(m.id),
    chat_type: m.to.kind === 'GROUP' ? 'groupchat' : 'chat',
    msg: m.content,
    type,
    ...(type === 'audio' ? { length: attachment['length'] ?? attachment['duration'] ?? 0 } : {}),
    ...(type === 'img' || type === 'audio' ? { url: attachment['url'] ?? '', filename: attachment['filename'] ?? '', secret: attachment['secret'] ?? '' } : {}),
    ...(type === 'loc' ? { lat: attachment['lat'] ?? 0, lng: attachment['lng'] ?? 0, addr: attachment['addr'] ?? '' } : {}),
    timestamp: m.createdAt,
    toId: String(m.to.id),
  };
};

export const projectGroupRoutes: DialectRoute[] = [
  {
    methods: ['POST'],
    path: '/chat/group!joinGroup',
    documents: {
      join: `mutation Join($g: ID!) { result: applyToGroup(groupId: $g) { ...Failure ... on ApplyToGroupPayload { application { status } } } }`,
    },
    variables: (call) => ({ g: groupIdOf(call) }),
    // Joining is approved at once where the group accepts every application (how project groups are set up).
    answer: (p: Json) => (p.application.status === 'ACCEPTED' ? ok('申请入群成功') : ok('入群申请已提交，等待管理员审核', { pending: true })),
  },
  {
    methods: ['POST'],
    path: '/chat/group!groupList',
    documents: {
      list: `query Joined($after: String) { result: joinedGroups(first: 100, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`,
    },
    answer: async (first: Json, call) => {
      const ids = first.edges.map((e: Json) => e.node.id);
      if (first.pageInfo.hasNextPage) {
        const more = await allPages(call, `query Joined($after: String) { result: joinedGroups(first: 100, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`, { after: first.pageInfo.endCursor }, (c) => c);
        ids.push(...more.map((g) => g.id));
      }
      const groups: Json[] = [];
      for (let i = 0; i < ids.length; i += 100) {
        groups.push(...(await call.query(`query Groups($ids: [ID!]!) { result: groups(ids: $ids) { ${GROUP} } }`, { ids: ids.slice(i, i + 100) })));
      }
      return ok('获取群列表成功', { groupList: groups.map(groupInfo) });
    },
  },
  {
    methods: ['POST'],
    path: '/chat/group!getGroupDetail',
    documents: { detail: `query Detail($g: ID!) { result: group(id: $g) { ${GROUP} } }` },
    variables: (call) => ({ g: groupIdOf(call) }),
    answer: async (detail: Json, call) => {
      const g = foundGroup(detail);
      const members = await allPages(
        call,
        `query Members($g: ID!, $after: String) { result: group(id: $g) { members(first: 100, after: $after) { edges { node { ${MEMBER} } } pageInfo { hasNextPage endCursor } } } }`,
        { g: g.id },
        (group) => group.members,
      );
      return ok('获取群详情成功', { groupInfo: groupInfo(g), userList: members.map(memberData) });
    },
  },
  {
    methods: ['POST'],
    path: '/chat/group!userSetGroup',
    documents: {
      set: `mutation Show($g: ID!, $input: UpdateGroupMembershipInput!) {
        result: updateGroupMembership(groupId: $g, input: $input) { ...Failure ... on UpdateGroupMembershipPayload { __typename } }
      }`,
    },
    // An empty showName changes nothing (the document: "empty means not set").
    variables: (call) => ({ g: groupIdOf(call), input: { displayName: str(call.params, 'showName') } }),
    answer: () => ok('设置群显示名称成功'),
  },
  {
    methods: ['POST'],
    path: '/chat/group!exitGroup',
    documents: { leave: `mutation Leave($g: ID!) { result: leaveGroup(groupId: $g) { ...Failure ... on LeaveGroupPayload { __typename } } }` },
    variables: async (call) => {
      const g = groupIdOf(call);
      const { role, name } = await standing(call, g);
      // The document's rule, stricter than GraphQL's: admins cannot exit either.
      if (role === 'ADMIN') throw domainFailure('FORBIDDEN', 'admins cannot exit the group');
      call.params.fields['groupName'] = name;
      return { g };
    },
    answer: (_value, call) => ok(`您已成功退出${String(call.params.fields['groupName'])}群`),
  },
  {
    methods: ['POST'],
    path: '/chat/group!deleteUser',
    documents: {
      kick: `mutation Kick($g: ID!, $u: [ID!]!) {
        result: kickGroupMembers(groupId: $g, userIds: $u) { ...Failure ... on KickGroupMembersPayload { outcomes { outcome code reason } } }
      }`,
    },
    variables: async (call) => {
      const g = groupIdOf(call);
      const target = groupIdOf(call, 'groupUserId');
      const [member] = await call.query(`query Target($g: ID!, $u: [ID!]!) { result: group(id: $g) { membersAmong(userIds: $u) { role displayName user { nickName username } } } }`, { g, u: [target] }).then((group: Json) => foundGroup(group).membersAmong);
      if (!member) throw domainFailure('NOT_GROUP_MEMBER', `user ${target} is not a member of the group`);
      // The document's rule: neither the owner nor an admin can be kicked.
      if (member.role !== 'MEMBER') throw domainFailure('FORBIDDEN', 'the owner and admins cannot be removed');
      call.params.fields['memberName'] = member.displayName || member.user?.nickName || member.user?.username;
      return { g, u: [target] };
    },
    answer: (value: Json, call) => {
      const [outcome] = value.outcomes;
      if (outcome.outcome === 'FAILED') throw domainFailure(outcome.code ?? 'FORBIDDEN', outcome.reason ?? 'failed');
      return ok(`已成功踢出成员${String(call.params.fields['memberName'])}`);
    },
  },
  {
    methods: ['POST'],
    path: '/chat/group!updateGroup',
    documents: {
      update: `mutation Update($g: ID!, $input: UpdateGroupInfoInput!) { result: updateGroupInfo(groupId: $g, input: $input) { ...Failure ... on UpdateGroupInfoPayload { __typename } } }`,
    },
    variables: async (call) => {
      const g = groupIdOf(call);
      const type = str(call.params, 'type');
      if (type !== undefined && !GROUP_TYPES.includes(type)) throw badRequest('type must be "1" (project group) or "2" (shareholder group)');
      const { role } = await standing(call, g);
      // The document's rule, stricter than GraphQL's memberModify: only the owner and admins.
      if (role !== 'OWNER' && role !== 'ADMIN') throw domainFailure('NEEDS_GROUP_ADMIN', 'only the group owner and admins may change it');
      const notice = str(call.params, 'notice');
      if (notice !== undefined) {
        await call.query(`mutation Notice($g: ID!, $c: String!) { result: publishGroupAnnouncement(groupId: $g, content: $c) { ...Failure ... on PublishGroupAnnouncementPayload { __typename } } }`, { g, c: notice });
      }
      const group = foundGroup(await call.query(`query Ext($g: ID!) { result: group(id: $g) { ext } }`, { g }));
      const ext = extObject(group.ext);
      if (type !== undefined) ext['type'] = type;
      return { g, input: { name: str(call.params, 'groupName'), description: str(call.params, 'introduction'), ...(type !== undefined ? { ext } : {}) } };
    },
    answer: () => ok('修改群资料成功'),
  },
  {
    methods: ['POST'],
    path: '/chat/chat!loadChatRecords',
    documents: {
      records: `query Records($conversation: ConversationInput!, $since: Timestamp) {
        result: messages(conversation: $conversation, first: 100, sentAfter: $since) { edges { node { ${MESSAGE} } } }
      }`,
    },
    variables: (call) => {
      const groupId = str(call.params, 'groupId');
      const chatUserId = str(call.params, 'chatUserId');
      if ((groupId === undefined) === (chatUserId === undefined)) throw badRequest('give exactly one of groupId and chatUserId');
      const id = groupId ?? chatUserId!;
      if (!isId(id)) throw badRequest(`${groupId ? 'groupId' : 'chatUserId'} must be an id`);
      const lastTime = str(call.params, 'lastTime');
      if (lastTime !== undefined && !/^\d{1,15}$/.test(lastTime)) throw badRequest('lastTime must be milliseconds since the epoch');
      return { conversation: groupId ? { groupId: id } : { userId: id }, since: lastTime === undefined ? 0 : Number(lastTime) };
    },
    answer: (c: Json) => ok('加载聊天记录成功', { recordList: c.edges.map((e: Json) => record(e.node)) }),
  },
];
