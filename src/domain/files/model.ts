import { and, eq, inArray, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { UploadKind, UploadLimit } from '../../config.js';
import type { Queryable } from '../../db/client.js';
import { FILE_PURPOSE, fileRefs, storedFiles } from '../../db/schema/index.js';
import { CONVERSATION } from '../messages/vocabulary.js';
import type { Deps } from '../deps.js';
import { InvalidInputError, NotFoundError } from '../errors.js';
import { claimedApp, seal, unseal } from '../keys.js';
import type { Target } from '../messages/model.js';

export type FileRef = typeof fileRefs.$inferSelect;
export type StoredFile = typeof storedFiles.$inferSelect;
export type Purpose = (typeof FILE_PURPOSE)[keyof typeof FILE_PURPOSE];

/** A reference with its bytes. */
export interface ReadyFile {
  ref: FileRef;
  file: StoredFile;
}

/** The dialect's file types: 100–104 chat files, 200–203 files shared in a group. */
export const CHAT_FILE_TYPES = [100, 101, 102, 103, 104] as const;
export const SHARED_FILE_TYPES = [200, 201, 202, 203] as const;

const KIND_OF_TYPE: Record<number, UploadKind> = {
  100: 'file',
  101: 'voice',
  102: 'image',
  103: 'video',
  104: 'voice',
  200: 'file',
  201: 'voice',
  202: 'image',
  203: 'video',
};

/** Voice slots say which codec they take. */
const NARROWED: Record<number, string[]> = { 101: ['audio/amr'], 104: ['audio/mpeg'] };

/** What an upload into a reference may be: the kind's limit, narrowed for AMR and MP3 voice. */
export function limitOf(limits: Record<UploadKind, UploadLimit>, ref: Pick<FileRef, 'purpose' | 'fileType'>): UploadLimit {
  const avatar = ref.purpose === FILE_PURPOSE.USER_AVATAR || ref.purpose === FILE_PURPOSE.GROUP_AVATAR;
  const limit = limits[avatar ? 'avatar' : (KIND_OF_TYPE[ref.fileType] ?? 'file')];
  const narrowed = NARROWED[ref.fileType];
  if (!narrowed) return limit;
  return { maxBytes: limit.maxBytes, types: limit.types.includes('*') ? narrowed : narrowed.filter((t) => limit.types.includes(t)) };
}

export const isAvatar = (ref: Pick<FileRef, 'purpose'>) =>
  ref.purpose === FILE_PURPOSE.USER_AVATAR || ref.purpose === FILE_PURPOSE.GROUP_AVATAR;

/** Chat references live in a conversation: the scope of a target as seen by `userId`. */
export function chatScope(userId: number | null, target: Target) {
  if (target.kind === CONVERSATION.GROUP) return { scopeKind: CONVERSATION.GROUP, scopeLow: target.id, scopeHigh: null };
  const a = userId ?? target.id;
  return { scopeKind: CONVERSATION.DIRECT, scopeLow: Math.min(a, target.id), scopeHigh: Math.max(a, target.id) };
}

// ---- Signed references ----------------------------------------------------------------------

const PURPOSE = 'file';

/** `d` downloads the bytes of a reference; `u` uploads into an empty one (a slot). */
const sealed = z.object({ a: z.string(), r: z.number().int().positive(), t: z.enum(['d', 'u']), e: z.number().int().nullable() });
type Sealed = z.infer<typeof sealed>;

/**
 * A signed reference: `file_sign` for chat and shared files (expires), `object_name` for avatars
 * (profiles keep their URL, so it does not), and upload tokens of slots (expire with the slot).
 */
export const signReference = (db: Queryable, ref: Pick<FileRef, 'appId' | 'id'>, use: 'd' | 'u', expiresAt: Date | null) =>
  seal(db, ref.appId, PURPOSE, { a: ref.appId, r: ref.id, t: use, e: expiresAt?.getTime() ?? null } satisfies Sealed);

/** A download reference for a ready file: avatars never expire, the rest after FILE_URL_TTL_SECONDS. */
export const downloadSign = (deps: Deps, ref: FileRef, now = Date.now()) =>
  signReference(deps.db, ref, 'd', isAvatar(ref) ? null : new Date(now + deps.config.files.urlTtlSeconds * 1000));

/**
 * Verifies a signed reference of `appId` (the app of the caller; upload tokens, which need no
 * caller, name their app themselves) and answers the reference id. Forged, malformed and other
 * apps' references are FILE_REFERENCE_INVALID; past their time, FILE_REFERENCE_EXPIRED.
 */
export async function verifyReference(
  db: Queryable,
  appId: string | undefined,
  text: string,
  use: 'd' | 'u',
  field: string,
  now = Date.now(),
): Promise<{ appId: string; refId: number }> {
  const sign = referenceIn(text);
  const app = appId ?? (sign ? claimedApp(sign) : undefined);
  const payload = sign && app ? sealed.safeParse(await unseal(db, app, PURPOSE, sign).catch(() => undefined)) : undefined;
  if (!payload?.success || payload.data.a !== app || payload.data.t !== use) {
    throw new InvalidInputError(field, 'is not a genuine file reference of this app', 'FILE_REFERENCE_INVALID');
  }
  if (payload.data.e !== null && payload.data.e <= now) {
    throw new InvalidInputError(field, use === 'u' ? 'this upload slot has expired' : 'this file reference has expired', 'FILE_REFERENCE_EXPIRED');
  }
  return { appId: app!, refId: payload.data.r };
}

/** A reference as clients pass it: the signature itself, or a download URL carrying it. */
function referenceIn(text: string): string | undefined {
  const value = text.trim();
  if (!/^https?:\/\//i.test(value) && !value.startsWith('/')) return value || undefined;
  try {
    const url = new URL(value, 'http://localhost');
    return url.searchParams.get('file_sign') ?? url.searchParams.get('object_name') ?? undefined;
  } catch {
    return undefined;
  }
}

// ---- Lookups --------------------------------------------------------------------------------

/** A reference of the app with its bytes; FILE_NOT_FOUND when missing, still empty, or freed. */
export async function findReadyFile(db: Queryable, appId: string, refId: number): Promise<ReadyFile> {
  const [row] = await db
    .select({ ref: fileRefs, file: storedFiles })
    .from(fileRefs)
    .innerJoin(storedFiles, eq(storedFiles.id, fileRefs.fileId))
    .where(and(eq(fileRefs.appId, appId), eq(fileRefs.id, refId), isNull(storedFiles.deletedAt)));
  if (!row) throw new NotFoundError('FILE_NOT_FOUND', `file ${refId} does not exist`);
  return row;
}

/** Ready references of the app with their bytes, by id (a dataloader's batch). */
export async function findReadyFiles(db: Queryable, appId: string, refIds: readonly number[]): Promise<ReadyFile[]> {
  if (refIds.length === 0) return [];
  return db
    .select({ ref: fileRefs, file: storedFiles })
    .from(fileRefs)
    .innerJoin(storedFiles, eq(storedFiles.id, fileRefs.fileId))
    .where(and(eq(fileRefs.appId, appId), inArray(fileRefs.id, [...refIds]), isNull(storedFiles.deletedAt)));
}

/** Where cached renditions of a stored file live: beside it, under its key. */
export const variantKey = (file: Pick<StoredFile, 'storageKey'>, variant: string) => `${file.storageKey}.${variant}`;
