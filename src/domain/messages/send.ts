import DataLoader from 'dataloader';
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '../../db/client.js';
import { runPrepared, toNumber, toNumberOrNull } from '../../db/raw.js';
import { conversations, groupMembers, groups, RELATION, users } from '../../db/schema/index.js';
import { CONVERSATION } from './vocabulary.js';
import type { Deps } from '../deps.js';
import { AuthenticationError, ForbiddenError, InvalidInputError, NotFoundError } from '../errors.js';
import { maySend } from '../groups/access.js';
import { messagingRefusalOf } from '../roster/relations.js';
import * as v from '../validation.js';
import { entityId, parseInput } from '../validation.js';
import type { Viewer } from '../viewer.js';
import { checkAttachment } from '../files/attachment.js';
import { groupConversation } from './groups.js';
import { directConversation, type Message, type Target } from './model.js';
import { writerOf, type Admitted } from './writer.js';
import type { BusCache } from '../bus-cache.js';
import { checkCache } from './check-cache.js';

const MAX_CONTENT = 10_000;
const MAX_JSON = 8_192;

const sendInput = z
  .object({
    toKind: z.union([z.literal(CONVERSATION.DIRECT), z.literal(CONVERSATION.GROUP)], { error: 'must be 1 (users) or 2 (groups)' }),
    targets: z.array(entityId).min(1, 'must name at least one target').max(100, 'must have at most 100 targets'),
    contentType: z.number().int().min(0, 'must be 0 to 7').max(7, 'must be 0 to 7'),
    content: z.string().max(MAX_CONTENT, `must be at most ${MAX_CONTENT} characters`).default(''),
    attachment: v.jsonText(MAX_JSON).default(''),
    config: v.jsonText(MAX_JSON).default(''),
    ext: v.jsonText(MAX_JSON).default(''),
    mentions: z
      .array(entityId)
      .max(100, 'must have at most 100 users')
      .default([])
      .transform((ids) => [...new Set(ids)]),
    mentionAll: z.boolean().default(false),
    transactionId: z.string().min(1, 'must not be empty').max(64, 'must be at most 64 characters').optional(),
    /** A file reference (signature or download URL) for IMAGE, AUDIO, VIDEO and FILE messages. */
    file: z.string().min(1, 'must not be empty').max(4096, 'must be at most 4096 characters').optional(),
  })
  .refine((m) => m.contentType !== 0 || m.content.trim() !== '', { path: ['content'], message: 'a text message needs content' })
  .refine((m) => new Set(m.targets).size === m.targets.length, { path: ['targets'], message: 'must not repeat a target' });
export type SendInput = z.input<typeof sendInput>;
type Parsed = z.output<typeof sendInput>;

/** Who a send is from, and whether the rules between users apply to it. */
export interface Sender {
  appId: string;
  userId: number | null;
  deviceSn: number | null;
  /** Admins (and system notices) are not held to blocks and the stranger policy. */
  privileged: boolean;
}

/**
 * Sends one message to each target (users, or groups: never both). Every target is checked
 * before anything is sent; the messages then commit with other sends (group commit), each on its
 * own terms. With a transaction id, a retry answers the messages of the first attempt instead of
 * sending again, even when concurrent.
 */
export async function sendMessage(deps: Deps, viewer: Viewer, input: SendInput & { fromUserId?: string | number }): Promise<Message[]> {
  const message = parseInput(sendInput, input);
  const sender = await senderOf(deps, viewer, input.fromUserId);
  return deliver(deps, sender, message);
}

/** Admin: a system notice, from nobody (or from `fromUserId`), to users or groups. */
export async function sendNotice(deps: Deps, viewer: Viewer, input: SendInput & { fromUserId?: string | number }): Promise<Message[]> {
  if (viewer.kind !== 'admin') throw new ForbiddenError('system notices need an admin token');
  const message = parseInput(sendInput, input);
  const fromUserId = input.fromUserId === undefined ? null : parseInput(entityId, input.fromUserId, 'fromUserId');
  if (fromUserId !== null) await requireSender(deps, viewer.appId, fromUserId);
  return deliver(deps, { appId: viewer.appId, userId: fromUserId, deviceSn: null, privileged: true }, message, true);
}

async function deliver(deps: Deps, sender: Sender, message: Parsed, system = false): Promise<Message[]> {
  const admitted = await admit(deps, sender, message, system);
  return Promise.all(writerOf(deps).write(admitted));
}

export async function senderOf(deps: Deps, viewer: Viewer, fromUserId: string | number | undefined): Promise<Sender> {
  if (viewer.kind === 'anonymous') throw new AuthenticationError('TOKEN_MISSING', 'an access token is required');
  if (viewer.kind === 'admin') {
    if (fromUserId === undefined) throw new InvalidInputError('fromUserId', 'an admin sends as a user: name the user');
    const userId = parseInput(entityId, fromUserId, 'fromUserId');
    await requireSender(deps, viewer.appId, userId);
    return { appId: viewer.appId, userId, deviceSn: null, privileged: true };
  }
  if (fromUserId !== undefined && parseInput(entityId, fromUserId, 'fromUserId') !== viewer.userId) {
    throw new ForbiddenError('only an admin token may send as another user');
  }
  if (viewer.viaAdmin) await requireSender(deps, viewer.appId, viewer.userId);
  return { appId: viewer.appId, userId: viewer.userId, deviceSn: viewer.deviceSn, privileged: viewer.viaAdmin };
}

async function requireSender(deps: Deps, appId: string, userId: number) {
  const [user] = await deps.db
    .select({ disabledAt: users.disabledAt })
    .from(users)
    .where(and(eq(users.appId, appId), eq(users.id, userId)));
  if (!user) throw new NotFoundError('USER_NOT_FOUND', `user ${userId} does not exist`);
  if (user.disabledAt) throw new AuthenticationError('USER_DISABLED', `user ${userId} is disabled`);
}

/**
 * The validation phase: everything that may refuse a send runs here, before it joins a batch, so
 * a batch fails only for reasons the database alone knows. Checks of the message itself that need
 * the database (file references in attachments, say) belong here too. Each kind of target is
 * checked in one query, which also finds the conversations; a conversation's first message
 * creates it first (with its members).
 */
async function admit(deps: Deps, sender: Sender, m: Parsed, system: boolean): Promise<Admitted[]> {
  const conversations =
    m.toKind === CONVERSATION.GROUP ? await groupTargets(deps, sender, m.targets, m.mentions) : await userTargets(deps, sender, m.targets, m.mentions);
  const files = await Promise.all(m.targets.map((id) => checkAttachment(deps, sender, { kind: m.toKind, id }, m)));
  return conversations.map((conversation, i) => ({
    conversation,
    fromUserId: sender.userId,
    fromDeviceSn: sender.deviceSn,
    toKind: m.toKind,
    toId: m.targets[i]!,
    contentType: m.contentType,
    content: m.content,
    attachment: m.attachment,
    config: m.config,
    ext: m.ext,
    mentions: m.mentions,
    mentionAll: m.mentionAll,
    system,
    transactionId: m.transactionId ?? null,
    fileRefId: files[i]!,
  }));
}

/** Whether the sender may send to a target, checked without sending (upload slots, forwarding). */
export async function checkTarget(deps: Deps, sender: Sender, target: Target): Promise<void> {
  if (target.kind === CONVERSATION.GROUP) await checkGroups(deps, sender, [target.id]);
  else await checkUsers(deps, sender, [target.id]);
}

type Destination = Admitted['conversation'];

// Per (sender, target user) pair: whether the target blocked the sender, whether they are friends,
// the app's stranger policy, and their 1:1 conversation. Without a sender (a system notice) the
// conversation is the target's with itself: least/greatest ignore the null. The pairs of every
// send admitted in the same turn of the event loop are checked in one statement (see checksOf).
const USER_TARGETS = `select t.i, u.id, a.stranger_messages,
    exists(select 1 from blocks b where b.user_id = u.id and b.blocked_id = t.sender) as blocked,
    exists(select 1 from roster r where r.user_id = t.sender and r.friend_id = u.id and r.relation = ${RELATION.FRIEND}) as friends,
    c.id as conversation_id
  from unnest($1::text[], $2::bigint[], $3::bigint[]) with ordinality as t(app_id, sender, target, i)
  join users u on u.app_id = t.app_id and u.id = t.target
  join apps a on a.id = u.app_id
  left join conversations c on c.app_id = u.app_id and c.kind = ${CONVERSATION.DIRECT}
    and c.user_low = least(u.id, t.sender) and c.user_high = greatest(u.id, t.sender)`;

type UserCheck = { stranger_messages: boolean; blocked: boolean; friends: boolean; conversation_id: unknown };
type GroupCheck = { group: typeof groups.$inferSelect; member: typeof groupMembers.$inferSelect | null; conversationId: number | null; outsider: unknown };
/** A sender and a target; for a group, the users the message mentions (each must be a member). */
type Pair = { appId: string; sender: number | null; target: number; mentions?: number[] };

// The group, the sender's membership and the group's conversation, for every (sender, group) pair
// of the sends admitted in the same turn of the event loop.
const groupTargetsQuery = (db: Queryable) =>
  db
    .select({
      i: sql<string>`t.i`,
      group: groups,
      member: groupMembers,
      conversationId: conversations.id,
      // The first mentioned user who is not a member (of the group's app, or at all): in the same query, not one per mention.
      outsider: sql<unknown>`(select min(m) from unnest(t.mentions::bigint[]) m
        where not exists (select 1 from group_members gm where gm.group_id = ${groups.id} and gm.user_id = m))`,
    })
    .from(
      sql`unnest(${sql.placeholder('apps')}::text[], ${sql.placeholder('senders')}::bigint[], ${sql.placeholder('targets')}::bigint[], ${sql.placeholder('mentions')}::text[])
        with ordinality as t(app_id, sender, target, mentions, i)`,
    )
    .innerJoin(groups, sql`${groups.appId} = t.app_id and ${groups.id} = t.target`)
    .leftJoin(groupMembers, sql`${groupMembers.groupId} = ${groups.id} and ${groupMembers.userId} = t.sender`)
    .leftJoin(
      conversations,
      and(eq(conversations.appId, groups.appId), eq(conversations.kind, CONVERSATION.GROUP), eq(conversations.groupId, groups.id)),
    )
    .prepare('group_targets');

/**
 * The target checks of a server. Sends arrive one request (or one WebSocket frame) at a time;
 * each turn of the event loop's checks run as one statement per kind of target, not one per send
 * (the same rows, read in one snapshot per statement as before, so nothing is cached or stale).
 */
interface Checks {
  users: DataLoader<Pair, UserCheck | undefined, string>;
  groups: DataLoader<Pair, GroupCheck | undefined, string>;
  /** Rows found, by pair (check-cache.ts): a chat's steady traffic runs no check statement. */
  cached: { users: BusCache<UserCheck>; groups: BusCache<GroupCheck> };
}
const checks = new WeakMap<Queryable, Checks>();

function checksOf(deps: Deps): Checks {
  let found = checks.get(deps.db);
  if (found) return found;
  const options = { cache: false, batchScheduleFn: (run: () => void) => setImmediate(run), maxBatchSize: 1000 };
  const columns = (pairs: readonly Pair[]) => [pairs.map((p) => p.appId), pairs.map((p) => p.sender), pairs.map((p) => p.target)] as const;
  const byIndex = <T extends { i: unknown }>(rows: T[], count: number) => {
    const out: (T | undefined)[] = new Array(count).fill(undefined);
    for (const row of rows) out[toNumber(row.i) - 1] = row;
    return out;
  };
  const groupQuery = groupTargetsQuery(deps.db);
  found = {
    cached: { users: checkCache<UserCheck>(deps), groups: checkCache<GroupCheck>(deps) },
    users: new DataLoader(async (pairs) => {
      const [apps, senders, targets] = columns(pairs);
      return byIndex(await runPrepared<UserCheck & { i: unknown }>(deps.db, USER_TARGETS, [apps, senders, targets]), pairs.length);
    }, options),
    groups: new DataLoader(async (pairs) => {
      const [apps, senders, targets] = columns(pairs);
      // Each pair's mentions as one array literal: unnest takes arrays of one dimension only.
      const mentions = pairs.map((p) => `{${(p.mentions ?? []).join(',')}}`);
      return byIndex(await groupQuery.execute({ apps, senders, targets, mentions }), pairs.length);
    }, options),
  };
  checks.set(deps.db, found);
  return found;
}

const pairKey = (p: Pair) => `${p.appId}\0${p.sender ?? ''}\0${p.target}\0${p.mentions?.join(',') ?? ''}`;

/**
 * Each pair's row: from the cache, else through the loader (one statement per turn of the event
 * loop). Only rows that name a conversation are kept: a first message creates it, so a row without
 * one is read again. An error fails only the pairs it was read for.
 */
async function rowsOf<T extends { [k: string]: unknown }>(
  loader: DataLoader<Pair, T | undefined, string>,
  cache: BusCache<T>,
  pairs: Pair[],
  conversationOf: (row: T) => unknown,
): Promise<(T | undefined | Error)[]> {
  const out: (T | undefined | Error)[] = pairs.map((p) => cache.get(pairKey(p)));
  const missing = pairs.flatMap((p, i) => (out[i] === undefined ? [i] : []));
  if (missing.length === 0) return out;
  const mark = cache.mark();
  const found = await loader.loadMany(missing.map((i) => pairs[i]!));
  missing.forEach((i, j) => {
    const row = found[j];
    out[i] = row;
    if (row !== undefined && !(row instanceof Error) && conversationOf(row) !== null && conversationOf(row) !== undefined) {
      cache.set(pairKey(pairs[i]!), row, mark);
    }
  });
  return out;
}

async function checkUsers(deps: Deps, sender: Sender, targets: number[]) {
  const checks = checksOf(deps);
  const pairs = targets.map((target) => ({ appId: sender.appId, sender: sender.userId, target }));
  const rows = await rowsOf(checks.users, checks.cached.users, pairs, (row) => row.conversation_id);
  const byId = new Map<number, UserCheck>();
  for (const [i, id] of targets.entries()) {
    const row = rows[i];
    if (row instanceof Error) throw row;
    if (!row) throw new NotFoundError('USER_NOT_FOUND', `user ${id} does not exist`);
    byId.set(id, row);
  }
  for (const id of targets) {
    const row = byId.get(id)!;
    if (id === sender.userId) throw new InvalidInputError('targets', 'you cannot message yourself');
    if (sender.privileged || sender.userId === null) continue;
    const refusal = messagingRefusalOf(id, { blocked: row.blocked, friends: row.friends, strangerMessages: row.stranger_messages });
    if (refusal) throw refusal;
  }
  return byId;
}

/** Mentions name members of the conversation: in a direct one, its two users. */
function checkDirectMentions(sender: Sender, target: number, mentions: number[]) {
  const outsider = mentions.find((id) => id !== target && id !== sender.userId);
  if (outsider !== undefined) throw mentionRefusal(outsider, `the conversation with user ${target}`);
}

const mentionRefusal = (userId: number, conversation: string) =>
  new InvalidInputError('mentions', `user ${userId} is not a member of ${conversation}: mentions name members only`);

async function userTargets(deps: Deps, sender: Sender, targets: number[], mentions: number[]): Promise<Destination[]> {
  for (const id of targets) checkDirectMentions(sender, id, mentions);
  const byId = await checkUsers(deps, sender, targets);
  return Promise.all(
    targets.map(async (id) => {
      const known = toNumberOrNull(byId.get(id)!.conversation_id);
      const [low, high] = [Math.min(id, sender.userId ?? id), Math.max(id, sender.userId ?? id)];
      if (known !== null) return { id: known, appId: sender.appId, kind: CONVERSATION.DIRECT, userLow: low, userHigh: high, groupId: null };
      return directConversation(deps.db, sender.appId, sender.userId ?? id, id);
    }),
  );
}

/**
 * Groups take messages from members only, not while they are banned or everyone is (the owner and
 * admins excepted), and never once dissolved. Admins of the app are not held to membership or bans.
 */
async function checkGroups(deps: Deps, sender: Sender, targets: number[], mentions: number[] = []) {
  const checks = checksOf(deps);
  const pairs = targets.map((target) => ({ appId: sender.appId, sender: sender.userId ?? 0, target, mentions }));
  const rows = await rowsOf(checks.groups, checks.cached.groups, pairs, (row) => row.conversationId);
  const byId = new Map<number, GroupCheck>();
  for (const [i, id] of targets.entries()) {
    const row = rows[i];
    if (row instanceof Error) throw row;
    if (row) byId.set(id, row);
  }
  for (const id of targets) {
    const row = byId.get(id);
    if (!row) throw new NotFoundError('GROUP_NOT_FOUND', `group ${id} does not exist`);
    if (row.group.dissolvedAt) throw new NotFoundError('GROUP_NOT_FOUND', `group ${id} was dissolved`);
    if (!sender.privileged && sender.userId !== null) {
      if (!row.member) throw new ForbiddenError(`you are not a member of group ${id}`, 'NOT_GROUP_MEMBER');
      if (!maySend(row.group, row.member)) throw new ForbiddenError(`you may not send to group ${id} while banned`, 'BANNED_IN_GROUP');
    }
    const outsider = toNumberOrNull(row.outsider);
    if (outsider !== null) throw mentionRefusal(outsider, `group ${id}`);
  }
  return byId;
}

async function groupTargets(deps: Deps, sender: Sender, targets: number[], mentions: number[]): Promise<Destination[]> {
  const byId = await checkGroups(deps, sender, targets, mentions);
  return Promise.all(
    targets.map(async (id) => {
      const known = byId.get(id)!.conversationId;
      if (known !== null) return { id: known, appId: sender.appId, kind: CONVERSATION.GROUP, userLow: null, userHigh: null, groupId: id };
      return groupConversation(deps.db, sender.appId, id);
    }),
  );
}
