import type { User } from '../../domain/accounts/users.js';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../../domain/errors.js';
import { blockUser, countBlocked, listBlocked, unblockUser } from '../../domain/roster/blocks.js';
import { contact, contacts, countFriends, listFriendIds, removeFriend, updateFriend } from '../../domain/roster/friends.js';
import { Relation, type Contact } from '../../domain/roster/relations.js';
import {
  acceptFriendRequest,
  applyFriend,
  applyFriends,
  countFriendRequests,
  declineFriendRequest,
  findFriendRequest,
  listFriendRequests,
  type ApplyResult,
  type BatchApplyResult,
  type FriendRequest,
} from '../../domain/roster/requests.js';
import { findUserBy, mayMessage, setStrangerMessages } from '../../domain/roster/search.js';
import { REQUEST_STATUS, type RequestStatus as RequestStatusValue } from '../../domain/requests.js';
import { entityId, parseInput } from '../../domain/validation.js';
import type { Context } from '../../context.js';
import { builder, jsonText, jsonValue } from '../builder.js';
import { connectionOf, counted, forwardConnection } from '../pagination.js';
import { EventInterface, registerEventType, type Delivered } from './event.js';
import { UserRef, UserConnection } from './user.js';

const RelationEnum = builder.enumType('Relation', {
  description: "The viewer's relation to a user.",
  values: {
    FRIEND: { value: Relation.FRIEND, description: 'The two are friends.' },
    DELETED: { value: Relation.DELETED, description: 'Was a friend; the friendship was ended.' },
    STRANGER: { value: Relation.STRANGER, description: 'Never friends.' },
    BLOCKED: { value: Relation.BLOCKED, description: 'The viewer has blocked this user.' },
  } as const,
});

/** A domain contact together with its user, loaded in a batch. */
type ContactView = Contact & { user: User };

const ContactRef = builder.objectRef<ContactView>('Contact').implement({
  description: "A user as the viewer sees them: the public profile, the relation, and the viewer's own notes.",
  fields: (t) => ({
    user: t.field({ type: UserRef, description: 'The user.', resolve: (c) => c.user }),
    relation: t.field({ type: RelationEnum, description: "The viewer's relation to the user.", resolve: (c) => c.relation }),
    alias: t.string({ nullable: true, description: "The viewer's name for this user; null when none.", resolve: (c) => c.row?.alias ?? null }),
    ext: t.field({
      type: 'JSON',
      nullable: true,
      description: 'App-defined data the viewer keeps for this user; null when none.',
      resolve: (c) => jsonValue(c.row?.ext),
    }),
    muteNotification: t.boolean({
      description: "Whether the viewer's devices stay silent for this user's messages.",
      resolve: (c) => c.row?.muteNotification ?? false,
    }),
  }),
});

const ContactConnection = connectionOf(ContactRef, { name: 'Contact', description: "A page of the viewer's contacts." });

/** Attaches users to contacts in one batch, dropping ids that are not users of the viewer's app. */
async function withUsers(list: Contact[], { loaders }: Context): Promise<ContactView[]> {
  const found = await loaders.user.loadMany(list.map((c) => c.userId));
  return list.flatMap((c, i) => {
    const user = found[i];
    return user && !(user instanceof Error) ? [{ ...c, user }] : [];
  });
}

/** The viewer's contact with one user as it is now (after a change). */
async function contactView(ctx: Context, userId: string | number): Promise<ContactView> {
  const id = parseInput(entityId, userId, 'userId');
  ctx.loaders.user.clear(id);
  const [view] = await withUsers([await contact(ctx.deps, ctx.viewer, id)], ctx);
  // Unblocking someone who does not exist changes nothing, but there is no contact to answer.
  if (!view) throw new NotFoundError('USER_NOT_FOUND', `user ${id} does not exist`);
  return view;
}

const RequestStatus = builder.enumType('FriendRequestStatus', {
  description: 'Where a friend request stands.',
  values: {
    PENDING: { value: REQUEST_STATUS.PENDING, description: 'Waiting for the other user to answer (see `expired`).' },
    ACCEPTED: { value: REQUEST_STATUS.ACCEPTED, description: 'Accepted: the two are friends.' },
    DECLINED: { value: REQUEST_STATUS.DECLINED, description: 'Declined (see `declineReason`).' },
  } as const,
});

const FriendRequestRef = builder.objectRef<FriendRequest>('FriendRequest').implement({
  description: 'A request to become friends.',
  fields: (t) => ({
    id: t.exposeID('id', { description: '64-bit request id, as a decimal string.' }),
    from: t.field({ type: UserRef, description: 'Who asked.', resolve: async (r, _a, { loaders }) => (await loaders.user.load(r.fromUserId))! }),
    to: t.field({ type: UserRef, description: 'Who was asked.', resolve: async (r, _a, { loaders }) => (await loaders.user.load(r.toUserId))! }),
    reason: t.exposeString('reason', { description: 'What the asker wrote; empty when nothing.' }),
    status: t.field({ type: RequestStatus, description: 'Where the request stands.', resolve: (r) => r.status as RequestStatusValue }),
    expired: t.boolean({
      description: 'A pending request past its expiry can no longer be accepted.',
      resolve: (r) => r.status === 0 && r.expiresAt <= new Date(),
    }),
    expiresAt: t.expose('expiresAt', { type: 'Timestamp', description: 'When a pending request stops being acceptable.' }),
    declineReason: t.exposeString('declineReason', { nullable: true, description: 'Why it was declined; null unless declined with a reason.' }),
    createdAt: t.expose('createdAt', { type: 'Timestamp', description: 'When it was sent.' }),
  }),
});

const FriendRequestConnection = connectionOf(FriendRequestRef, { name: 'FriendRequest', description: 'A page of friend requests, newest first.' });

const ApplyStatus = builder.enumType('ApplyFriendStatus', {
  description: 'What a friend request led to at once.',
  values: {
    FRIENDS: { description: 'The two are friends now.' },
    PENDING: { description: 'The request waits for the other user to answer.' },
  } as const,
});

const ApplyFriendPayloadRef = builder.objectRef<ApplyResult>('ApplyFriendPayload').implement({
  description: 'The request was made.',
  fields: (t) => ({
    status: t.field({ type: ApplyStatus, description: 'Friends at once, or waiting.', resolve: (r) => r.status }),
    request: t.field({ type: FriendRequestRef, nullable: true, description: 'The pending request; null when the two became friends at once.', resolve: (r) => r.request ?? null }),
  }),
});

const ApplyFriendsPayloadRef = builder.objectRef<BatchApplyResult>('ApplyFriendsPayload').implement({
  description: 'What became of each request of a batch.',
  fields: (t) => ({
    succeeded: t.idList({ description: 'Users now friends or asked.', resolve: (r) => r.succeeded }),
    failed: t.field({
      type: [
        builder.objectRef<BatchApplyResult['failed'][number]>('ApplyFriendFailure').implement({
          description: 'A user of a batch who could not be asked.',
          fields: (f) => ({
            userId: f.exposeID('userId', { description: 'The user.' }),
            reason: f.exposeString('reason', { description: 'Why not.' }),
          }),
        }),
      ],
      description: 'Users who could not be asked, with the reason.',
      resolve: (r) => r.failed,
    }),
  }),
});

const ApplyFriendInput = builder.inputType('ApplyFriendInput', {
  description: 'A friend request to make.',
  fields: (t) => ({
    userId: t.id({ required: true, description: 'The user to ask.' }),
    reason: t.string({ description: 'Shown to the other user.' }),
    alias: t.string({ description: "The viewer's name for the user once they are friends." }),
    authAnswer: t.string({ description: 'The answer to their question, when they ask one (auth mode QUESTION).' }),
  }),
});

const RequestDirection = builder.enumType('FriendRequestDirection', {
  description: 'Which friend requests of the viewer to list.',
  values: {
    RECEIVED: { description: 'Requests others sent to the viewer.' },
    SENT: { description: 'Requests the viewer sent.' },
  } as const,
});

const idCursor = (id: number) => String(id);
const afterId = (after: string | undefined, field = 'after') =>
  after === undefined ? undefined : parseInput(entityId, after, field);

builder.queryFields((t) => ({
  friends: t.connection(
    {
      type: ContactRef,
      description: "The viewer's friends, by user id.",
      authScopes: { user: true },
      resolve: async (_root, args, ctx) => {
        const page = await forwardConnection(args, (after, limit) => listFriendIds(ctx.deps, ctx.viewer, { after: afterId(after), limit }), idCursor);
        const views = await withUsers(await contacts(ctx.deps, ctx.viewer, page.edges.map((e) => e.node)), ctx);
        return counted(
          { ...page, edges: views.map((node) => ({ cursor: idCursor(node.userId), node })) },
          () => countFriends(ctx.deps, ctx.viewer),
        );
      },
    },
    ContactConnection,
  ),
  contacts: t.field({
    type: [ContactRef],
    description: 'The viewer’s relation to each of the given users, in the order asked; ids of no user of the app are left out.',
    authScopes: { user: true },
    args: { userIds: t.arg.idList({ required: true, description: 'Up to 200 user ids.' }) },
    resolve: async (_root, { userIds }, ctx) => withUsers(await contacts(ctx.deps, ctx.viewer, userIds), ctx),
  }),
  searchUser: t.field({
    type: ContactRef,
    nullable: true,
    description: "Finds a user of the viewer's app by exactly one of id, username or mobile; null when none.",
    authScopes: { user: true },
    args: {
      userId: t.arg.id({ description: 'The user id.' }),
      username: t.arg.string({ description: 'The exact username.' }),
      mobile: t.arg.string({ description: 'The exact mobile number.' }),
    },
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
  friendRequests: t.connection(
    {
      type: FriendRequestRef,
      description: 'Friend requests the viewer received (or sent), newest first.',
      authScopes: { user: true },
      args: { direction: t.arg({ type: RequestDirection, defaultValue: 'RECEIVED', description: 'Received (default) or sent.' }) },
      resolve: async (_root, args, { deps, viewer }) => {
        const direction = args.direction ?? 'RECEIVED';
        const page = await forwardConnection(
          args,
          (after, limit) => listFriendRequests(deps, viewer, { direction, before: afterId(after), limit }),
          (r) => idCursor(r.id),
        );
        return counted(page, () => countFriendRequests(deps, viewer, direction));
      },
    },
    FriendRequestConnection,
  ),
  blockedUsers: t.connection(
    {
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
        return counted({ ...page, edges }, () => countBlocked(deps, viewer));
      },
    },
    UserConnection,
  ),
  mayMessage: t.boolean({
    description:
      'Whether fromUserId (the viewer unless an admin asks) may message userId: blocks, and whether the app lets strangers message.',
    authScopes: { signedIn: true },
    args: {
      userId: t.arg.id({ required: true, description: 'The receiver.' }),
      fromUserId: t.arg.id({ description: 'The sender; only an admin may name one (default: the viewer).' }),
    },
    resolve: (_root, { userId, fromUserId }, { deps, viewer }) => mayMessage(deps, viewer, userId, fromUserId ?? undefined),
  }),
}));

const optional = <T>(value: T | null | undefined) => value ?? undefined;

/** A payload answering the viewer's contact with one user, as it is after the change. */
const contactPayload = (name: string, description: string) =>
  builder.objectRef<ContactView>(name).implement({
    description,
    fields: (t) => ({ contact: t.field({ type: ContactRef, description: 'The viewer’s contact with the user, as it is now.', resolve: (c) => c }) }),
  });

const USER_ID = 'The other user.';

builder.mutationFields((t) => ({
  applyFriend: t.field({
    type: ApplyFriendPayloadRef,
    description: "Asks a user to be friends; their auth mode decides whether at once, after approval, or never.",
    authScopes: { user: true },
    errors: { types: [InvalidInputError, NotFoundError, ConflictError, ForbiddenError] },
    args: { input: t.arg({ type: ApplyFriendInput, required: true, description: 'The request.' }) },
    resolve: (_root, { input }, { deps, viewer }) =>
      applyFriend(deps, viewer, {
        userId: input.userId,
        reason: optional(input.reason),
        alias: optional(input.alias),
        authAnswer: optional(input.authAnswer),
      }),
  }),
  applyFriends: t.field({
    type: ApplyFriendsPayloadRef,
    description: 'Asks up to 100 users to be friends; each succeeds or fails on its own.',
    authScopes: { user: true },
    errors: { types: [InvalidInputError] },
    args: { input: t.arg({ type: [ApplyFriendInput], required: true, description: 'The requests, 1 to 100.' }) },
    resolve: (_root, { input }, { deps, viewer }) =>
      applyFriends(
        deps,
        viewer,
        input.map((i) => ({ userId: i.userId, reason: optional(i.reason), alias: optional(i.alias) })),
      ),
  }),
  acceptFriendRequest: t.field({
    type: contactPayload('AcceptFriendRequestPayload', 'The two are friends.'),
    description: 'Accepts the pending friend request of a user.',
    authScopes: { user: true },
    errors: { types: [InvalidInputError, NotFoundError, ConflictError] },
    args: { userId: t.arg.id({ required: true, description: 'Who asked.' }) },
    resolve: async (_root, { userId }, ctx) => (await acceptFriendRequest(ctx.deps, ctx.viewer, userId), contactView(ctx, userId)),
  }),
  declineFriendRequest: t.field({
    type: contactPayload('DeclineFriendRequestPayload', 'The request is declined.'),
    description: 'Declines the pending friend request of a user, with a reason they will see.',
    authScopes: { user: true },
    errors: { types: [InvalidInputError, NotFoundError, ConflictError] },
    args: {
      userId: t.arg.id({ required: true, description: 'Who asked.' }),
      reason: t.arg.string({ description: 'Shown to the asker.' }),
    },
    resolve: async (_root, { userId, reason }, ctx) => (await declineFriendRequest(ctx.deps, ctx.viewer, userId, reason ?? ''), contactView(ctx, userId)),
  }),
  removeFriend: t.field({
    type: contactPayload('RemoveFriendPayload', 'The friendship ended.'),
    description: 'Ends a friendship, for both sides.',
    authScopes: { user: true },
    errors: { types: [InvalidInputError, NotFoundError] },
    args: { userId: t.arg.id({ required: true, description: USER_ID }) },
    resolve: async (_root, { userId }, ctx) => (await removeFriend(ctx.deps, ctx.viewer, userId), contactView(ctx, userId)),
  }),
  updateFriend: t.field({
    type: contactPayload('UpdateFriendPayload', 'The viewer’s notes on the friend changed.'),
    description: "Changes the viewer's alias, ext or mute flag for a friend; absent arguments stay as they are.",
    authScopes: { user: true },
    errors: { types: [InvalidInputError, NotFoundError] },
    args: {
      userId: t.arg.id({ required: true, description: 'The friend.' }),
      alias: t.arg.string({ description: "The viewer's name for the friend." }),
      ext: t.arg({ type: 'JSON', description: 'App-defined data, up to 4096 characters as JSON text; null clears it.' }),
      muteNotification: t.arg.boolean({ description: "Whether the viewer's devices stay silent for the friend's messages." }),
    },
    resolve: async (_root, args, ctx) => {
      const updated = await updateFriend(ctx.deps, ctx.viewer, {
        userId: args.userId,
        alias: optional(args.alias),
        ext: jsonText(args.ext),
        muteNotification: optional(args.muteNotification),
      });
      return (await withUsers([updated], ctx))[0]!;
    },
  }),
  blockUser: t.field({
    type: contactPayload('BlockUserPayload', 'The user is blocked.'),
    description: 'Blocks a user: no friend requests or messages from them.',
    authScopes: { user: true },
    errors: { types: [InvalidInputError, NotFoundError] },
    args: { userId: t.arg.id({ required: true, description: USER_ID }) },
    resolve: async (_root, { userId }, ctx) => (await blockUser(ctx.deps, ctx.viewer, userId), contactView(ctx, userId)),
  }),
  unblockUser: t.field({
    type: contactPayload('UnblockUserPayload', 'The user is no longer blocked.'),
    description: 'Unblocks a user; unblocking one who is not blocked changes nothing. An unknown user: NotFoundError USER_NOT_FOUND.',
    authScopes: { user: true },
    errors: { types: [InvalidInputError, NotFoundError] },
    args: { userId: t.arg.id({ required: true, description: USER_ID }) },
    resolve: async (_root, { userId }, ctx) => (await unblockUser(ctx.deps, ctx.viewer, userId), contactView(ctx, userId)),
  }),
  setStrangerMessages: t.field({
    type: builder.objectRef<{ allowed: boolean }>('SetStrangerMessagesPayload').implement({
      description: "The app's rule for messages between strangers.",
      fields: (f) => ({ allowed: f.exposeBoolean('allowed', { description: 'Whether strangers may now message each other.' }) }),
    }),
    description: 'Admins only: whether users who are not friends may message each other (blocks apply either way).',
    authScopes: { admin: true },
    errors: { types: [InvalidInputError] },
    args: { allowed: t.arg.boolean({ required: true, description: 'True lets strangers message each other.' }) },
    resolve: async (_root, { allowed }, { deps, viewer }) => ({ allowed: await setStrangerMessages(deps, viewer, allowed) }),
  }),
}));

// Live events: the other user of each event is loaded fresh.
type Of<T extends Delivered['type']> = Extract<Delivered, { type: T }>;
const otherUser = async (e: { userId: number }, _args: unknown, { loaders }: Context) => (await loaders.user.load(e.userId))!;
const requestOf = async (e: Delivered<{ type: string; requestId: number }>, _args: unknown, { deps }: Context) =>
  (await findFriendRequest(deps.db, e.receiver.appId, e.requestId))!;

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
      request: t.field({ type: FriendRequestRef, description: 'The request.', resolve: requestOf }),
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
    blocked: t.exposeBoolean('blocked', { description: 'True when blocked, false when unblocked.' }),
  }),
});

