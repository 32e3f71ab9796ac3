import type { Queryable } from '../db/client.js';
import { userKey, type UserEvent } from '../realtime/events.js';
import type { Deps } from './deps.js';
import { afterCommit } from './transactions.js';

type Payload = UserEvent extends infer E ? (E extends UserEvent ? Omit<E, 'at'> : never) : never;

/** Tells every device of each user, once `db`'s transaction (if any) has committed. */
export function notifyUsers(deps: Deps, db: Queryable, appId: string, userIds: readonly number[], event: Payload) {
  afterCommit(db, () => {
    const at = Date.now();
    for (const userId of new Set(userIds)) deps.events.publish('user', userKey(appId, userId), { ...event, at } as UserEvent);
  });
}
