import { and, eq } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { groupInvitations } from '../../db/schema/index.js';
import type { Deps } from '../deps.js';
import { ConflictError, ForbiddenError } from '../errors.js';
import { countRows, type Page } from '../paging.js';
import { transaction } from '../transactions.js';
import { parseInput } from '../validation.js';
import { requireUser, type Viewer } from '../viewer.js';
import { actOn, findGroup, idList, parseGroupId, type Group } from './access.js';
import { admit, type Candidate, screen } from './admission.js';
import { tell } from './notify.js';
import {
  answerRequest,
  type GroupInvitation,
  newestRequests,
  PENDING,
  requestExpiry,
  requestFields,
  requestReason,
  saveRequest,
} from './requests.js';
import { failure, success, type TargetResult } from './results.js';

/**
 * Members invite when member_invite is on, admins always. Each invitee joins at once, or, when
 * their group_confirm setting asks for it, receives an invitation to accept; the answer says
 * which, per user.
 */
export async function inviteToGroup(
  deps: Deps,
  viewer: Viewer,
  groupId: string | number,
  userIds: (string | number)[],
  reason = '',
): Promise<TargetResult[]> {
  const ids = parseInput(idList(500).min(1, 'must not be empty'), userIds, 'userIds');
  const why = parseInput(requestReason, reason, 'reason');
  return transaction(deps.db, async (tx) => {
    const { group, actor } = await actOn(tx, viewer, groupId, 'MEMBER', { lock: true });
    if (actor.role === 'MEMBER' && !group.memberInvite) {
      throw new ForbiddenError('only admins may invite to this group (member_invite is off)', 'NEEDS_GROUP_ADMIN');
    }
    return inviteScreened(deps, tx, group, actor.userId, await screen(tx, group, ids), why);
  });
}

/** Invites screened candidates of a locked group (see inviteToGroup). */
export async function inviteScreened(
  deps: Deps,
  tx: Queryable,
  group: Group,
  inviterId: number | null,
  candidates: Candidate[],
  reason: string,
): Promise<TargetResult[]> {
  const joining = candidates.filter((c) => !c.error && !c.groupConfirm).map((c) => c.userId);
  const refused = await admit(deps, tx, group, joining);
  const results: TargetResult[] = [];
  for (const { userId, error, groupConfirm } of candidates) {
    const refusal = error ?? refused.get(userId);
    if (refusal) results.push(failure(userId, refusal));
    else if (!groupConfirm) results.push(success(userId, 'JOINED'));
    else {
      await sendInvitation(deps, tx, group, inviterId, userId, reason);
      results.push(success(userId, 'INVITED'));
    }
  }
  return results;
}

async function sendInvitation(deps: Deps, tx: Queryable, group: Group, inviterId: number | null, userId: number, reason: string) {
  const values = { appId: group.appId, groupId: group.id, userId, inviterId, reason, status: PENDING, expiresAt: requestExpiry(deps) };
  const invitation = await saveRequest(tx, groupInvitations, values);
  tellAboutInvitation(deps, tx, group, invitation);
}

function tellAboutInvitation(deps: Deps, tx: Queryable, group: Group, invitation: GroupInvitation) {
  const recipients = [invitation.userId, ...(invitation.inviterId === null ? [] : [invitation.inviterId])];
  tell(deps, tx, group, recipients, {
    type: 'GROUP_INVITATION',
    inviteeId: invitation.userId,
    inviterId: invitation.inviterId,
    ...requestFields(invitation),
  });
}

/**
 * The invitee accepts (and joins) or declines their pending invitation to the group. An expired
 * or answered invitation answers INVITATION_CLOSED.
 */
export async function answerInvitation(deps: Deps, viewer: Viewer, groupId: string | number, accept: boolean): Promise<GroupInvitation> {
  const { appId, userId } = requireUser(viewer);
  const id = parseGroupId(groupId);
  return transaction(deps.db, async (tx) => {
    const group = await findGroup(tx, appId, id, { lock: true });
    const answered = await answerRequest(deps, tx, groupInvitations, group, userId, accept, () =>
      new ConflictError('INVITATION_CLOSED', 'groupId', `you have no pending invitation to group ${group.id}`),
    );
    tellAboutInvitation(deps, tx, group, answered);
    return answered;
  });
}

/** The viewer's invitations (answered and expired ones too), newest first. */
export async function listInvitations(deps: Deps, viewer: Viewer, page: Page): Promise<GroupInvitation[]> {
  return newestRequests(deps.db, groupInvitations, toViewer(viewer), page);
}

export async function countInvitations(deps: Deps, viewer: Viewer): Promise<number> {
  return countRows(deps.db, groupInvitations, toViewer(viewer));
}

function toViewer(viewer: Viewer) {
  const { appId, userId } = requireUser(viewer);
  return and(eq(groupInvitations.appId, appId), eq(groupInvitations.userId, userId));
}
