import { and, desc, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '../../db/client.js';
import type { groupApplications, groupInvitations } from '../../db/schema/index.js';
import type { RequestStatus } from '../../realtime/group-events.js';
import type { Deps } from '../deps.js';
import { afterTimeId, type Page } from '../paging.js';

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

/** A page of the requests matching `where`, newest first (answered and expired ones too). */
export async function newestRequests<T extends typeof groupApplications | typeof groupInvitations>(
  db: Queryable,
  table: T,
  where: SQL | undefined,
  page: Page,
): Promise<T['$inferSelect'][]> {
  // Both tables share the request columns; drizzle cannot type a query over either, so it is typed as one.
  const rows = await db
    .select()
    .from(table as typeof groupApplications)
    .where(and(where, afterTimeId(page.after, table.createdAt, table.id, true)))
    .orderBy(desc(table.createdAt), desc(table.id))
    .limit(page.limit);
  return rows as T['$inferSelect'][];
}
