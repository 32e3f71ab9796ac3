import { and, desc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { groupFiles } from '../../db/schema/index.js';
import type { Deps } from '../deps.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import { afterId, type Page } from '../paging.js';
import { transaction } from '../transactions.js';
import { entityId, parseInput } from '../validation.js';
import type { Viewer } from '../viewer.js';
import { type Actor, actOn, atLeast, type Group, idList } from './access.js';
import { failure, success, type TargetResult } from './results.js';

// Metadata of files shared in a group. The bytes were uploaded elsewhere; `url` says where.

export type GroupFile = typeof groupFiles.$inferSelect;

const fileName = z.string({ error: 'is required' }).trim().min(1, 'must not be empty').max(256, 'must be at most 256 characters');
const fileInput = z.object({
  name: fileName,
  size: z.number({ error: 'must be a size in bytes' }).int('must be a size in bytes').min(0, 'must be a size in bytes').max(Number.MAX_SAFE_INTEGER),
  type: z.string().max(64, 'must be at most 64 characters').default(''),
  url: z.string({ error: 'is required' }).min(1, 'must not be empty').max(2048, 'must be at most 2048 characters'),
});

/** Members register a file they uploaded. */
export async function addGroupFile(deps: Deps, viewer: Viewer, groupId: string | number, input: z.input<typeof fileInput>): Promise<GroupFile> {
  const file = parseInput(fileInput, input);
  const { group, actor } = await actOn(deps.db, viewer, groupId, 'MEMBER');
  const [added] = await deps.db
    .insert(groupFiles)
    .values({ ...file, appId: group.appId, groupId: group.id, uploaderId: actor.userId })
    .returning();
  return added!;
}

/** Members: the files, newest first. */
export async function listGroupFiles(deps: Deps, viewer: Viewer, groupId: string | number, page: Page): Promise<GroupFile[]> {
  const { group } = await actOn(deps.db, viewer, groupId, 'MEMBER', { dissolved: true });
  return deps.db
    .select()
    .from(groupFiles)
    .where(and(ofGroup(group), afterId(page.after, groupFiles.id, true)))
    .orderBy(desc(groupFiles.id))
    .limit(page.limit);
}

export async function getGroupFile(deps: Deps, viewer: Viewer, groupId: string | number, fileId: string | number): Promise<GroupFile> {
  const { group } = await actOn(deps.db, viewer, groupId, 'MEMBER', { dissolved: true });
  const id = parseInput(entityId, fileId, 'fileId');
  const [file] = await deps.db.select().from(groupFiles).where(and(ofGroup(group), eq(groupFiles.id, id)));
  if (!file) throw notFound(id);
  return file;
}

/** The uploader or an admin renames a file (NOT_FILE_OWNER otherwise). */
export async function renameGroupFile(deps: Deps, viewer: Viewer, groupId: string | number, fileId: string | number, name: string): Promise<GroupFile> {
  const newName = parseInput(fileName, name, 'name');
  const id = parseInput(entityId, fileId, 'fileId');
  return transaction(deps.db, async (tx) => {
    const { group, actor } = await actOn(tx, viewer, groupId, 'MEMBER');
    const [file] = await tx.select().from(groupFiles).where(and(ofGroup(group), eq(groupFiles.id, id))).for('update');
    if (!file) throw notFound(id);
    const refusal = ownerRefusal(actor, file);
    if (refusal) throw refusal;
    const [renamed] = await tx.update(groupFiles).set({ name: newName, updatedAt: new Date() }).where(eq(groupFiles.id, id)).returning();
    return renamed!;
  });
}

/** The uploader or an admin deletes files; each file succeeds or fails on its own. */
export async function deleteGroupFiles(deps: Deps, viewer: Viewer, groupId: string | number, fileIds: (string | number)[]): Promise<TargetResult[]> {
  const ids = [...new Set(parseInput(idList(100).min(1, 'must not be empty'), fileIds, 'fileIds'))];
  const { group, actor } = await actOn(deps.db, viewer, groupId, 'MEMBER');
  const files = new Map(
    (await deps.db.select().from(groupFiles).where(and(ofGroup(group), inArray(groupFiles.id, ids)))).map((f) => [f.id, f]),
  );
  const results = ids.map((id) => {
    const file = files.get(id);
    const error = file ? ownerRefusal(actor, file) : notFound(id);
    return error ? failure(id, error) : success(id);
  });
  const deletable = results.filter((r) => r.outcome === 'SUCCESS').map((r) => r.id);
  if (deletable.length > 0) await deps.db.delete(groupFiles).where(and(ofGroup(group), inArray(groupFiles.id, deletable)));
  return results;
}

const ofGroup = (group: Group) => and(eq(groupFiles.appId, group.appId), eq(groupFiles.groupId, group.id));

function ownerRefusal(actor: Actor, file: GroupFile) {
  if (atLeast(actor.role, 'ADMIN') || (actor.userId !== null && file.uploaderId === actor.userId)) return undefined;
  return new ForbiddenError('only the uploader and admins may change this file', 'NOT_FILE_OWNER');
}

const notFound = (id: number) => new NotFoundError('GROUP_FILE_NOT_FOUND', `file ${id} does not exist in this group`);
