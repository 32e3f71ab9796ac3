import { ConflictError, InvalidInputError } from '../../domain/errors.js';
import { addPushTags, bindOpenId, listPushTags, removePushTags, setPushAlias, setPushBadge } from '../../domain/push/state.js';
import { builder } from '../builder.js';

builder.queryField('pushTags', (t) =>
  t.stringList({
    description: "The viewer's push tags.",
    authScopes: { user: true },
    resolve: (_root, _args, { deps, viewer }) => listPushTags(deps, viewer),
  }),
);

builder.mutationFields((t) => ({
  setPushAlias: t.boolean({
    description: "Sets the viewer's push alias (empty clears it).",
    authScopes: { user: true },
    errors: { types: [InvalidInputError], directResult: false },
    args: { alias: t.arg.string({ required: true }) },
    resolve: (_root, { alias }, { deps, viewer }) => setPushAlias(deps, viewer, alias),
  }),
  setPushBadge: t.boolean({
    description: "Sets the viewer's app badge number.",
    authScopes: { user: true },
    errors: { types: [InvalidInputError], directResult: false },
    args: { badge: t.arg.int({ required: true }) },
    resolve: (_root, { badge }, { deps, viewer }) => setPushBadge(deps, viewer, badge),
  }),
  addPushTags: t.boolean({
    description: 'Adds push tags to the viewer (at most 100 in all).',
    authScopes: { user: true },
    errors: { types: [InvalidInputError], directResult: false },
    args: { tags: t.arg.stringList({ required: true }) },
    resolve: (_root, { tags }, { deps, viewer }) => addPushTags(deps, viewer, tags),
  }),
  removePushTags: t.boolean({
    description: "Removes the given push tags of the viewer, or all of them when tags is absent.",
    authScopes: { user: true },
    errors: { types: [InvalidInputError], directResult: false },
    args: { tags: t.arg.stringList() },
    resolve: (_root, { tags }, { deps, viewer }) => removePushTags(deps, viewer, tags ?? undefined),
  }),
  bindOpenId: t.boolean({
    description: 'Binds a third-party account id (for example a WeChat openid) to the viewer.',
    authScopes: { user: true },
    errors: { types: [InvalidInputError, ConflictError], directResult: false },
    args: { openId: t.arg.string({ required: true }), type: t.arg.string({ required: true }) },
    resolve: (_root, args, { deps, viewer }) => bindOpenId(deps, viewer, args),
  }),
}));
