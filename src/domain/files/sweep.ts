import { and, isNull, lt } from 'drizzle-orm';
import { fileRefs } from '../../db/schema/index.js';
import type { Deps } from '../deps.js';
import { runEvery } from '../periodic.js';
import { purgeFiles } from './release.js';

export interface SweepReport {
  /** Upload slots that expired without bytes. */
  slots: number;
  /** Leftovers of interrupted uploads in storage (temporary files, unfinished multipart uploads). */
  partial: number;
  /** Stored files whose last reference went, purged now (normally at once; here after a crash). */
  purged: number;
}

/**
 * Removes what uploads left behind: expired empty slots, storage leftovers of uploads
 * interrupted longer ago than a slot lives, and files marked deleted whose purge did not finish.
 * `now` is injectable so tests can sweep "later" without waiting.
 */
export async function sweepFiles(deps: Deps, now = new Date()): Promise<SweepReport> {
  const slots = await deps.db
    .delete(fileRefs)
    .where(and(isNull(fileRefs.fileId), lt(fileRefs.expiresAt, now)))
    .returning({ id: fileRefs.id });
  const partial = await deps.storage.sweepPartial(new Date(now.getTime() - deps.config.files.slotTtlSeconds * 1000));
  const purged = await purgeFiles(deps, undefined, new Date(now.getTime() - 60_000));
  return { slots: slots.length, partial, purged };
}

/** Sweeps every FILE_SWEEP_INTERVAL_SECONDS until stopped. */
export const startSweeper = (deps: Deps, onError: (error: unknown) => void) =>
  runEvery(deps.config.files.sweepIntervalSeconds, () => sweepFiles(deps), onError);
