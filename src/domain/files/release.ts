import { and, eq, inArray, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { fileRefs, groupFiles, messages, storedFiles } from '../../db/schema/index.js';
import type { Deps } from '../deps.js';

/**
 * Drops references nothing uses any more (no shared-file entry, no message), and marks the
 * stored files left without any reference as deleted; answers those files. Call it inside the
 * transaction that removed the last user of a reference, and purgeFiles() once it commits. The
 * stored rows are locked before their references are counted, and forwarding locks them too, so
 * a forward and the release of the last other reference cannot both win.
 */
export async function releaseReferences(tx: Queryable, refIds: number[]): Promise<number[]> {
  if (refIds.length === 0) return [];
  const dropped = await tx
    .delete(fileRefs)
    .where(
      and(
        inArray(fileRefs.id, refIds),
        sql`not exists (select 1 from ${groupFiles} g where g.file_ref_id = ${fileRefs.id})`,
        sql`not exists (select 1 from ${messages} m where m.file_ref_id = ${fileRefs.id})`,
      ),
    )
    .returning({ fileId: fileRefs.fileId });
  const fileIds = [...new Set(dropped.map((r) => r.fileId).filter((id): id is number => id !== null))];
  if (fileIds.length === 0) return [];
  await tx.select({ id: storedFiles.id }).from(storedFiles).where(inArray(storedFiles.id, fileIds)).for('update');
  const orphaned = await tx
    .update(storedFiles)
    .set({ deletedAt: new Date() })
    .where(and(inArray(storedFiles.id, fileIds), isNull(storedFiles.deletedAt), sql`not exists (select 1 from ${fileRefs} r where r.file_id = ${storedFiles.id})`))
    .returning({ id: storedFiles.id });
  return orphaned.map((f) => f.id);
}

/**
 * Removes the objects of files marked deleted (the original and every cached rendition), then
 * their rows. A crash in between leaves the row marked, and the sweeper purges it again.
 */
export async function purgeFiles(deps: Deps, fileIds?: number[], markedBefore?: Date): Promise<number> {
  if (fileIds?.length === 0) return 0;
  const rows = await deps.db
    .select({ id: storedFiles.id, storageKey: storedFiles.storageKey })
    .from(storedFiles)
    .where(
      and(
        isNotNull(storedFiles.deletedAt),
        fileIds ? inArray(storedFiles.id, fileIds) : undefined,
        markedBefore ? lt(storedFiles.deletedAt, markedBefore) : undefined,
      ),
    );
  for (const row of rows) {
    // Keys are `<app>/<32 hex>`, renditions `<key>.<variant>`: the prefix matches this file's objects only.
    await deps.storage.delete(await deps.storage.list(row.storageKey));
    await deps.db.delete(storedFiles).where(eq(storedFiles.id, row.id));
  }
  return rows.length;
}
