import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '../../db/client.js';
import { groupAnnouncements } from '../../db/schema/index.js';
import type { Deps } from '../deps.js';
import { InvalidInputError, NotFoundError } from '../errors.js';
import { afterId, countRows, type Page } from '../paging.js';
import { entityId, parseInput } from '../validation.js';
import type { Viewer } from '../viewer.js';
import { actOn, type Group } from './access.js';
import { tellMembers } from './notify.js';

export type GroupAnnouncement = typeof groupAnnouncements.$inferSelect;

const announcementInput = z.object({
  title: z.string().max(128, 'must be at most 128 characters').default(''),
  content: z.string({ error: 'is required' }).min(1, 'must not be empty').max(4096, 'must be at most 4096 characters'),
});
const editInput = z.object({ title: announcementInput.shape.title.unwrap().optional(), content: announcementInput.shape.content.optional() });

/** Admins publish an announcement; every member is told. */
export async function publishAnnouncement(
  deps: Deps,
  viewer: Viewer,
  groupId: string | number,
  input: z.input<typeof announcementInput>,
): Promise<GroupAnnouncement> {
  const { title, content } = parseInput(announcementInput, input);
  const { group, actor } = await actOn(deps.db, viewer, groupId, 'ADMIN');
  const [announcement] = await deps.db
    .insert(groupAnnouncements)
    .values({ appId: group.appId, groupId: group.id, authorId: actor.userId, title, content })
    .returning();
  await tellMembers(deps, deps.db, group, { type: 'GROUP_ANNOUNCEMENT_PUBLISHED', announcementId: announcement!.id });
  return announcement!;
}

/** Admins change an announcement's title or content. */
export async function editAnnouncement(
  deps: Deps,
  viewer: Viewer,
  groupId: string | number,
  announcementId: string | number,
  input: z.input<typeof editInput>,
): Promise<GroupAnnouncement> {
  const changes = parseInput(editInput, input);
  if (changes.title === undefined && changes.content === undefined) throw new InvalidInputError('input', 'names nothing to change');
  const { group } = await actOn(deps.db, viewer, groupId, 'ADMIN');
  const [announcement] = await deps.db
    .update(groupAnnouncements)
    .set({ ...changes, updatedAt: new Date() })
    .where(byId(group, parseInput(entityId, announcementId, 'announcementId')))
    .returning();
  return announcement ?? notFound(announcementId);
}

export async function deleteAnnouncement(deps: Deps, viewer: Viewer, groupId: string | number, announcementId: string | number): Promise<boolean> {
  const { group } = await actOn(deps.db, viewer, groupId, 'ADMIN');
  const deleted = await deps.db
    .delete(groupAnnouncements)
    .where(byId(group, parseInput(entityId, announcementId, 'announcementId')))
    .returning({ id: groupAnnouncements.id });
  return deleted.length > 0 || notFound(announcementId);
}

/** Members: the announcements, newest first. */
export async function listAnnouncements(deps: Deps, viewer: Viewer, groupId: string | number, page: Page): Promise<GroupAnnouncement[]> {
  const { group } = await actOn(deps.db, viewer, groupId, 'MEMBER', { dissolved: true });
  return deps.db
    .select()
    .from(groupAnnouncements)
    .where(and(eq(groupAnnouncements.appId, group.appId), eq(groupAnnouncements.groupId, group.id), afterId(page.after, groupAnnouncements.id, true)))
    .orderBy(desc(groupAnnouncements.id))
    .limit(page.limit);
}

/** Members: how many announcements the group has. */
export async function countAnnouncements(deps: Deps, viewer: Viewer, groupId: string | number): Promise<number> {
  const { group } = await actOn(deps.db, viewer, groupId, 'MEMBER', { dissolved: true });
  return countRows(deps.db, groupAnnouncements, and(eq(groupAnnouncements.appId, group.appId), eq(groupAnnouncements.groupId, group.id)));
}

/** Members: one announcement. */
export async function getAnnouncement(deps: Deps, viewer: Viewer, groupId: string | number, announcementId: string | number): Promise<GroupAnnouncement> {
  const { group } = await actOn(deps.db, viewer, groupId, 'MEMBER', { dissolved: true });
  const [announcement] = await deps.db
    .select()
    .from(groupAnnouncements)
    .where(byId(group, parseInput(entityId, announcementId, 'announcementId')));
  return announcement ?? notFound(announcementId);
}

const byId = (group: Group, id: number) =>
  and(eq(groupAnnouncements.appId, group.appId), eq(groupAnnouncements.groupId, group.id), eq(groupAnnouncements.id, id));

function notFound(id: string | number): never {
  throw new NotFoundError('ANNOUNCEMENT_NOT_FOUND', `announcement ${id} does not exist in this group`);
}

/** An announcement by id, for live events (the recipients were members when it was published). */
export async function findAnnouncement(db: Queryable, appId: string, id: number): Promise<GroupAnnouncement | undefined> {
  const [announcement] = await db
    .select()
    .from(groupAnnouncements)
    .where(and(eq(groupAnnouncements.appId, appId), eq(groupAnnouncements.id, id)));
  return announcement;
}
