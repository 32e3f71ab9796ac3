import { AUTH_MODE } from '../../../domain/codes.js';
import { bool, codeNumber, idText, int, json, jsonString, list, str, type Params } from '../params.js';
import { done, id, yes, type Json, type Route } from './types.js';

// Chapter 8 of the document: friends, friend requests, the blocklist and search.

const CONTACT = `relation alias ext muteNotification
  user { id username nickName avatar description publicInfo authPolicy { mode question } }`;

const RELATIONS = { FRIEND: 0, DELETED: 1, STRANGER: 2, BLOCKED: 3 } as const;

/** The document's roster item: the public profile, the relation and the viewer's notes. */
const contactData = (c: Json) => ({
  user_id: id(c.user.id),
  username: c.user.username,
  nick_name: c.user.nickName,
  avatar: c.user.avatar,
  description: c.user.description,
  public_info: c.user.publicInfo,
  auth_mode: codeNumber(AUTH_MODE, c.user.authPolicy.mode),
  auth_question: c.user.authPolicy.question,
  relation: RELATIONS[c.relation as keyof typeof RELATIONS],
  alias: c.alias,
  ext: jsonString(c.ext),
  mute_notification: c.muteNotification,
});

const twins = ['POST', 'PUT'] as const;

/** A mutation taking one user id (and maybe more), answering `true`. */
const userAction = (methods: Route['methods'], path: string, field: string, extra: { signature?: string; args?: string; vars?: (p: Params) => Json } = {}): Route => ({
  methods,
  path,
  document: `mutation Op($userId: ID!${extra.signature ?? ''}) {
    result: ${field}(userId: $userId${extra.args ?? ''}) { ...Failure ${done(field)} }
  }`,
  variables: (p) => ({ userId: str(p, 'user_id') ?? '', ...extra.vars?.(p) }),
  data: yes,
});

/** A search route: answers the contact, or 10000 when nobody matches. */
const searchRoute = (path: string, arg: string, param: string): Route => ({
  methods: ['GET'],
  path,
  document: `query Search($value: ${arg === 'userId' ? 'ID' : 'String'}!) { result: searchUser(${arg}: $value) { ${CONTACT} } }`,
  variables: (p) => ({ value: str(p, param) ?? '' }),
  data: contactData,
  notFound: 'no user matches',
});

const pageSize = (p: Params) => {
  const limit = int(p, 'limit');
  return typeof limit === 'number' ? Math.min(Math.max(limit, 1), 100) : 50;
};

export const rosterRoutes: Route[] = [
  // Requests (8.1–8.5, 8.9–8.10).
  {
    methods: ['POST'],
    path: '/roster/apply',
    document: `mutation Apply($input: ApplyFriendInput!) { result: applyFriend(input: $input) { ...Failure ... on ApplyFriendPayload { status } } }`,
    variables: (p) => ({
      input: { userId: str(p, 'user_id') ?? '', reason: str(p, 'reason'), alias: str(p, 'alias'), authAnswer: str(p, 'auth_answer') },
    }),
    data: () => true,
  },
  {
    methods: ['POST'],
    path: '/roster/apply/batch',
    document: `mutation ApplyBatch($input: [ApplyFriendInput!]!) {
      result: applyFriends(input: $input) { ...Failure ... on ApplyFriendsPayload { succeeded failed { userId reason } } }
    }`,
    variables: (p) => ({
      input: (Array.isArray(p.body) ? p.body : (list(p, 'list') ?? [])).map((item: Json) => ({
        userId: String(item?.user_id ?? ''),
        reason: item?.reason === undefined ? undefined : String(item.reason),
        alias: item?.alias === undefined ? undefined : String(item.alias),
      })),
    }),
    data: (r: Json) => ({
      success: r.succeeded.map(id),
      fails: r.failed.map((f: Json) => ({ user_id: id(f.userId), reason: f.reason })),
    }),
  },
  userAction([...twins], '/roster/accept', 'acceptFriendRequest'),
  userAction([...twins], '/roster/decline', 'declineFriendRequest', {
    signature: ', $reason: String',
    args: ', reason: $reason',
    vars: (p) => ({ reason: str(p, 'reason') }),
  }),
  {
    methods: ['GET'],
    path: '/roster/apply/list',
    document: `query Requests($first: Int, $after: String) {
      result: friendRequests(first: $first, after: $after) {
        edges { node { from { id } reason status expiresAt } }
        pageInfo { hasNextPage endCursor }
      }
    }`,
    variables: (p) => ({ first: pageSize(p), after: str(p, 'cursor') }),
    data: (c: Json) =>
      c.edges.map(({ node }: Json) => ({ user_id: id(node.from.id), reason: node.reason, status: STATUS[node.status as keyof typeof STATUS], expired_time: node.expiresAt })),
    extra: (c: Json) => ({ ...(c.pageInfo.hasNextPage && { cursor: c.pageInfo.endCursor }), version: 0 }),
  },

  // Friends (8.11–8.14, 8.16–8.17).
  userAction(['POST', 'DELETE'], '/roster/delete', 'removeFriend'),
  {
    methods: [...twins],
    path: '/roster/ext',
    document: `mutation Ext($userId: ID!, $alias: String, $ext: JSON, $mute: Boolean) {
      result: updateFriend(userId: $userId, alias: $alias, ext: $ext, muteNotification: $mute) { ...Failure ${done('updateFriend')} }
    }`,
    variables: (p) => ({ userId: str(p, 'user_id') ?? '', alias: str(p, 'alias'), ext: json(p, 'ext'), mute: bool(p, 'mute_notification') }),
    data: () => true,
  },
  {
    methods: ['GET'],
    path: '/roster/list',
    document: `query Friends($first: Int, $after: String) {
      result: friends(first: $first, after: $after) { edges { node { user { id } } } pageInfo { hasNextPage endCursor } }
    }`,
    variables: (p) => ({ first: pageSize(p), after: str(p, 'cursor') }),
    data: (c: Json) => c.edges.map(({ node }: Json) => id(node.user.id)),
    extra: (c: Json) => ({ ...(c.pageInfo.hasNextPage && { cursor: c.pageInfo.endCursor }), version: 0 }),
  },
  {
    methods: ['POST'],
    path: '/roster/list',
    document: `query Contacts($ids: [ID!]!) { result: contacts(userIds: $ids) { ${CONTACT} } }`,
    variables: (p) => ({ ids: (list(p, 'list') ?? (Array.isArray(p.body) ? p.body : [])).map(idText) }),
    data: (contacts: Json[]) => contacts.map(contactData),
  },

  // Blocklist (8.6–8.8, 8.21–8.22).
  userAction([...twins], '/roster/block', 'blockUser'),
  userAction(['POST', 'DELETE'], '/roster/unblock', 'unblockUser'),
  {
    methods: ['GET'],
    path: '/roster/blocked_list',
    document: `query Blocked { result: blockedUsers(first: 1000) { edges { node { id } } } }`,
    data: (c: Json) => c.edges.map(({ node }: Json) => id(node.id)),
  },

  // Search and policy (8.15, 8.18–8.20).
  searchRoute('/roster/id', 'userId', 'user_id'),
  searchRoute('/roster/name', 'username', 'username'),
  searchRoute('/roster/mobile', 'mobile', 'mobile'),
  {
    methods: ['GET'],
    path: '/roster/may_message',
    document: `query May($to: ID!, $from: ID) { result: mayMessage(userId: $to, fromUserId: $from) }`,
    // roster_id is the one to be messaged; user_id, when given, the one who would send.
    variables: (p) => ({ to: str(p, 'roster_id') ?? '', from: str(p, 'user_id') }),
  },
];

const STATUS = { PENDING: 0, ACCEPTED: 1, DECLINED: 2 } as const;

