import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '../../db/client.js';
import type { groupApplications, groupInvitations } from '../../db/schema/index.js';
import type { RequestStatus } from '../requests.js';
import type { Deps } from '../deps.js';
import type { DomainError } from '../errors.js';
import { afterTimeId, type Page } from '../paging.js';
import type { Group } from './access.js';
import { admitOne } from './admission.js';

// Applications (a user asks to join) and invitations (a member asks a user) share a life cycle:
// pending until answered or expired; asking again renews the one row.

export type GroupApplication = typeof groupApplications.$inferSelect;
export type GroupInvitation = typeof groupInvitations.$inferSelect;

export const PENDING = 0;
export const ACCEPTED = 1;
export const DECLINED = 2;

export const requestReason = z.string().max(256, 'must be at most 256 characters');

/** Can the request still be answered? */
export const isOpen = (request: { status: number; expiresAt: Date }, now = new Date()) =>
  request.status === PENDING && request.expiresAt > now;

export const requestExpiry = (deps: Deps) => new Date(Date.now() + deps.config.groups.requestTtlSeconds * 1000);

/** The live-event view of a request. */
export const requestFields = (request: GroupApplication | GroupInvitation) => ({
  status: request.status as RequestStatus,
  reason: request.reason,
  expiresAt: request.expiresAt.getTime(),
});

type RequestTable = typeof groupApplications | typeof groupInvitations;
type Row<T extends RequestTable> = T['$inferSelect'];

// Both tables share the request columns; drizzle cannot type a query over either table, so the
// queries below are typed as over one of them.
const asOne = (table: RequestTable) => table as typeof groupApplications;

/** Files a pending (or already accepted) request, or renews the one row of that user and group. */
export async function saveRequest<T extends RequestTable>(tx: Queryable, table: T, values: T['$inferInsert']): Promise<Row<T>> {
  const [request] = await tx
    .insert(asOne(table))
    .values(values)
    .onConflictDoUpdate({ target: [table.groupId, table.userId], set: { ...values, createdAt: sql`now()` } })
    .returning();
  return request as Row<T>;
}

/**
 * Answers the request of `userId` to a locked group: it must be pending and unexpired (or
 * `closed` is thrown); accepting makes the user a member.
 */
export async function answerRequest<T extends RequestTable>(
  deps: Deps,
  tx: Queryable,
  table: T,
  group: Group,
  userId: number,
  accept: boolean,
  closed: () => DomainError,
): Promise<Row<T>> {
  const one = asOne(table);
  const [request] = await tx
    .select()
    .from(one)
    .where(and(eq(one.groupId, group.id), eq(one.userId, userId)))
    .for('update');
  if (!request || !isOpen(request)) throw closed();
  if (accept) await admitOne(deps, tx, group, userId);
  const [answered] = await tx
    .update(one)
    .set({ status: accept ? ACCEPTED : DECLINED })
    .where(eq(one.id, request.id))
    .returning();
  return answered as Row<T>;
}

/** A page of the requests matching `where`, newest first (answered and expired ones too). */
export async function newestRequests<T extends RequestTable>(db: Queryable, table: T, where: SQL | undefined, page: Page): Promise<Row<T>[]> {
  const one = asOne(table);
  const rows = await db
    .select()
    .from(one)
    .where(and(where, afterTimeId(page.after, one.createdAt, one.id, true)))
    .orderBy(desc(one.createdAt), desc(one.id))
    .limit(page.limit);
  return rows as Row<T>[];
}
