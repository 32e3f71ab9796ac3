import { isId, str, type Params } from '../shared/params.js';
import { badRequest, domainFailure, foundGroup, type Call } from '../shared/run.js';
import type { DialectRoute } from '../shared/dialect.js';
import { answerOf } from './codes.js';

// JPush IM REST v1 (seed 003), paths without their `/v1` prefix (the adapter serves both).
// Users are named by username: each route looks the names up through GraphQL (usersByUsername)
// and runs its operation on their ids, with the app's admin token, acting as a user or as a
// group's admin where the operation needs one. See docs/compat-jpush.md.

type Json = Record<string, any>;

export type JPushRoute = DialectRoute;

const USER = 'id username nickName avatar description ext disabled createdAt updatedAt';
/** Deletes a user as GraphQL's deleteUser does (anonymised or removed, as the app chooses): the name is free again. */
const DELETE_USER = `mutation Delete($u: ID!) { result: deleteUser(userId: $u) { ...Failure ... on DeleteUserPayload { userId } } }`;
const LOOKUP = `query Lookup($names: [String!]!) { result: usersByUsername(usernames: $names) { ${USER} } }`;

/** The users of the given names, in order; a name of nobody (or of a deleted user) is 899002. */
async function usersNamed(call: Call, names: string[]): Promise<Json[]> {
  const found: Json[] = await call.query(LOOKUP, { names });
  const byName = new Map(found.filter((u) => !u.disabled).map((u) => [u.username, u]));
  return names.map((name) => {
    const user = byName.get(name);
    if (!user) throw domainFailure('USER_NOT_FOUND', `user ${name} does not exist`);
    return user;
  });
}
const userNamed = async (call: Call, name: string) => (await usersNamed(call, [name]))[0]!;

/** A list of usernames from the body: an array of strings, or the array under `key` of an object. */
function usernames(body: unknown, what: string): string[] {
  if (!Array.isArray(body) || body.length === 0 || !body.every((n) => typeof n === 'string' && n !== '')) {
    throw badRequest(`${what} must be a non-empty JSON array of usernames`);
  }
  return body as string[];
}

const asUser = (call: Call, userId: string) => (call.credentials = { ...call.credentials, actAsUserId: userId });
const asGroupAdmin = (call: Call, groupId: string) => (call.credentials = { ...call.credentials, actAsGroupAdminOf: groupId });

/** `gid` from the path: digits only, or 899003. */
function gidOf(call: Call): string {
  const gid = call.path['gid']!;
  if (!isId(gid)) throw badRequest('gid must be a group id');
  return gid;
}

/** Times as the document writes them: `2015-01-01 00:00:00` (UTC). */
const clock = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

/** Profile fields without a column of their own ride in the user's `ext` object. */
const EXTRA_FIELDS = ['birthday', 'gender', 'region', 'address', 'star'] as const;
const extObject = (ext: unknown): Json => {
  try {
    const parsed = typeof ext === 'string' ? JSON.parse(ext || '{}') : ext;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : {};
  } catch {
    return {};
  }
};

const userData = (u: Json) => {
  const ext = extObject(u.ext);
  return {
    username: u.username,
    user_name: u.username,
    nickname: u.nickName ?? '',
    avatar: u.avatar ?? '',
    birthday: ext['birthday'] ?? '',
    gender: ext['gender'] ?? 0,
    signature: u.description ?? '',
    region: ext['region'] ?? '',
    address: ext['address'] ?? '',
    star: ext['star'] ?? 0,
    mtime: clock(u.updatedAt),
    ctime: clock(u.createdAt),
  };
};

const failed = (code: string, message: string) => answerOf({ kind: 'domain', code: code as any, message });

/** A batch on group members: every target must succeed, or the first failure is the answer. */
const membersAnswer = (value: Json): [number, unknown] => {
  const failure = value.outcomes.find((r: Json) => r.outcome === 'FAILED');
  return failure ? failed(failure.code ?? 'INVALID_INPUT', failure.reason ?? 'failed') : [204, undefined];
};

const MEMBERS_BATCH = (field: string) => `mutation Members($g: ID!, $u: [ID!]!) {
  result: ${field}(groupId: $g, userIds: $u) {
    ...Failure ... on ${field[0]!.toUpperCase()}${field.slice(1)}Payload { outcomes { id outcome code reason } }
  }
}`;

/** Message types → content types; a `custom` body is app-defined JSON, carried as a COMMAND message. */
const CONTENT: Record<string, string> = { text: 'TEXT', image: 'IMAGE', voice: 'AUDIO', location: 'LOCATION', custom: 'COMMAND' };

async function sendVariables(call: Call) {
  const p = call.params.fields;
  const targetType = str(call.params, 'target_type');
  const msgType = str(call.params, 'msg_type');
  const body = p['msg_body'];
  if (targetType !== 'single' && targetType !== 'group') throw badRequest('target_type must be single or group');
  if (!msgType || !CONTENT[msgType]) throw badRequest('msg_type must be text, image, voice, location or custom');
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('msg_body must be a JSON object');
  const targetId = str(call.params, 'target_id');
  if (!targetId) throw badRequest('target_id is required');
  const fromType = str(call.params, 'from_type') ?? 'user';
  if (fromType !== 'user' && fromType !== 'admin') throw badRequest('from_type must be user or admin');
  const fromId = str(call.params, 'from_id');
  if (fromType === 'user' && !fromId) throw badRequest('from_id is required');

  const target = targetType === 'single' ? (await userNamed(call, targetId)).id : targetId;
  if (targetType === 'group' && !isId(target)) throw badRequest('target_id must be a group id');
  const from = fromId ? (await userNamed(call, fromId)).id : undefined;
  const { text, content, extras, ...rest } = body as Json;
  const textOf = msgType === 'text' ? (text ?? content) : undefined;
  if (textOf !== undefined && typeof textOf !== 'string') throw badRequest('msg_body.text must be a string');
  return {
    input: {
      toKind: targetType === 'single' ? 'USER' : 'GROUP',
      targets: [target],
      contentType: CONTENT[msgType],
      content: msgType === 'text' ? textOf : msgType === 'custom' ? JSON.stringify(body) : (typeof text === 'string' ? text : undefined),
      attachment: msgType === 'text' || msgType === 'custom' ? undefined : rest,
      ext: extras && typeof extras === 'object' ? extras : undefined,
      fromUserId: from,
    },
  };
}

const SEND = (field: 'sendMessage' | 'sendNotice') => `mutation Send($input: SendMessageInput!) {
  result: ${field}(input: $input) { ...Failure ... on ${field === 'sendMessage' ? 'SendMessage' : 'SendNotice'}Payload { messages { id createdAt } } }
}`;

const GROUP = 'id name description createdAt updatedAt dissolved capacity memberCount owner { username }';
const groupData = (g: Json) => ({
  gid: Number(g.id),
  name: g.name,
  desc: g.description ?? '',
  owner_username: g.owner?.username ?? '',
  MaxMemberCount: g.capacity,
  member_count: g.memberCount,
  ctime: clock(g.createdAt),
  mtime: clock(g.updatedAt),
});

/** The registration body: an array of up to 500 `{username, password}`. */
function registrations(p: Params) {
  if (!Array.isArray(p.body)) throw badRequest('the body must be a JSON array of {username, password}');
  return p.body.map((item: unknown) => {
    const { username, password } = item && typeof item === 'object' ? (item as Json) : {};
    return { username: typeof username === 'string' ? username : '', password: typeof password === 'string' ? password : '' };
  });
}

export const jpushRoutes: JPushRoute[] = [
  // Users.
  {
    methods: ['POST'],
    path: '/users',
    documents: {
      register: `mutation Register($input: [RegisterUserInput!]!) {
        result: registerUsers(input: $input) { ...Failure ... on RegisterUsersPayload { outcomes { username success code reason } } }
      }`,
    },
    variables: (call) => ({ input: registrations(call.params) }),
    answer: (value: Json) => [
      201,
      value.outcomes.map((item: Json) =>
        item.success ? { username: item.username } : { username: item.username, error: failed(item.code, item.reason)[1].error },
      ),
    ],
  },
  {
    methods: ['GET'],
    path: '/users',
    documents: {
      list: `query List($first: Int!, $offset: Int) { result: appUsers(first: $first, offset: $offset) { totalCount edges { node { ${USER} } } } }`,
    },
    variables: (call) => {
      const start = Number(str(call.params, 'start') ?? 0);
      const count = Number(str(call.params, 'count') ?? 0);
      if (!Number.isSafeInteger(start) || start < 0) throw badRequest('start must be a whole number, 0 or more');
      if (!Number.isSafeInteger(count) || count < 1 || count > 500) throw badRequest('count must be 1 to 500');
      return { first: count, offset: start };
    },
    answer: (c: Json, call) => {
      const users = c.edges.map((e: Json) => userData(e.node));
      return [200, { total: c.totalCount, start: Number(str(call.params, 'start') ?? 0), count: users.length, users }];
    },
  },
  {
    methods: ['DELETE'],
    path: '/users',
    // Every name is checked first; then the users are deleted one by one (each in its own
    // transaction): the first refusal (a group owner, say) is answered, those before it are gone.
    documents: { delete: DELETE_USER },
    variables: async (call) => {
      const ids = (await usersNamed(call, usernames(call.params.body, 'the body'))).map((u) => u.id);
      call.carry = ids.slice(1);
      return { u: ids[0] };
    },
    answer: async (_value, call) => {
      for (const u of call.carry as string[]) await call.query(DELETE_USER, { u });
      return [204, undefined];
    },
  },
  {
    methods: ['GET'],
    path: '/users/:username',
    documents: { get: `query Get($names: [String!]!) { result: usersByUsername(usernames: $names) { ${USER} } }` },
    variables: (call) => ({ names: [call.path['username']] }),
    answer: (found: Json[], call) => {
      const user = found.find((u) => !u.disabled);
      return user ? [200, userData(user)] : failed('USER_NOT_FOUND', `user ${call.path['username']} does not exist`);
    },
  },
  {
    methods: ['PUT'],
    path: '/users/:username',
    documents: {
      update: `mutation Update($input: [UserProfileInput!]!) {
        result: updateProfiles(input: $input) { ...Failure ... on UpdateProfilesPayload { outcomes { success code reason } } }
      }`,
    },
    variables: async (call) => {
      const user = await userNamed(call, call.path['username']!);
      const f = call.params.fields;
      const ext = extObject(user.ext);
      for (const field of EXTRA_FIELDS) if (f[field] !== undefined) ext[field] = f[field];
      const text = (name: string) => (f[name] === undefined ? undefined : typeof f[name] === 'string' ? f[name] : String(f[name]));
      return {
        input: [{ userId: user.id, nickName: text('nickname'), avatar: text('avatar'), description: text('signature'), ext }],
      };
    },
    answer: (value: Json) => {
      const [item] = value.outcomes;
      return item.success ? [200, undefined] : failed(item.code, item.reason);
    },
  },
  {
    methods: ['DELETE'],
    path: '/users/:username',
    documents: { delete: DELETE_USER },
    variables: async (call) => ({ u: (await userNamed(call, call.path['username']!)).id }),
    answer: () => [204, undefined],
  },

  // Messages.
  {
    methods: ['POST'],
    path: '/messages',
    documents: { user: SEND('sendMessage'), admin: SEND('sendNotice') },
    pick: (call) => (str(call.params, 'from_type') === 'admin' ? 'admin' : 'user'),
    variables: sendVariables,
    answer: (value: Json) => [200, { msg_id: Number(value.messages[0].id), msg_ctime: value.messages[0].createdAt }],
  },

  // Groups.
  {
    methods: ['POST'],
    path: '/groups',
    documents: {
      create: `mutation Create($input: CreateGroupInput!) {
        result: createGroup(input: $input) { ...Failure ... on CreateGroupPayload { group { ${GROUP} } invitees { id outcome code reason } } }
      }`,
    },
    variables: async (call) => {
      const owner = str(call.params, 'owner_username');
      if (!owner) throw badRequest('owner_username is required');
      const name = str(call.params, 'name') ?? str(call.params, 'group_name');
      const members = call.params.fields['members_username'];
      const memberNames = members === undefined ? [] : usernames(members, 'members_username');
      const [ownerUser, ...memberUsers] = await usersNamed(call, [owner, ...memberNames]);
      asUser(call, ownerUser!.id);
      return { input: { name: name ?? '', description: str(call.params, 'desc'), memberIds: memberUsers.map((u) => u.id) } };
    },
    answer: (created: Json, call) => {
      const failure = created.invitees.find((r: Json) => r.outcome === 'FAILED');
      if (failure) return failed(failure.code ?? 'INVALID_INPUT', failure.reason ?? 'a member could not join');
      const members = call.params.fields['members_username'];
      return [201, { ...groupData(created.group), members_username: Array.isArray(members) ? members : [] }];
    },
  },
  {
    methods: ['GET'],
    path: '/groups/:gid',
    documents: { get: `query Group($g: ID!) { result: group(id: $g) { ${GROUP} } }` },
    variables: (call) => ({ g: asGroupAdmin(call, gidOf(call)).actAsGroupAdminOf }),
    answer: (found: Json | null) => {
      const g = foundGroup(found);
      return g.dissolved ? failed('GROUP_NOT_FOUND', `group ${g.id} was deleted`) : [200, groupData(g)];
    },
  },
  {
    methods: ['DELETE'],
    path: '/groups/:gid',
    documents: { destroy: `mutation Destroy($g: ID!) { result: destroyGroup(groupId: $g) { ...Failure ... on DestroyGroupPayload { __typename } } }` },
    variables: async (call) => {
      const g = gidOf(call);
      asGroupAdmin(call, g);
      const group = foundGroup(await call.query(`query Owner($g: ID!) { result: group(id: $g) { ownerId } }`, { g }));
      asUser(call, group.ownerId);
      return { g };
    },
    answer: () => [204, undefined],
  },
  {
    methods: ['POST'],
    path: '/groups/:gid/members',
    documents: { add: MEMBERS_BATCH('inviteGroupMembers') },
    // An array adds; `{add, remove}` removes first, then adds.
    variables: async (call) => {
      const g = gidOf(call);
      asGroupAdmin(call, g);
      const body = call.params.body;
      const change = Array.isArray(body) ? { add: body } : body && typeof body === 'object' ? (body as Json) : {};
      if (change.add === undefined && change.remove === undefined) throw badRequest('the body must be an array of usernames or {add, remove}');
      if (change.remove !== undefined) {
        const removed = await usersNamed(call, usernames(change.remove, 'remove'));
        const answer = membersAnswer(await call.query(MEMBERS_BATCH('kickGroupMembers'), { g, u: removed.map((u) => u.id) }));
        if (answer[0] !== 204) throw domainFailure('FORBIDDEN', (answer[1] as Json).error.message);
      }
      const added = change.add === undefined ? [] : await usersNamed(call, usernames(change.add, 'add'));
      return { g, u: added.map((u) => u.id) };
    },
    answer: (value: Json) => (value.outcomes.length === 0 ? [204, undefined] : membersAnswer(value)),
  },
  {
    methods: ['DELETE'],
    path: '/groups/:gid/members',
    documents: { remove: MEMBERS_BATCH('kickGroupMembers') },
    variables: async (call) => {
      const g = gidOf(call);
      asGroupAdmin(call, g);
      return { g, u: (await usersNamed(call, usernames(call.params.body, 'the body'))).map((u) => u.id) };
    },
    answer: membersAnswer,
  },
];
