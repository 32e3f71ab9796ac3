import { and, desc, eq, type SQL } from 'drizzle-orm';
import { auditLog } from '../db/schema/index.js';
import type { Deps } from './deps.js';
import { afterId, countRows, type Page } from './paging.js';
import { requireAdmin, type Viewer } from './viewer.js';

export type AuditEntry = typeof auditLog.$inferSelect;

/** What an admin's mutation did, ready to be written. */
export interface AuditRecord {
  action: string;
  arguments: unknown;
  outcome: string;
}

/** Argument names whose values are never stored. */
const SECRET = /pass(word)?|secret|token|key|credential|certificate|signature|private/i;
/** Longest string stored as it was; longer ones are cut (content of a broadcast, say). */
const MAX_STRING = 500;
const MAX_DEPTH = 6;

/** The arguments as stored: secrets replaced, long strings cut, deep nesting summarised. */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
  if (value === null || typeof value !== 'object') return value ?? null;
  if (value instanceof Date) return value.toISOString();
  if (depth >= MAX_DEPTH) return '[nested]';
  if (Array.isArray(value)) return value.slice(0, 100).map((item) => redact(item, depth + 1));
  if (typeof (value as { stream?: unknown }).stream === 'function') return '[file]';
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, SECRET.test(key) ? '[redacted]' : redact(item, depth + 1)]),
  );
}

/** Whether the viewer's actions are audited: an admin token, directly or acting for someone. */
export const isAudited = (viewer: Viewer) => viewer.kind === 'admin' || (viewer.kind === 'user' && viewer.viaAdmin);

/** Writes what an admin's operation did (one statement for all its mutation fields). */
export async function recordAdminActions(deps: Deps, viewer: Viewer, records: readonly AuditRecord[]): Promise<void> {
  if (records.length === 0 || viewer.kind === 'anonymous' || !isAudited(viewer)) return;
  await deps.db.insert(auditLog).values(
    records.map((record) => ({
      appId: viewer.appId,
      tokenId: viewer.tokenId,
      actingAsUserId: viewer.kind === 'user' ? viewer.userId : null,
      actingAsGroupId: viewer.kind === 'admin' ? (viewer.actAsGroupAdminOf ?? null) : null,
      action: record.action,
      arguments: redact(record.arguments),
      outcome: record.outcome,
    })),
  );
}

/** Admin: the app's audit log, newest first, optionally of one action. */
export async function listAuditLog(deps: Deps, viewer: Viewer, filter: { action?: string }, page: Page): Promise<AuditEntry[]> {
  const { appId } = requireAdmin(viewer);
  return deps.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.appId, appId), filter.action ? eq(auditLog.action, filter.action) : undefined, afterId(page.after, auditLog.id, true)))
    .orderBy(desc(auditLog.id))
    .limit(page.limit);
}

export function countAuditLog(deps: Deps, viewer: Viewer, filter: { action?: string }): Promise<number> {
  const { appId } = requireAdmin(viewer);
  const where: SQL | undefined = and(eq(auditLog.appId, appId), filter.action ? eq(auditLog.action, filter.action) : undefined);
  return countRows(deps.db, auditLog, where);
}
