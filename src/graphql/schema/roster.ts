import { eq } from 'drizzle-orm';
import { friendRequests } from '../../db/schema/index.js';
import type { User } from '../../domain/accounts/users.js';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../../domain/errors.js';
import { blockUser, listBlocked, unblockUser } from '../../domain/roster/blocks.js';
import { contacts, listFriendIds, removeFriend, updateFriend } from '../../domain/roster/friends.js';
import { Relation, type Contact } from '../../domain/roster/relations.js';
import {
  acceptFriendRequest,
  applyFriend,
  applyFriends,
  declineFriendRequest,
  listFriendRequests,
  type ApplyResult,
  type BatchApplyResult,
  type FriendRequest,
} from '../../domain/roster/requests.js';
import { findUserBy, mayMessage, setStrangerMessages } from '../../domain/roster/search.js';
import { entityId, parseInput } from '../../domain/validation.js';
import type { Context } from '../../context.js';
import { builder } from '../builder.js';
import { forwardConnection } from '../pagination.js';
import { EventInterface, registerEventType, type Delivered } from './event.js';
import { UserRef } from './user.js';

const RelationEnum = builder.enumType('Relation', {
  description: "The viewer's relation to a user.",
  values: {
    FRIEND: { value: Relation.FRIEND },
    DELETED: { value: Relation.DELETED, description: 'Was a friend; the friendship was ended.' },
    STRANGER: { value: Relation.STRANGER },
    BLOCKED: { value: Relation.BLOCKED, description: 'The viewer has blocked this user.' },
  } as const,
});

/** A domain contact together with its user, loaded in a batch. */
type ContactView = Contact & { user: User };

const ContactRef = builder.objectRef<ContactView>('Contact').implement({
  description: "A user as the viewer sees them: the public profile, the relation, and the viewer's own notes.",
  fields: (t) => ({
    user: t.field({ type: UserRef, resolve: (c) => c.user }),
    relation: t.field({ type: RelationEnum, resolve: (c) => c.relation }),
    alias: t.string({ nullable: true, description: "The viewer's name for this user.", resolve: (c) => c.row?.alias ?? null }),
    ext: t.string({ nullable: true, description: 'App-defined JSON text the viewer keeps for this user.', resolve: (c) => c.row?.ext ?? null }),
    muteNotification: t.boolean({ resolve: (c) => c.row?.muteNotification ?? false }),
  }),
});

/** Attaches users to contacts in one batch, dropping ids that are not users of the viewer's app. */
async function withUsers(list: Contact[], { loaders }: Context): Promise<ContactView[]> {
  const found = await loaders.user.loadMany(list.map((c) => c.userId));
  return list.flatMap((c, i) => {
    const user = found[i];
    return user && !(user instanceof Error) ? [{ ...c, user }] : [];
  });
}

const RequestStatus = builder.enumType('FriendRequestStatus', {
  values: { PENDING: { value: 0 }, ACCEPTED: { value: 1 }, DECLINED: { value: 2 } } as const,
});

const FriendRequestRef = builder.objectRef<FriendRequest>('FriendRequest').implement({
  description: 'A request to become friends.',
  fields: (t) => ({
    id: t.exposeID('id'),
    from: t.field({ type: UserRef, resolve: async (r, _a, { loaders }) => (await loaders.user.load(r.fromUserId))! }),
    to: t.field({ type: UserRef, resolve: async (r, _a, { loaders }) => (await loaders.user.load(r.toUserId))! }),
    reason: t.exposeString('reason'),
    status: t.field({ type: RequestStatus, resolve: (r) => r.status as 0 | 1 | 2 }),
    expired: t.boolean({
      description: 'A pending request past its expiry can no longer be accepted.',
      resolve: (r) => r.status === 0 && r.expiresAt <= new Date(),
    }),
    expiresAt: t.expose('expiresAt', { type: 'Timestamp' }),
    declineReason: t.exposeString('declineReason', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'Timestamp' }),
  }),
});

const ApplyStatus = builder.enumType('ApplyFriendStatus', {
  values: {
    FRIENDS: { description: 'The two are friends now.' },
    PENDING: { description: 'The request waits for the other user to answer.' },
  } as const,
});

const ApplyFriendPayloadRef = builder.objectRef<ApplyResult>('ApplyFriendPayload').implement({
  fields: (t) => ({
    status: t.field({ type: ApplyStatus, resolve: (r) => r.status }),
    request: t.field({ type: FriendRequestRef, nullable: true, resolve: (r) => r.request ?? null }),
  }),
});

const BatchApplyResultRef = builder.objectRef<BatchApplyResult>('BatchApplyFriendsResult').implement({
  fields: (t) => ({
    succeeded: t.idList({ description: 'Users now friends or asked.', resolve: (r) => r.succeeded }),
    failed: t.field({
      type: [
        builder.objectRef<BatchApplyResult['failed'][number]>('ApplyFriendFailure').implement({
          fields: (f) => ({ userId: f.exposeID('userId'), reason: f.exposeString('reason') }),
        }),
      ],
      resolve: (r) => r.failed,
    }),
  }),
});

const ApplyFriendInput = builder.inputType('ApplyFriendInput', {
  fields: (t) => ({
    userId: t.id({ required: true }),
    reason: t.string({ description: 'Shown to the other user.' }),
    alias: t.string({ description: "The viewer's name for the user once they are friends." }),
    authAnswer: t.string({ description: 'The answer to their question, when they ask one (auth mode 2).' }),
  }),
});

const RequestDirection = builder.enumType('FriendRequestDirection', { values: ['RECEIVED', 'SENT'] as const });

const idCursor = (id: number) => String(id);
const afterId = (after: string | undefined, field = 'after') =>
  after === undefined ? undefined : parseInput(entityId, after, field);

builder.queryFields((t) => ({
  friends: t.connection({
    type: ContactRef,
    description: "The viewer's friends, by user id.",
    authScopes: { user: true },
    resolve: async (_root, args, ctx) => {
      const page = await forwardConnection(args, (after, limit) => listFriendIds(ctx.deps, ctx.viewer, { after: afterId(after), limit }), idCursor);
      const views = await withUsers(await contacts(ctx.deps, ctx.viewer, page.edges.map((e) => e.node)), ctx);
      return { ...page, edges: views.map((node) => ({ cursor: idCursor(node.userId), node })) };
    },
  }),
  contacts: t.field({
    type: [ContactRef],
    description: 'The viewer’s relation to each of the given users (at most 200); unknown ids are left out.',
    authScopes: { user: true },
    args: { userIds: t.arg.idList({ required: true }) },
    resolve: async (_root, { userIds }, ctx) => withUsers(await contacts(ctx.deps, ctx.viewer, userIds), ctx),
  }),
  searchUser: t.field({
    type: ContactRef,
    nullable: true,
    description: "Finds a user of the viewer's app by exactly one of id, username or mobile; null when none.",
    authScopes: { user: true },
    args: { userId: t.arg.id(), username: t.arg.string(), mobile: t.arg.string() },
    resolve: async (_root, args, ctx) => {
      const id = await findUserBy(ctx.deps, ctx.viewer, {
        userId: args.userId ?? undefined,
        username: args.username ?? undefined,
        mobile: args.mobile ?? undefined,
      });
      if (id === undefined) return null;
      return (await withUsers(await contacts(ctx.deps, ctx.viewer, [id]), ctx))[0] ?? null;
    },
  }),
  friendRequests: t.connection({
    type: FriendRequestRef,
    description: 'Friend requests the viewer received (or sent), newest first.',
    authScopes: { user: true },
    args: { direction: t.arg({ type: RequestDirection, defaultValue: 'RECEIVED' }) },
    resolve: (_root, args, { deps, viewer }) =>
      forwardConnection(
        args,
        (after, limit) => listFriendRequests(deps, viewer, { direction: args.direction ?? 'RECEIVED', before: afterId(after), limit }),
        (r) => idCursor(r.id),
      ),
  }),
  blockedUsers: t.connection({
    type: UserRef,
    description: 'Users the viewer has blocked, by user id (up to 1000 a page).',
    authScopes: { user: true },
    resolve: async (_root, args, { deps, viewer, loaders }) => {
      const page = await forwardConnection(args, (after, limit) => listBlocked(deps, viewer, { after: afterId(after), limit }), idCursor, {
        maxPage: 1000,
      });
      const users = await loaders.user.loadMany(page.edges.map((e) => e.node));
      const edges = page.edges.flatMap((e, i) => {
        const user = users[i];
        return user && !(user instanceof Error) ? [{ cursor: e.cursor, node: user }] : [];
      });
      return { ...page, edges };
    },
  }),
  mayMessage: t.boolean({
    description:
      'Whether fromUserId (the viewer unless an admin asks) may message userId: blocks, and whether the app lets strangers message.',
    authScopes: { signedIn: true },
    args: { userId: t.arg.id({ required: true }), fromUserId: t.arg.id() },
    resolve: (_root, { userId, fromUserId }, { deps, viewer }) => mayMessage(deps, viewer, userId, fromUserId ?? undefined),
  }),
}));

const optional = <T>(value: T | null | undefined) => value ?? undefined;

builder.mutationFields((t) => ({
  applyFriend: t.field({
    type: ApplyFriendPayloadRef,
    description: "Asks a user to be friends; their auth mode decides whether at once, after approval, or never.",
    authScopes: { user: true },
    errors: { types: [InvalidInputError, NotFoundError, ConflictError, ForbiddenError] },
    args: { input: t.arg({ type: ApplyFriendInput, required: true }) },
    resolve: (_root, { input }, { deps, viewer }) =>
      applyFriend(deps, viewer, {
        userId: input.userId,
        reason: optional(input.reason),
        alias: optional(input.alias),
        authAnswer: optional(input.authAnswer),
      }),
  }),
  applyFriends: t.field({
    type: BatchApplyResultRef,
    description: 'Asks up to 100 users to be friends; each succeeds or fails on its own.',
    authScopes: { user: true },
    errors: { types: [InvalidInputError] },
    args: { input: t.arg({ type: [ApplyFriendInput], required: true }) },
    resolve: (_root, { input }, { deps, viewer }) =>
      applyFriends(
        deps,
        viewer,
        input.map((i) => ({ userId: i.userId, reason: optional(i.reason), alias: optional(i.alias) })),
      ),
  }),
  acceptFriendRequest: t.boolean({
    description: 'Accepts the pending friend request of a user.',
    authScopes: { user: true },
    errors: { types: [InvalidInputError, NotFoundError, ConflictError], directResult: false },
    args: { userId: t.arg.id({ required: true, description: 'Who asked.' }) },
    resolve: (_root, { userId }, { deps, viewer }) => acceptFriendRequest(deps, viewer, userId),
  }),
  declineFriendRequest: t.boolean({
    description: 'Declines the pending friend request of a user, with a reason they will see.',
    authScopes: { user: true },
    errors: { types: [InvalidInputError, NotFoundError, ConflictError], directResult: false },
    args: { userId: t.arg.id({ required: true, description: 'Who asked.' }), reason: t.arg.string() },
    resolve: (_root, { userId, reason }, { deps, viewer }) => declineFriendRequest(deps, viewer, userId, reason ?? ''),
  }),
  removeFriend: t.boolean({
    description: 'Ends a friendship, for both sides.',
    authScopes: { user: true },
    errors: { types: [InvalidInputError, NotFoundError], directResult: false },
    args: { userId: t.arg.id({ required: true }) },
    resolve: (_root, { userId }, { deps, viewer }) => removeFriend(deps, viewer, userId),
  }),
  updateFriend: t.field({
    type: ContactRef,
    description: "Changes the viewer's alias, ext or mute flag for a friend.",
    authScopes: { user: true },
    errors: { types: [InvalidInputError, NotFoundError] },
    args: {
      userId: t.arg.id({ required: true }),
      alias: t.arg.string(),
      ext: t.arg.string({ description: 'App-defined JSON text.' }),
      muteNotification: t.arg.boolean(),
    },
    resolve: async (_root, args, ctx) => {
      const updated = await updateFriend(ctx.deps, ctx.viewer, {
        userId: args.userId,
        alias: optional(args.alias),
        ext: optional(args.ext),
        muteNotification: optional(args.muteNotification),
      });
      return (await withUsers([updated], ctx))[0]!;
    },
  }),
  blockUser: t.boolean({
    description: 'Blocks a user: no friend requests or messages from them.',
    authScopes: { user: true },
    errors: { types: [InvalidInputError, NotFoundError], directResult: false },
    args: { userId: t.arg.id({ required: true }) },
    resolve: (_root, { userId }, { deps, viewer }) => blockUser(deps, viewer, userId),
  }),
  unblockUser: t.boolean({
    authScopes: { user: true },
    errors: { types: [InvalidInputError], directResult: false },
    args: { userId: t.arg.id({ required: true }) },
    resolve: (_root, { userId }, { deps, viewer }) => unblockUser(deps, viewer, userId),
  }),
  setStrangerMessages: t.boolean({
    description: 'Admin: whether users who are not friends may message each other (blocks apply either way).',
    authScopes: { admin: true },
    args: { allowed: t.arg.boolean({ required: true }) },
    resolve: (_root, { allowed }, { deps, viewer }) => setStrangerMessages(deps, viewer, allowed),
  }),
}));

// Live events: the other user of each event is loaded fresh.
type Of<T extends Delivered['type']> = Extract<Delivered, { type: T }>;
const otherUser = async (e: { userId: number }, _args: unknown, { loaders }: Context) => (await loaders.user.load(e.userId))!;
const requestOf = async (e: { requestId: number }, _args: unknown, { deps }: Context) =>
  (await deps.db.select().from(friendRequests).where(eq(friendRequests.id, e.requestId)))[0]!;

for (const [type, name, description, who] of [
  ['FRIEND_REQUEST_RECEIVED', 'FriendRequestReceivedEvent', 'Someone asked the viewer to be friends.', 'Who asked.'],
  ['FRIEND_REQUEST_ACCEPTED', 'FriendRequestAcceptedEvent', "The viewer's friend request was accepted.", 'Who accepted.'],
  ['FRIEND_REQUEST_DECLINED', 'FriendRequestDeclinedEvent', "The viewer's friend request was declined.", 'Who declined.'],
] as const) {
  registerEventType(type, name);
  builder.objectRef<Of<typeof type>>(name).implement({
    description,
    interfaces: [EventInterface],
    fields: (t) => ({
      user: t.field({ type: UserRef, description: who, resolve: otherUser }),
      request: t.field({ type: FriendRequestRef, resolve: requestOf }),
    }),
  });
}

for (const [type, name, description] of [
  ['FRIEND_ADDED', 'FriendAddedEvent', 'The viewer has a new friend.'],
  ['FRIEND_REMOVED', 'FriendRemovedEvent', 'A friendship of the viewer ended (either side ended it).'],
] as const) {
  registerEventType(type, name);
  builder.objectRef<Of<typeof type>>(name).implement({
    description,
    interfaces: [EventInterface],
    fields: (t) => ({ user: t.field({ type: UserRef, description: 'The other user.', resolve: otherUser }) }),
  });
}

registerEventType('BLOCKLIST_CHANGED', 'BlocklistChangedEvent');
builder.objectRef<Of<'BLOCKLIST_CHANGED'>>('BlocklistChangedEvent').implement({
  description: 'The viewer blocked or unblocked a user (on any device).',
  interfaces: [EventInterface],
  fields: (t) => ({
    user: t.field({ type: UserRef, description: 'The user blocked or unblocked.', resolve: otherUser }),
    blocked: t.exposeBoolean('blocked'),
  }),
});

