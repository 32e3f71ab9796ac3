import { and, eq, inArray, or } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { groupApplications, groupMembers, groups } from '../../db/schema/index.js';
import type { Deps } from '../deps.js';
import { ConflictError, ForbiddenError } from '../errors.js';
import { countRows, type Page } from '../paging.js';
import { transaction } from '../transactions.js';
import { entityId, parseInput } from '../validation.js';
import { requireUser, type Viewer } from '../viewer.js';
import { actOn, findGroup, idList, parseGroupId, PRIVATE, readerApp, type Group } from './access.js';
import { admitOne, screen } from './admission.js';
import { tell, tellAdmins } from './notify.js';
import {
  ACCEPTED,
  answerRequest,
  type GroupApplication,
  newestRequests,
  PENDING,
  requestExpiry,
  requestFields,
  requestReason,
  saveRequest,
} from './requests.js';

const ACCEPT_ALL = 0;
const REFUSE_ALL = 2;

/**
 * The viewer asks to join a public group or chatroom. By the group's apply_approval they join at
 * once (0), wait for an admin (1; the admins are told) or are refused (2). Private groups are
 * joined by invitation only.
 */
export async function applyToGroup(deps: Deps, viewer: Viewer, groupId: string | number, reason = ''): Promise<GroupApplication> {
  const { appId, userId } = requireUser(viewer);
  const id = parseGroupId(groupId);
  const why = parseInput(requestReason, reason, 'reason');
  return transaction(deps.db, async (tx) => {
    const group = await findGroup(tx, appId, id, { lock: true });
    if (group.type === PRIVATE) throw new ForbiddenError('a private group is joined by invitation only', 'APPLICATIONS_REFUSED');
    if (group.applyApproval === REFUSE_ALL) throw new ForbiddenError(`group ${group.id} takes no applications`, 'APPLICATIONS_REFUSED');
    const acceptAtOnce = group.applyApproval === ACCEPT_ALL;
    if (acceptAtOnce) await admitOne(deps, tx, group, userId);
    else await refuseMemberOrBlocked(tx, group, userId);
    const application = await saveApplication(deps, tx, group, userId, why, acceptAtOnce ? ACCEPTED : PENDING);
    if (!acceptAtOnce) await tellAdmins(deps, tx, group, applicationEvent(application));
    return application;
  });
}

/** The checks admitOne makes at once, for an application that waits: members and blocked users may not apply. */
async function refuseMemberOrBlocked(tx: Queryable, group: Group, userId: number) {
  const [candidate] = await screen(tx, group, [userId]);
  if (candidate!.error) throw candidate!.error;
}

const saveApplication = (deps: Deps, tx: Queryable, group: Group, userId: number, reason: string, status: number) =>
  saveRequest(tx, groupApplications, { appId: group.appId, groupId: group.id, userId, reason, status, expiresAt: requestExpiry(deps) });

const applicationEvent = (application: GroupApplication) =>
  ({ type: 'GROUP_APPLICATION', applicantId: application.userId, ...requestFields(application) }) as const;

/**
 * An admin accepts (the applicant joins) or declines a pending application; the applicant and
 * the admins are told. An expired or answered application answers APPLICATION_CLOSED.
 */
export async function answerApplication(
  deps: Deps,
  viewer: Viewer,
  groupId: string | number,
  applicantId: string | number,
  accept: boolean,
): Promise<GroupApplication> {
  const applicant = parseInput(entityId, applicantId, 'userId');
  return transaction(deps.db, async (tx) => {
    const { group } = await actOn(tx, viewer, groupId, 'ADMIN', { lock: true });
    const answered = await answerRequest(deps, tx, groupApplications, group, applicant, accept, () =>
      new ConflictError('APPLICATION_CLOSED', 'userId', `user ${applicant} has no pending application to group ${group.id}`),
    );
    const event = applicationEvent(answered);
    await tellAdmins(deps, tx, group, event);
    tell(deps, tx, group, [applicant], event);
    return answered;
  });
}

/**
 * Applications to groups the viewer administers (all of them when `groupIds` is absent), answered
 * and expired ones too, newest first. An app admin token acting for a group sees that group's.
 */
export async function listApplications(
  deps: Deps,
  viewer: Viewer,
  groupIds: (string | number)[] | undefined,
  page: Page,
): Promise<GroupApplication[]> {
  const { appId, ids } = await administeredGroups(deps, viewer, groupIds);
  if (ids.length === 0) return [];
  return newestRequests(deps.db, groupApplications, ofGroups(appId, ids), page);
}

export async function countApplications(deps: Deps, viewer: Viewer, groupIds: (string | number)[] | undefined): Promise<number> {
  const { appId, ids } = await administeredGroups(deps, viewer, groupIds);
  return ids.length === 0 ? 0 : countRows(deps.db, groupApplications, ofGroups(appId, ids));
}

const ofGroups = (appId: string, ids: number[]) => and(eq(groupApplications.appId, appId), inArray(groupApplications.groupId, ids));

/** The groups asked for, each of which the viewer must administer; or all those they do. */
async function administeredGroups(deps: Deps, viewer: Viewer, groupIds: (string | number)[] | undefined) {
  const appId = readerApp(viewer);
  const asked = groupIds === undefined ? undefined : parseInput(idList(100), groupIds, 'groupIds');
  if (viewer.kind === 'admin') {
    const only = viewer.actAsGroupAdminOf;
    if (only === undefined) throw new ForbiddenError('an admin token acts on a group as a user (user_id) or as an admin of that group (group_id)');
    // Each group asked for must be the one it acts for, and exist in its app.
    for (const id of asked ?? [only]) await actOn(deps.db, viewer, id, 'ADMIN', { dissolved: true });
    return { appId, ids: [only] };
  }
  const { userId } = requireUser(viewer);
  const rows = await deps.db
    .select({ id: groupMembers.groupId })
    .from(groupMembers)
    .innerJoin(groups, eq(groups.id, groupMembers.groupId))
    .where(
      and(
        eq(groupMembers.appId, appId),
        eq(groupMembers.userId, userId),
        or(eq(groupMembers.isAdmin, true), eq(groups.ownerId, userId)),
      ),
    );
  const administered = new Set(rows.map((r) => r.id));
  if (asked === undefined) return { appId, ids: [...administered] };
  // Each group asked for must exist and be administered by the viewer: actOn says which it is not.
  for (const id of asked) if (!administered.has(id)) await actOn(deps.db, viewer, id, 'ADMIN', { dissolved: true });
  return { appId, ids: asked };
}
