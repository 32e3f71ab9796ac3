import { z } from 'zod';
import type { groupApplications, groupInvitations } from '../../db/schema/index.js';
import type { RequestStatus } from '../../realtime/group-events.js';
import type { Deps } from '../deps.js';

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
