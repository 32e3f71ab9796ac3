import { countAuditLog, listAuditLog, type AuditEntry } from '../../domain/audit.js';
import { builder } from '../builder.js';
import { connectionOf, counted, forwardConnection } from '../pagination.js';

const AuditEntryRef = builder.objectRef<AuditEntry>('AuditEntry').implement({
  description: 'One admin action: a mutation run with an admin token, directly or acting as a user or group admin.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Entry id; entries are listed newest first.' }),
    action: t.exposeString('action', { description: 'The mutation run, e.g. `disableUsers`.' }),
    arguments: t.field({
      type: 'JSON',
      description: 'Its arguments, with passwords, secrets, tokens and keys replaced by "[redacted]" and long strings cut.',
      resolve: (e) => e.arguments,
    }),
    outcome: t.exposeString('outcome', {
      description: '`OK`, the code of the typed error it answered (`FORBIDDEN`, `INVALID_INPUT`, …), or `ERROR` when it failed with a GraphQL error.',
    }),
    tokenId: t.exposeID('tokenId', { description: 'The admin token used (its id, never the token).' }),
    actingAsUserId: t.exposeID('actingAsUserId', { nullable: true, description: 'The user the admin token acted as; null when it acted as the app.' }),
    actingAsGroupId: t.exposeID('actingAsGroupId', { nullable: true, description: 'The group the admin token acted as an admin of; null otherwise.' }),
    at: t.field({ type: 'Timestamp', description: 'When it ran.', resolve: (e) => e.createdAt }),
  }),
});

const AuditEntryConnection = connectionOf(AuditEntryRef, { name: 'AuditEntry', description: 'A page of the audit log, newest first.' });

builder.queryField('auditLog', (t) =>
  t.connection(
    {
      type: AuditEntryRef,
      description: 'What admin tokens did in this app, newest first. Admins only.',
      authScopes: { admin: true },
      args: { action: t.arg.string({ required: false, description: 'Only entries of this mutation, e.g. `disableUsers`.' }) },
      resolve: async (_root, args, { deps, viewer }) => {
        const filter = { action: args.action ?? undefined };
        const page = await forwardConnection(args, (after, limit) => listAuditLog(deps, viewer, filter, { after, limit }), (e) => String(e.id));
        return counted(page, () => countAuditLog(deps, viewer, filter));
      },
    },
    AuditEntryConnection,
  ),
);
