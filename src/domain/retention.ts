import { and, asc, eq, inArray, isNotNull, lt } from 'drizzle-orm';
import { apps, messages } from '../db/schema/index.js';
import type { Deps } from './deps.js';
import { InvalidInputError } from './errors.js';
import { purgeFiles, releaseReferences } from './files/release.js';
import { runEvery } from './periodic.js';
import { transaction } from './transactions.js';
import { requireAdmin, type Viewer } from './viewer.js';

/** The longest retention an app may set: a hundred years. */
export const MAX_RETENTION_DAYS = 36_500;
/** Messages deleted per transaction: short transactions, short locks. */
const BATCH = 1000;
/** Message ids are time-ordered: milliseconds since this epoch, shifted left 12 bits (see db/schema/messages.ts). */
const ID_EPOCH_MS = 1_577_836_800_000;

/** The smallest message id a message sent at `at` (or later) can have. */
export const firstIdAt = (at: Date) => Math.max(0, at.getTime() - ID_EPOCH_MS) * 4096;

/** Admin: keep the app's messages this many days (null: forever). Older ones go at the next sweep. */
export async function setMessageRetention(deps: Deps, viewer: Viewer, days: number | null): Promise<number | null> {
  const { appId } = requireAdmin(viewer);
  if (days !== null && (!Number.isInteger(days) || days < 1 || days > MAX_RETENTION_DAYS)) {
    throw new InvalidInputError('days', `must be a whole number of days from 1 to ${MAX_RETENTION_DAYS}, or null to keep messages`);
  }
  await deps.db.update(apps).set({ messageRetentionDays: days }).where(eq(apps.id, appId));
  return days;
}

export async function messageRetentionOf(deps: Deps, viewer: Viewer): Promise<number | null> {
  const { appId } = requireAdmin(viewer);
  const [app] = await deps.db.select({ days: apps.messageRetentionDays }).from(apps).where(eq(apps.id, appId));
  return app?.days ?? null;
}

export interface RetentionReport {
  /** Messages deleted. */
  messages: number;
  /** Stored files freed because their last reference was a deleted message. */
  files: number;
}

/**
 * Deletes the messages each app keeps no longer, oldest first, a thousand per transaction (rows
 * a concurrent edit holds are skipped until the next sweep), releasing the files they carried.
 * Conversations keep their seqs: later messages keep theirs and history simply starts later.
 * `now` is injectable so tests can sweep "later" without waiting.
 */
export async function sweepExpiredMessages(deps: Deps, now = new Date()): Promise<RetentionReport> {
  const report: RetentionReport = { messages: 0, files: 0 };
  const keeping = await deps.db
    .select({ appId: apps.id, days: apps.messageRetentionDays })
    .from(apps)
    .where(isNotNull(apps.messageRetentionDays));
  for (const { appId, days } of keeping) {
    const before = firstIdAt(new Date(now.getTime() - days! * 86_400_000));
    for (;;) {
      const { deleted, orphaned } = await transaction(deps.db, async (tx) => {
        // The primary key is time-ordered, so "sent before the cutoff" is a range of it: no index of its own.
        const doomed = tx
          .select({ id: messages.id })
          .from(messages)
          .where(and(eq(messages.appId, appId), lt(messages.id, before)))
          .orderBy(asc(messages.id))
          .limit(BATCH)
          .for('update', { skipLocked: true });
        const removed = await tx.delete(messages).where(inArray(messages.id, doomed)).returning({ fileRefId: messages.fileRefId });
        const refIds = removed.map((r) => r.fileRefId).filter((id): id is number => id !== null);
        return { deleted: removed.length, orphaned: await releaseReferences(tx, refIds) };
      });
      report.messages += deleted;
      report.files += await purgeFiles(deps, orphaned);
      if (deleted < BATCH) break;
    }
  }
  return report;
}

/** Sweeps every RETENTION_SWEEP_INTERVAL_SECONDS until stopped. */
export const startRetentionSweeper = (deps: Deps, onError: (error: unknown) => void) =>
  runEvery(deps.config.retentionSweepIntervalSeconds, () => sweepExpiredMessages(deps), onError);
