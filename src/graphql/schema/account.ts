import { map, pipe } from 'graphql-yoga';
import { requireUser } from '../../domain/viewer.js';
import { accountKey, type AccountEvent } from '../../realtime/events.js';
import { builder } from '../builder.js';

const RevokeReason = builder.enumType('TokenRevokeReason', { values: ['SIGNED_OUT', 'REVOKED_BY_ADMIN'] as const });

type Delivered = AccountEvent & { viewerTokenId: number };

const AccountEventInterface = builder.interfaceRef<Delivered>('AccountEvent').implement({
  description: "Something happened to the viewer's account; every device of the user receives it.",
  resolveType: (event) => ({ TOKEN_REVOKED: 'TokenRevokedEvent' })[event.type],
  fields: (t) => ({
    at: t.field({ type: 'Timestamp', resolve: (e) => new Date(e.at) }),
  }),
});

builder.objectRef<Delivered>('TokenRevokedEvent').implement({
  description: 'Tokens of this user were revoked; connections using them close right after this event.',
  interfaces: [AccountEventInterface],
  fields: (t) => ({
    reason: t.field({ type: RevokeReason, resolve: (e) => e.reason }),
    deviceSns: t.field({ type: ['Int'], description: 'Devices signed out.', resolve: (e) => e.deviceSns }),
    thisConnection: t.boolean({
      description: "True when this connection's own token was revoked.",
      resolve: (e) => e.tokenIds.includes(e.viewerTokenId),
    }),
  }),
});

builder.subscriptionField('accountEvents', (t) =>
  t.field({
    type: AccountEventInterface,
    description: "Live events of the viewer's account.",
    authScopes: { user: true },
    subscribe: (_root, _args, { deps, viewer }) => {
      const { appId, userId, tokenId } = requireUser(viewer);
      return pipe(
        deps.events.subscribe('account', accountKey(appId, userId)),
        map((event): Delivered => ({ ...event, viewerTokenId: tokenId })),
      );
    },
    resolve: (event) => event,
  }),
);
