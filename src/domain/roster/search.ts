import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { apps, users } from '../../db/schema/index.js';
import type { Deps } from '../deps.js';
import { ForbiddenError, InvalidInputError } from '../errors.js';
import * as v from '../validation.js';
import { entityId, parseInput } from '../validation.js';
import { requireAdmin, requireUser, viewerApp, type Viewer } from '../viewer.js';
import { getUser } from '../accounts/users.js';
import { messagingRefusal } from './relations.js';
import { checksChanged } from '../messages/check-cache.js';

const searchInput = z
  .object({ userId: entityId.optional(), username: z.string().min(1).optional(), mobile: v.mobile.optional() })
  .refine((i) => [i.userId, i.username, i.mobile].filter((x) => x !== undefined).length === 1, {
    path: ['userId'],
    message: 'give exactly one of userId, username or mobile',
  });

/** Finds a user of the viewer's app by id, username or mobile number; undefined when none. */
export async function findUserBy(deps: Deps, viewer: Viewer, input: z.input<typeof searchInput>): Promise<number | undefined> {
  const { appId } = requireUser(viewer);
  const by = parseInput(searchInput, input);
  const match =
    by.userId !== undefined ? eq(users.id, by.userId) : by.username !== undefined ? eq(users.username, by.username) : eq(users.mobile, by.mobile!);
  const [row] = await deps.db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.appId, appId), match));
  return row?.id;
}

/**
 * Whether `fromId` (the viewer unless an admin asks) may message `toId`: never when `toId` has
 * blocked `fromId`; only between friends when the app allows no messages from strangers.
 */
export async function mayMessage(deps: Deps, viewer: Viewer, toUserId: string | number, fromUserId?: string | number): Promise<boolean> {
  const appId = viewerApp(viewer);
  const toId = parseInput(entityId, toUserId, 'userId');
  const fromId = fromUserId === undefined ? requireUser(viewer).userId : parseInput(entityId, fromUserId, 'fromUserId');
  if (viewer.kind === 'user' && fromId !== viewer.userId) throw new ForbiddenError('you may only ask about messages you would send');
  await Promise.all([getUser(deps.db, appId, fromId), getUser(deps.db, appId, toId)]);
  if (fromId === toId) throw new InvalidInputError('userId', 'a user does not message themself');
  return (await messagingRefusal(deps.db, appId, fromId, toId)) === undefined;
}

/** Admin: whether users of the app who are not friends may message each other. */
export async function setStrangerMessages(deps: Deps, viewer: Viewer, allowed: boolean): Promise<boolean> {
  const { appId } = requireAdmin(viewer);
  await deps.db.update(apps).set({ strangerMessages: allowed }).where(eq(apps.id, appId));
  checksChanged(deps);
  return allowed;
}
