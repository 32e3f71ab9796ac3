import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { and, eq, isNull } from 'drizzle-orm';
import { fileTypeFromBuffer } from 'file-type';
import { fileRefs, storedFiles } from '../../db/schema/index.js';
import type { Deps } from '../deps.js';
import { InvalidInputError } from '../errors.js';
import { transaction } from '../transactions.js';
import { imageSize, isAudio, isImage, isVideo, probeMedia, sharpReads } from './media.js';
import type { Viewer } from '../viewer.js';
import { limitOf, signReference, verifyReference, type FileRef, type ReadyFile } from './model.js';
import { createUploadSlot, type SlotRequest } from './slots.js';

/** file-type reads at most this much to recognise a format. */
const SNIFF_BYTES = 4100;

export interface IncomingFile {
  /** The bytes, as they arrive. An error on it (a dropped connection) aborts the upload. */
  stream: AsyncIterable<Buffer>;
  /** The name the client gave; only shown back, never trusted for the type. */
  filename: string;
}

/**
 * Stores an upload into its slot. The type is detected from the first bytes and checked against
 * the slot's kind before anything is kept; the size is counted as the bytes stream through and
 * the upload fails the moment it passes the kind's limit. Storage keeps the object only once
 * every byte is in (see ObjectStorage.put); the slot then points at it in one transaction. On
 * any failure nothing is left behind, and the slot still takes another try until it expires.
 */
export async function receiveUpload(deps: Deps, token: string, incoming: IncomingFile): Promise<ReadyFile> {
  const { appId, refId } = await verifyReference(deps.db, undefined, token, 'u', 'token');
  const slot = await openSlot(deps, appId, refId);
  const limit = limitOf(deps.config.files.limits, slot);

  // What went wrong while streaming, as reported to the client (storage clients may wrap it).
  let failure: unknown;
  const iterator = incoming.stream[Symbol.asyncIterator]();
  const source = {
    next: () =>
      iterator.next().catch(() => {
        throw (failure = new InvalidInputError('file', 'the upload ended before all its bytes arrived', 'UPLOAD_INCOMPLETE'));
      }),
  };
  const { head, ended } = await readHead(source);
  const mimeType = await detect(head);
  if (!limit.types.includes('*') && !limit.types.includes(mimeType)) {
    throw new InvalidInputError('file', `is ${mimeType === 'application/octet-stream' ? 'of an unknown type' : mimeType}; this slot takes ${limit.types.join(', ')}`, 'FILE_TYPE_NOT_ALLOWED');
  }
  if (head.length === 0) throw new InvalidInputError('file', 'is empty', 'UPLOAD_INCOMPLETE');

  const hash = createHash('sha256');
  let size = 0;
  const count = (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit.maxBytes) {
      throw (failure = new InvalidInputError('file', `is larger than ${limit.maxBytes} bytes, the limit for this kind of file`, 'FILE_TOO_LARGE'));
    }
    hash.update(chunk);
    return chunk;
  };
  const body = Readable.from(
    (async function* () {
      yield count(head);
      if (ended) return;
      for (;;) {
        const next = await source.next();
        if (next.done) return;
        yield count(next.value);
      }
    })(),
  );

  const storageKey = `${appId}/${randomBytes(16).toString('hex')}`;
  await deps.storage.put(storageKey, body, mimeType).catch((error: unknown) => {
    throw failure ?? error;
  });
  try {
    const meta = await describe(deps, storageKey, mimeType);
    return await transaction(deps.db, async (tx) => {
      const [current] = await tx.select().from(fileRefs).where(and(eq(fileRefs.appId, appId), eq(fileRefs.id, refId))).for('update');
      if (!current || current.fileId !== null) throw slotClosed();
      const [file] = await tx
        .insert(storedFiles)
        .values({ appId, storageKey, size, mimeType, sha256: hash.digest('hex'), ...meta })
        .returning();
      const [ref] = await tx
        .update(fileRefs)
        .set({ fileId: file!.id, expiresAt: null, name: cleanName(incoming.filename) })
        .where(eq(fileRefs.id, refId))
        .returning();
      return { ref: ref!, file: file! };
    });
  } catch (error) {
    await deps.storage.delete([storageKey]);
    throw error;
  }
}

async function openSlot(deps: Deps, appId: string, refId: number): Promise<FileRef> {
  const [slot] = await deps.db.select().from(fileRefs).where(and(eq(fileRefs.appId, appId), eq(fileRefs.id, refId)));
  if (!slot || slot.fileId !== null || (slot.expiresAt !== null && slot.expiresAt <= new Date())) throw slotClosed();
  return slot;
}

const slotClosed = () => new InvalidInputError('token', 'this upload slot was used already or has expired: ask for a new one', 'UPLOAD_SLOT_CLOSED');

async function readHead(source: { next(): Promise<IteratorResult<Buffer>> }): Promise<{ head: Buffer; ended: boolean }> {
  const chunks: Buffer[] = [];
  let length = 0;
  while (length < SNIFF_BYTES) {
    const next = await source.next();
    if (next.done) return { head: Buffer.concat(chunks), ended: true };
    chunks.push(next.value);
    length += next.value.length;
  }
  return { head: Buffer.concat(chunks), ended: false };
}

/** The media type the bytes show; plain text is recognised by being valid UTF-8 without control bytes. */
async function detect(head: Buffer): Promise<string> {
  const found = await fileTypeFromBuffer(head);
  if (found) return found.mime;
  return looksLikeText(head) ? 'text/plain' : 'application/octet-stream';
}

function looksLikeText(head: Buffer): boolean {
  if (head.length === 0) return false;
  // The head may end inside a multi-byte character: judge what comes before it.
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head.subarray(0, Math.max(1, head.length - 3)));
  return !text.includes('\uFFFD') && !/[\x00-\x08\x0E-\x1F]/.test(text);
}

/** Dimensions and duration, as far as the tools tell; a file they cannot read simply has none. */
async function describe(deps: Deps, key: string, mimeType: string) {
  const file = { mimeType };
  if (isImage(file) && sharpReads(file)) {
    const input = await deps.storage.get(key);
    const size = input ? await imageSize(input) : undefined;
    return { width: size?.width ?? null, height: size?.height ?? null, durationMs: null };
  }
  if (isVideo(file) || isAudio(file) || isImage(file)) {
    const probed = await probeMedia(deps, await deps.storage.inputFor(key));
    return { width: probed.width ?? null, height: probed.height ?? null, durationMs: isImage(file) ? null : (probed.durationMs ?? null) };
  }
  return { width: null, height: null, durationMs: null };
}

/** A file name to show: no path, no control characters, at most 255 characters. */
function cleanName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  return base.replace(/[\x00-\x1F\x7F]/g, '').trim().slice(0, 255);
}

/**
 * Opens a slot and uploads into it in one go (GraphQL multipart uploads). A failed upload takes
 * its slot with it.
 */
export async function uploadFile(deps: Deps, viewer: Viewer, request: SlotRequest, incoming: IncomingFile): Promise<ReadyFile> {
  const slot = await createUploadSlot(deps, viewer, request);
  try {
    return await receiveUpload(deps, await signReference(deps.db, slot.ref, 'u', slot.expiresAt), incoming);
  } catch (error) {
    await deps.db.delete(fileRefs).where(and(eq(fileRefs.id, slot.ref.id), isNull(fileRefs.fileId)));
    throw error;
  }
}
