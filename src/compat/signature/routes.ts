import { isId, str } from '../shared/params.js';
import type { DialectRoute } from '../shared/dialect.js';
import { badRequest, domainFailure, foundGroup, type Call } from '../shared/run.js';
import { OPERATION } from './codes.js';

// Seed 002: the signature service and /im/group (LeanCloud style). Client ids are users of the
// app one to one: a client id is a username, or a user id when all digits (no username is).
// "conversion" is the original's spelling of conversation: kept in paths and keys.

type Json = Record<string, any>;

export interface SignatureRoute extends DialectRoute {
  /** The 700x code of the operation when it is refused. */
  operation: number;
}

const SIGN = `query Sign($input: ConversationSignatureInput!) {
  result: conversationSignature(input: $input) { action appId clientId conversationId signedMembers timestamp nonce signature }
}`;

/** `a:b:c` → ids; an empty string (a join) → none. */
const splitIds = (value: string | undefined) => (value ? value.split(':') : []);

const signRoute = (path: string, action: 'LOGIN' | 'START' | 'INVITE' | 'KICK'): SignatureRoute => ({
  methods: ['GET'],
  path,
  operation: OPERATION.sign,
  documents: { sign: SIGN },
  variables: (call) => ({
    input: {
      action,
      appId: call.path['app_id'],
      clientId: call.path['client_id'],
      conversationId: call.path['conversion_id'],
      memberIds: splitIds(call.path['sorted_member_ids']),
    },
  }),
  answer: (s: Json) => [
    200,
    {
      ...(action === 'INVITE' || action === 'KICK' ? { action: action.toLowerCase(), conversion_id: s.conversationId } : {}),
      ...(action === 'LOGIN' ? {} : { sorted_member_ids: s.signedMembers }),
      timestamp: s.timestamp,
      signature: s.signature,
      nonce: s.nonce,
      app_id: s.appId,
      client_id: s.clientId,
    },
  ],
});

const BY_NAME = `query Names($names: [String!]!) { result: usersByUsername(usernames: $names) { id username } }`;
const BY_ID = `query Ids($ids: [ID!]!) { result: users(ids: $ids) { id } }`;

/** The user ids of client ids, in order; a client id of nobody is 1001. */
async function usersOf(call: Call, clientIds: string[]): Promise<string[]> {
  // An id in canonical form names that user; anything else (`007` included) is a username.
  const digits = clientIds.filter(isId);
  const names = clientIds.filter((c) => !isId(c));
  const known = new Map<string, string>();
  if (names.length) for (const u of await call.query(BY_NAME, { names })) known.set(u.username, u.id);
  if (digits.length) for (const u of await call.query(BY_ID, { ids: digits })) known.set(u.id, u.id);
  return clientIds.map((c) => {
    const id = known.get(c);
    if (!id) throw domainFailure('USER_NOT_FOUND', `no user has client id ${c}`);
    return id;
  });
}

/** `member_client_ids` (`a:b:c`), required and non-empty where `required`. */
function memberClientIds(call: Call, required: boolean): string[] {
  const raw = call.params.fields['member_client_ids'];
  if (raw === undefined || raw === null || raw === '') {
    if (required) throw badRequest('member_client_ids is required');
    return [];
  }
  if (typeof raw !== 'string') throw badRequest("member_client_ids must be client ids joined with ':'");
  const ids = raw.split(':');
  if (ids.some((id) => id === '')) throw badRequest("member_client_ids must be client ids joined with ':'");
  return ids;
}

/** `group_id` from the path (the table's `<int:group_id>`). */
function groupIdOf(call: Call): string {
  const id = call.path['group_id']!;
  if (!isId(id)) throw badRequest('group_id must be a group id: a whole number without leading zeros');
  return id;
}

/** App credentials (HTTP Basic) act on a group as its admin; a token acts as its user. */
const onGroup = (call: Call, groupId: string) => {
  if (isAdmin(call)) call.credentials = { ...call.credentials, actAsGroupAdminOf: groupId };
};
/** Only HTTP Basic app credentials name the app; a bearer token does not. */
const isAdmin = (call: Call) => call.credentials.appId !== undefined;

const BATCH = (field: string) => `mutation Members($g: ID!, $u: [ID!]!) {
  result: ${field}(groupId: $g, userIds: $u) {
    ...Failure ... on ${field[0]!.toUpperCase()}${field.slice(1)}Payload { outcomes { id outcome code reason } }
  }
}`;

/** Every target of a batch must succeed, or the first failure answers. */
function requireAll(value: Json) {
  const failed = value.outcomes.find((r: Json) => r.outcome === 'FAILED');
  if (failed) throw domainFailure(failed.code ?? 'FORBIDDEN', failed.reason ?? 'failed');
}

export const signatureRoutes: SignatureRoute[] = [
  signRoute('/signature/login/:app_id/:client_id', 'LOGIN'),
  signRoute('/signature/conversion/:app_id/:client_id/:sorted_member_ids', 'START'),
  signRoute('/signature/invite/:app_id/:client_id/:conversion_id/:sorted_member_ids', 'INVITE'),
  // A join signs an empty member list: the last segment may be missing.
  signRoute('/signature/invite/:app_id/:client_id/:conversion_id', 'INVITE'),
  signRoute('/signature/kick/:app_id/:client_id/:conversion_id/:sorted_member_ids', 'KICK'),
  {
    methods: ['POST'],
    path: '/im/group',
    operation: OPERATION.createGroup,
    documents: {
      create: `mutation Create($input: CreateGroupInput!) {
        result: createGroup(input: $input) { ...Failure ... on CreateGroupPayload { group { id name } invitees { id outcome code reason } } }
      }`,
    },
    variables: async (call) => {
      const members = memberClientIds(call, false);
      const ownerClientId = str(call.params, 'owner_client_id');
      if (isAdmin(call) && !ownerClientId) throw badRequest('owner_client_id is required with app credentials');
      const ids = await usersOf(call, ownerClientId ? [ownerClientId, ...members] : members);
      if (ownerClientId) call.credentials = { ...call.credentials, actAsUserId: ids.shift() };
      return { input: { name: str(call.params, 'group_name') ?? '', memberIds: ids } };
    },
    answer: (created: Json, call) => {
      requireAll({ outcomes: created.invitees });
      return [201, { group_id: Number(created.group.id), group_name: created.group.name, member_client_ids: memberClientIds(call, false).join(':') }];
    },
  },
  {
    methods: ['PUT'],
    path: '/im/group/:group_id',
    operation: OPERATION.updateGroup,
    documents: {
      update: `mutation Update($g: ID!, $input: UpdateGroupInfoInput!) { result: updateGroupInfo(groupId: $g, input: $input) { ...Failure ... on UpdateGroupInfoPayload { group { name } } } }`,
    },
    variables: (call) => {
      const g = groupIdOf(call);
      onGroup(call, g);
      const name = str(call.params, 'group_name');
      if (name === undefined) throw badRequest('group_name is required');
      return { g, input: { name } };
    },
    answer: (p: Json) => [200, { group_name: p.group.name }],
  },
  {
    methods: ['DELETE'],
    path: '/im/group/:group_id',
    operation: OPERATION.deleteGroup,
    documents: { destroy: `mutation Destroy($g: ID!) { result: destroyGroup(groupId: $g) { ...Failure ... on DestroyGroupPayload { __typename } } }` },
    variables: async (call) => {
      const g = groupIdOf(call);
      if (isAdmin(call)) {
        onGroup(call, g);
        const { ownerId } = foundGroup(await call.query(`query Owner($g: ID!) { result: group(id: $g) { ownerId } }`, { g }));
        call.credentials = { ...call.credentials, actAsUserId: ownerId, actAsGroupAdminOf: undefined };
      }
      return { g };
    },
    answer: () => [204, undefined],
  },
  {
    methods: ['POST'],
    path: '/im/group/:group_id/member',
    operation: OPERATION.addMembers,
    documents: { add: BATCH('inviteGroupMembers') },
    variables: async (call) => {
      const g = groupIdOf(call);
      onGroup(call, g);
      return { g, u: await usersOf(call, memberClientIds(call, true)) };
    },
    answer: (value: Json, call) => {
      requireAll(value);
      return [201, { group_id: Number(call.path['group_id']), member_client_ids: memberClientIds(call, true).join(':') }];
    },
  },
  {
    methods: ['DELETE'],
    path: '/im/group/:group_id/member',
    operation: OPERATION.removeMembers,
    documents: { remove: BATCH('kickGroupMembers') },
    variables: async (call) => {
      const g = groupIdOf(call);
      onGroup(call, g);
      return { g, u: await usersOf(call, memberClientIds(call, true)) };
    },
    answer: (value: Json) => {
      requireAll(value);
      return [204, undefined];
    },
  },
];
