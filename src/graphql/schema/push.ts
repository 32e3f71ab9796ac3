import { ConflictError, InvalidInputError } from '../../domain/errors.js';
import { addPushTags, bindOpenId, listPushTags, removePushTags, setPushAlias, setPushBadge } from '../../domain/push/state.js';
import { requireUser, type Viewer } from '../../domain/viewer.js';
import type { Context } from '../../context.js';
import { builder } from '../builder.js';
import { UserRef } from './user.js';

/** What a push mutation answers: the viewer it changed, loaded when selected. */
type Changed = { viewer: Viewer };
/** The viewer as the mutation left them: cleared first, since an earlier field of the operation may have loaded them. */
const viewerUser = async ({ viewer }: Changed, _args: unknown, { loaders }: Context) => {
  const { userId } = requireUser(viewer);
  return (await loaders.user.clear(userId).load(userId))!;
};

const userPayload = (name: string, description: string) =>
  builder.objectRef<Changed>(name).implement({
    description,
    fields: (t) => ({ user: t.field({ type: UserRef, description: 'The viewer as it is now.', resolve: viewerUser }) }),
  });

const tagsPayload = (name: string, description: string) =>
  builder.objectRef<Changed>(name).implement({
    description,
    fields: (t) => ({
      tags: t.stringList({ description: "The viewer's push tags now, in order.", resolve: ({ viewer }, _args, { deps }) => listPushTags(deps, viewer) }),
    }),
  });

const BindOpenIdPayload = builder.objectRef<Changed & { openId: string; type: string }>('BindOpenIdPayload').implement({
  description: 'The third-party account id is bound to the viewer.',
  fields: (t) => ({
    user: t.field({ type: UserRef, description: 'The viewer.', resolve: viewerUser }),
    openId: t.exposeID('openId', { description: 'The third-party account id bound.' }),
    type: t.exposeString('type', { description: 'The kind of third-party account, as given.' }),
  }),
});

builder.queryField('pushTags', (t) =>
  t.stringList({
    description: "The viewer's push tags, in order (at most 100).",
    authScopes: { user: true },
    resolve: (_root, _args, { deps, viewer }) => listPushTags(deps, viewer),
  }),
);

const TAG = 'Push tags, each 1 to 64 characters; at most 100 in a call.';

builder.mutationFields((t) => ({
  setPushAlias: t.field({
    type: userPayload('SetPushAliasPayload', "The viewer's push alias is set (`User.pushAlias`)."),
    description: "Sets the viewer's push alias (empty clears it).",
    authScopes: { user: true },
    errors: { types: [InvalidInputError] },
    args: { alias: t.arg.string({ required: true, description: 'Up to 128 characters; empty clears it.' }) },
    resolve: async (_root, { alias }, { deps, viewer }) => (await setPushAlias(deps, viewer, alias), { viewer }),
  }),
  setPushBadge: t.field({
    type: userPayload('SetPushBadgePayload', "The viewer's badge number is set (`User.pushBadge`)."),
    description: "Sets the viewer's app badge number.",
    authScopes: { user: true },
    errors: { types: [InvalidInputError] },
    args: { badge: t.arg.int({ required: true, description: '0 to 99 999.' }) },
    resolve: async (_root, { badge }, { deps, viewer }) => (await setPushBadge(deps, viewer, badge), { viewer }),
  }),
  addPushTags: t.field({
    type: tagsPayload('AddPushTagsPayload', 'The tags are added.'),
    description: 'Adds push tags to the viewer (at most 100 in all); tags the viewer has already stay.',
    authScopes: { user: true },
    errors: { types: [InvalidInputError] },
    args: { tags: t.arg.stringList({ required: true, description: TAG }) },
    resolve: async (_root, { tags }, { deps, viewer }) => (await addPushTags(deps, viewer, tags), { viewer }),
  }),
  removePushTags: t.field({
    type: tagsPayload('RemovePushTagsPayload', 'The tags are removed.'),
    description: 'Removes the given push tags of the viewer, or all of them when tags is absent.',
    authScopes: { user: true },
    errors: { types: [InvalidInputError] },
    args: { tags: t.arg.stringList({ description: `${TAG} Absent: all of them.` }) },
    resolve: async (_root, { tags }, { deps, viewer }) => (await removePushTags(deps, viewer, tags ?? undefined), { viewer }),
  }),
  bindOpenId: t.field({
    type: BindOpenIdPayload,
    description: 'Binds a third-party account id (for example a WeChat openid) to the viewer. One bound to another user: ConflictError ALREADY_BOUND.',
    authScopes: { user: true },
    errors: { types: [InvalidInputError, ConflictError] },
    args: {
      openId: t.arg.id({ required: true, description: 'The third-party account id, up to 128 characters.' }),
      type: t.arg.string({ required: true, description: 'The kind of third-party account (for example `wechat`), up to 32 characters.' }),
    },
    resolve: async (_root, { openId, type }, { deps, viewer }) => {
      await bindOpenId(deps, viewer, { openId: String(openId), type });
      return { viewer, openId: String(openId), type };
    },
  }),
}));
