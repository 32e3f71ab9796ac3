import type { GroupRemovalReason, GroupRole } from '../domain/groups/vocabulary.js';
import type { RequestStatus } from '../domain/requests.js';

/**
 * What members (and applicants, invitees) of a group hear live. Each event names the group; the
 * GraphQL types load its current state. Plain JSON data: ids are numbers, times milliseconds.
 */
export type GroupEvent = { at: number; groupId: number } & (
  | { type: 'GROUP_MEMBERS_JOINED'; userIds: number[] }
  | { type: 'GROUP_MEMBERS_REMOVED'; userIds: number[]; reason: GroupRemovalReason }
  /** `until` null: the ban was lifted. */
  | { type: 'GROUP_MEMBERS_BANNED'; userIds: number[]; until: number | null }
  | { type: 'GROUP_ROLES_CHANGED'; changes: { userId: number; role: GroupRole }[] }
  /** Info or settings (ban-all included) changed. */
  | { type: 'GROUP_UPDATED' }
  | { type: 'GROUP_ANNOUNCEMENT_PUBLISHED'; announcementId: number }
  | { type: 'GROUP_DISSOLVED' }
  | { type: 'GROUP_APPLICATION'; applicantId: number; status: RequestStatus; reason: string; expiresAt: number }
  | { type: 'GROUP_INVITATION'; inviteeId: number; inviterId: number | null; status: RequestStatus; reason: string; expiresAt: number }
);
