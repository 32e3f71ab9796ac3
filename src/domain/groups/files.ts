import { and, desc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { FILE_PURPOSE, groupFiles } from '../../db/schema/index.js';
import type { Deps } from '../deps.js';
import { CONVERSATION } from '../messages/vocabulary.js';
import { ForbiddenError, InvalidInputError, NotFoundError } from '../errors.js';
import { findReadyFile, verifyReference } from '../files/model.js';
import { purgeFiles, releaseReferences } from '../files/release.js';
import { afterId, countRows, type Page } from '../paging.js';
import { transaction } from '../transactions.js';
import { entityId, parseInput } from '../validation.js';
import type { Viewer } from '../viewer.js';
import { type Actor, actOn, atLeast, type Group, idList } from './access.js';
import { failure, success, type TargetResult } from './results.js';

// Files shared in a group. Their bytes are stored files: a member uploads into a shared-file
// slot of the group (file_type 200–203), then lists the upload here with its download URL.

export type GroupFile = typeof groupFiles.$inferSelect;

const fileName = z.string({ error: 'is required' }).trim().min(1, 'must not be empty').max(256, 'must be at most 256 characters');
const fileInput = z.object({
  name: fileName,
  url: z.string({ error: 'is required' }).min(1, 'must not be empty').max(4096, 'must be at most 4096 characters'),
});

/**
 * Members list a file they uploaded for the group: `url` is the download URL (or the file_sign)
 * of a shared-file upload of this group, or of a chat file of its conversation. Size and type are
 * those of the stored bytes, whatever the client claims.
 */
export async function addGroupFile(deps: Deps, viewer: Viewer, groupId: string | number, input: z.input<typeof fileInput>): Promise<GroupFile> {
  const { name, url } = parseInput(fileInput, input);
  const { group, actor } = await actOn(deps.db, viewer, groupId, 'MEMBER');
  const { refId } = await verifyReference(deps.db, group.appId, url, 'd', 'url');
  const { ref, file } = await findReadyFile(deps.db, group.appId, refId);
  if (ref.scopeKind !== CONVERSATION.GROUP || ref.scopeLow !== group.id || (ref.purpose !== FILE_PURPOSE.GROUP_SHARED && ref.purpose !== FILE_PURPOSE.CHAT)) {
    throw new InvalidInputError('url', 'is not a file uploaded for this group: upload it with a shared-file slot of the group first');
  }
  const [added] = await deps.db
    .insert(groupFiles)
    .values({ name, url: '', size: file.size, type: file.mimeType, fileRefId: ref.id, appId: group.appId, groupId: group.id, uploaderId: actor.userId })
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

/** Members: how many files the group shares. */
export async function countGroupFiles(deps: Deps, viewer: Viewer, groupId: string | number): Promise<number> {
  const { group } = await actOn(deps.db, viewer, groupId, 'MEMBER', { dissolved: true });
  return countRows(deps.db, groupFiles, ofGroup(group));
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

/**
 * The uploader or an admin deletes files; each file succeeds or fails on its own. Bytes that no
 * message or other listing uses any more are freed.
 */
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
  if (deletable.length > 0) {
    const freed = await transaction(deps.db, async (tx) => {
      const gone = await tx
        .delete(groupFiles)
        .where(and(ofGroup(group), inArray(groupFiles.id, deletable)))
        .returning({ fileRefId: groupFiles.fileRefId });
      return releaseReferences(tx, gone.flatMap((f) => (f.fileRefId === null ? [] : [f.fileRefId])));
    });
    // Marked deleted already: should the purge fail here, the sweeper finishes it.
    await purgeFiles(deps, freed).catch(() => undefined);
  }
  return results;
}

const ofGroup = (group: Group) => and(eq(groupFiles.appId, group.appId), eq(groupFiles.groupId, group.id));

function ownerRefusal(actor: Actor, file: GroupFile) {
  if (atLeast(actor.role, 'ADMIN') || (actor.userId !== null && file.uploaderId === actor.userId)) return undefined;
  return new ForbiddenError('only the uploader and admins may change this file', 'NOT_FILE_OWNER');
}

const notFound = (id: number) => new NotFoundError('GROUP_FILE_NOT_FOUND', `file ${id} does not exist in this group`);
