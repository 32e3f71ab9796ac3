import { and, eq, or } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { groupMembers } from '../../db/schema/index.js';
import type { GroupEvent } from '../../realtime/group-events.js';
import type { Deps } from '../deps.js';
import { notifyUsers } from '../notify.js';
import type { Group } from './access.js';

type Unstamped<E> = E extends unknown ? Omit<E, 'at' | 'groupId'> : never;

/** Tells these users of the group's app about the group, once the transaction commits. */
export function tell(deps: Deps, db: Queryable, group: Group, userIds: Iterable<number>, event: Unstamped<GroupEvent>) {
  notifyUsers(deps, db, group.appId, [...userIds], { ...event, groupId: group.id } as Parameters<typeof notifyUsers>[4]);
}

/** Tells every member (as of this transaction), and `others` besides (people who just left, say). */
export async function tellMembers(deps: Deps, db: Queryable, group: Group, event: Unstamped<GroupEvent>, others: number[] = []) {
  const members = await db.select({ id: groupMembers.userId }).from(groupMembers).where(eq(groupMembers.groupId, group.id));
  tell(deps, db, group, [...members.map((m) => m.id), ...others], event);
}

/** Tells the owner and the admins (applications to handle). */
export async function tellAdmins(deps: Deps, db: Queryable, group: Group, event: Unstamped<GroupEvent>) {
  const admins = await db
    .select({ id: groupMembers.userId })
    .from(groupMembers)
    .where(and(eq(groupMembers.groupId, group.id), or(eq(groupMembers.isAdmin, true), eq(groupMembers.userId, group.ownerId))));
  tell(deps, db, group, admins.map((a) => a.id), event);
}
