import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Credentials } from '../../domain/accounts/tokens.js';
import { CompatFailure, badRequest, domainFailure, type Runner } from '../shared/run.js';
import { ok, refused, UNKNOWN_ACTION, type Reply } from './codes.js';

// The actions of the JSON action protocol (seed 000) as GraphQL documents. Every action runs as
// a user of the app: the one logged in on a socket, or the one an HTTP request names. Members
// are the app's own user codes; a code seen for the first time becomes a user of the app (see
// docs/compat-action.md).

type Json = Record<string, any>;

/** A code is the user named `c_<code>`: the prefix keeps codes (often digits only) apart from other usernames. */
const PREFIX = 'c_';
const CODE = /^[A-Za-z0-9_]{1,30}$/;
export const usernameOf = (code: string) => `${PREFIX}${code}`;
export const codeOf = (username: string) => (username.startsWith(PREFIX) ? username.slice(PREFIX.length) : username);

/** What an action runs with: the app's admin credentials, and the user it acts as once known. */
export interface ActionContext {
  req: IncomingMessage;
  run: Runner;
  /** The app's admin token (from its id and secret). */
  app: Credentials;
  /** The acting user; undefined only while logging in. */
  user?: { id: string; code: string };
}

/** Runs a document as the app (`user` false) or as the acting user; its `result`, or a thrown CompatFailure. */
async function query(ctx: ActionContext, asUser: boolean, document: string, variables: Json = {}) {
  const credentials = asUser ? { ...ctx.app, actAsUserId: ctx.user!.id } : ctx.app;
  const outcome = await ctx.run(ctx.req, credentials, document, variables);
  if (!outcome.ok) throw new CompatFailure(outcome.failure);
  return outcome.value;
}

export function codeParam(value: unknown, field: string): string {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) value = String(value);
  if (typeof value !== 'string' || !CODE.test(value)) throw badRequest(`${field} must be 1-30 letters, digits or _`);
  return value;
}

function text(param: Json, field: string, { required = false, max = 4096 } = {}): string | undefined {
  const value = param[field];
  if (value === undefined || value === null || value === '') {
    if (required) throw badRequest(`${field} is required`);
    return undefined;
  }
  if (typeof value !== 'string') throw badRequest(`${field} must be a string`);
  if (value.length > max) throw badRequest(`${field} must be at most ${max} characters`);
  return value;
}

/** A group id: a decimal string or number, as every other id. */
function groupId(param: Json, field = 'id'): string {
  const value = typeof param[field] === 'number' ? String(param[field]) : param[field];
  if (typeof value !== 'string' || !/^[1-9]\d{0,18}$/.test(value)) throw badRequest(`${field} must be a group id`);
  return value;
}

interface Member {
  code: string;
  nickName?: string;
}

function members(param: Json, { nickNames }: { nickNames: boolean }): Member[] {
  const list = param['members'];
  if (!Array.isArray(list) || list.length === 0) throw badRequest('members must be a non-empty array of {code, nickName}');
  if (list.length > 500) throw badRequest('members may list at most 500 users');
  const seen = new Set<string>();
  return list.map((item: unknown, i) => {
    if (!item || typeof item !== 'object' || Array.isArray(item)) throw badRequest(`members[${i}] must be an object`);
    const code = codeParam((item as Json)['code'], `members[${i}].code`);
    if (seen.has(code)) throw badRequest(`members[${i}].code ${code} is listed twice`);
    seen.add(code);
    return { code, nickName: nickNames ? text(item as Json, 'nickName', { max: 64 }) : undefined };
  });
}

const USER = 'id username nickName disabled';
const LOOKUP = `query Lookup($names: [String!]!) { result: usersByUsername(usernames: $names) { ${USER} } }`;
const REGISTER = `mutation Register($input: [RegisterUserInput!]!) {
  result: registerUsers(input: $input) { ...Failure ... on RegisterUsersPayload { outcomes { username success code reason } } }
}`;
const NAME = `mutation Name($input: [UserProfileInput!]!) {
  result: updateProfiles(input: $input) { ...Failure ... on UpdateProfilesPayload { outcomes { success code reason } } }
}`;

/**
 * The users of the given codes, in order. With `create`, a code of nobody becomes a user (its
 * nickname set); without, it is USER_NOT_FOUND. A disabled user is not found either.
 */
export async function usersOf(ctx: ActionContext, wanted: Member[], create: boolean): Promise<Json[]> {
  const names = wanted.map((m) => usernameOf(m.code));
  let found: Json[] = await query(ctx, false, LOOKUP, { names });
  const known = new Set(found.map((u) => u.username));
  const missing = wanted.filter((m) => !known.has(usernameOf(m.code)));
  if (missing.length > 0 && create) {
    // They never log in with a password: the app vouches for them with its secret.
    const input = missing.map((m) => ({ username: usernameOf(m.code), password: randomBytes(24).toString('base64url') }));
    const { outcomes } = await query(ctx, false, REGISTER, { input });
    // Registered meanwhile by another session: found by the lookup below.
    const failed = (outcomes as Json[]).find((o) => !o.success && o.code !== 'USER_EXISTS');
    if (failed) throw domainFailure(failed.code, `user ${codeOf(failed.username)}: ${failed.reason}`);
    found = await query(ctx, false, LOOKUP, { names });
    const named = missing.filter((m) => m.nickName);
    if (named.length > 0) {
      const ids = new Map(found.map((u) => [u.username, u.id]));
      await query(ctx, false, NAME, { input: named.map((m) => ({ userId: ids.get(usernameOf(m.code)), nickName: m.nickName })) });
    }
  }
  const byName = new Map(found.filter((u) => !u.disabled).map((u) => [u.username, u]));
  return wanted.map((m) => {
    const user = byName.get(usernameOf(m.code));
    if (!user) throw domainFailure('USER_NOT_FOUND', `no user has the code ${m.code}`);
    return user;
  });
}

const memberResults = (results: Json[], users: Json[]) =>
  results.map((r, i) => ({ id: r.id, code: codeOf(users[i]!.username), outcome: r.outcome, ...(r.reason ? { reason: r.reason } : {}) }));

const MEMBERS = (field: 'inviteGroupMembers' | 'kickGroupMembers') => `mutation Members($g: ID!, $u: [ID!]!) {
  result: ${field}(groupId: $g, userIds: $u) {
    ...Failure ... on Mutation${field[0]!.toUpperCase()}${field.slice(1)}Success { data { id outcome code reason } }
  }
}`;

const MESSAGE = 'id seq contentType content createdAt from { id username nickName } to { kind id }';

/** A message as the protocol shows it (history and pushes alike). */
export const messageData = (m: Json) => ({
  id: m.id,
  seq: m.seq,
  type: m.contentType,
  content: m.content,
  from: m.from ? { id: m.from.id, code: codeOf(m.from.username), nickName: m.from.nickName ?? null } : null,
  to: { kind: m.to.kind, id: m.to.id },
  createdAt: m.createdAt,
});

/** The conversation a `sendMessage` or `history` names: `to` (a user's code) or `groupId`. */
async function conversationOf(ctx: ActionContext, param: Json): Promise<{ kind: 'USER' | 'GROUP'; id: string }> {
  if ((param['to'] === undefined) === (param['groupId'] === undefined)) throw badRequest('name exactly one of to (a user code) and groupId');
  if (param['groupId'] !== undefined) return { kind: 'GROUP', id: groupId(param, 'groupId') };
  const [user] = await usersOf(ctx, [{ code: codeParam(param['to'], 'to') }], false);
  return { kind: 'USER', id: user!.id };
}

type Action = (ctx: ActionContext, param: Json, frame: Json) => Promise<Reply>;

export const actions: Record<string, Action> = {
  async createGroup(ctx, param) {
    const name = text(param, 'name', { required: true, max: 64 })!;
    const wanted = members(param, { nickNames: true }).filter((m) => m.code !== ctx.user!.code);
    const users = wanted.length > 0 ? await usersOf(ctx, wanted, true) : [];
    const created = await query(
      ctx,
      true,
      `mutation Create($input: CreateGroupInput!) {
        result: createGroup(input: $input) { ...Failure ... on CreatedGroup { group { id } invitees { id outcome code reason } } }
      }`,
      { input: { name, memberIds: users.map((u) => u.id) } },
    );
    const owner = { id: ctx.user!.id, code: ctx.user!.code, outcome: 'JOINED' };
    return ok([owner, ...memberResults(created.invitees, users)], { groupId: created.group.id });
  },

  async addGroupMembers(ctx, param) {
    const g = groupId(param);
    const users = await usersOf(ctx, members(param, { nickNames: true }), true);
    const { data } = await query(ctx, true, MEMBERS('inviteGroupMembers'), { g, u: users.map((u) => u.id) });
    return ok(memberResults(data, users));
  },

  async removeGroupMembers(ctx, param) {
    const g = groupId(param);
    const users = await usersOf(ctx, members(param, { nickNames: false }), false);
    const { data } = await query(ctx, true, MEMBERS('kickGroupMembers'), { g, u: users.map((u) => u.id) });
    return ok(memberResults(data, users));
  },

  async deleteGroup(ctx, param) {
    await query(ctx, true, `mutation Destroy($g: ID!) { result: destroyGroup(groupId: $g) { ...Failure ... on MutationDestroyGroupSuccess { data } } }`, {
      g: groupId(param),
    });
    return ok();
  },

  async updateGroup(ctx, param) {
    const g = groupId(param);
    const name = text(param, 'name', { required: true, max: 64 });
    await query(
      ctx,
      true,
      `mutation Update($g: ID!, $input: UpdateGroupInfoInput!) { result: updateGroupInfo(groupId: $g, input: $input) { ...Failure ... on Group { id } } }`,
      { g, input: { name } },
    );
    return ok();
  },

  // The document puts the text beside the action (`{action, content}`); `param` names the conversation.
  async sendMessage(ctx, param, frame) {
    const content = frame['content'] ?? param['content'];
    if (typeof content !== 'string' || content === '') throw badRequest('content must be a non-empty string');
    const target = await conversationOf(ctx, param);
    const transactionId = text(param, 'transactionId', { max: 64 });
    const { messages } = await query(
      ctx,
      true,
      `mutation Send($input: SendMessageInput!) { result: sendMessage(input: $input) { ...Failure ... on SendMessagePayload { messages { ${MESSAGE} } } } }`,
      { input: { toKind: target.kind, targets: [target.id], contentType: 'TEXT', content, transactionId } },
    );
    return ok(messageData(messages[0]));
  },

  // Messages of one conversation after `startIndex` (a seq; none: from the first), oldest first.
  async history(ctx, param) {
    const target = await conversationOf(ctx, param);
    const start = param['startIndex'];
    if (start !== undefined && start !== '' && !(Number.isSafeInteger(Number(start)) && /^\d+$/.test(String(start)))) throw badRequest('startIndex must be a seq (0 or more)');
    const limit = param['limit'] ?? 100;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > 100) throw badRequest('limit must be 1 to 100');
    const page = await query(
      ctx,
      true,
      `query History($c: ConversationInput!, $after: String, $first: Int!) {
        result: messages(conversation: $c, after: $after, first: $first) { edges { node { ${MESSAGE} } } pageInfo { hasNextPage } }
      }`,
      { c: target.kind === 'USER' ? { userId: target.id } : { groupId: target.id }, after: start === undefined || start === '' ? undefined : String(start), first: limit },
    );
    const items = page.edges.map((e: Json) => messageData(e.node));
    return ok(items, { hasMore: page.pageInfo.hasNextPage });
  },
};

export const unknownAction = (action: unknown): Reply =>
  refused(UNKNOWN_ACTION, `unknown action ${JSON.stringify(action)}: one of login, ${Object.keys(actions).join(', ')}`);
