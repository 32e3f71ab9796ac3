import type { Readable } from 'node:stream';
import type { Deps } from '../deps.js';
import { AuthenticationError, InvalidInputError } from '../errors.js';
import type { Viewer } from '../viewer.js';
import { requireReadable } from './access.js';
import {
  PREVIEW_SIZE,
  THUMBNAIL_SIZE,
  audioToMp3,
  imageViaFfmpeg,
  isAudio,
  isImage,
  isVideo,
  resizeToJpeg,
  sharpReads,
  videoCover,
} from './media.js';
import { findReadyFile, variantKey, verifyReference, type ReadyFile, type StoredFile } from './model.js';

/** What to serve of a file: its bytes, a thumbnail (image_type 2), a cover or preview (3), or MP3 audio. */
export type Variant = 'ORIGINAL' | 'THUMBNAIL' | 'PREVIEW' | 'MP3';

export interface Download {
  file: ReadyFile;
  /** The object to stream (the original or a cached rendition). */
  key: string;
  size: number;
  contentType: string;
  /** Strong validator: the content's hash and the rendition. */
  etag: string;
  lastModified: Date;
  /** Audio and video are served in ranges (seeking players ask for them). */
  ranges: boolean;
}

/**
 * Opens a file for the viewer: the reference must be genuine, of the viewer's app and unexpired,
 * and the viewer must be allowed to see it (see requireReadable). Renditions are made on first
 * use and cached in storage beside the original.
 */
export async function openDownload(deps: Deps, viewer: Viewer, reference: string, variant: Variant): Promise<Download> {
  if (viewer.kind === 'anonymous') throw new AuthenticationError('TOKEN_MISSING', 'an access token is required (header or access-token parameter)');
  const { refId } = await verifyReference(deps.db, viewer.appId, reference, 'd', 'file_sign');
  const found = await findReadyFile(deps.db, viewer.appId, refId);
  await requireReadable(deps, viewer, found.ref);
  const { file } = found;
  const rendition = await renditionOf(deps, file, variant);
  const base = { file: found, lastModified: file.createdAt, etag: `"${file.sha256.slice(0, 40)}-${variant.toLowerCase()}"` };
  if (!rendition) {
    return { ...base, key: file.storageKey, size: file.size, contentType: file.mimeType, ranges: isAudio(file) || isVideo(file) };
  }
  return { ...base, ...rendition, ranges: rendition.contentType.startsWith('audio/') };
}

/** Streams a download (or a range of it) from storage. */
export async function streamDownload(deps: Deps, download: Download, range?: { start: number; end: number }): Promise<Readable> {
  const stream = await deps.storage.get(download.key, range);
  if (!stream) throw new Error(`object ${download.key} is missing from storage`);
  return stream;
}

async function renditionOf(deps: Deps, file: StoredFile, variant: Variant): Promise<{ key: string; size: number; contentType: string } | undefined> {
  switch (variant) {
    case 'ORIGINAL':
      return undefined;
    case 'MP3':
      if (file.mimeType === 'audio/mpeg') return undefined;
      if (!isAudio(file)) throw noVariant('format=mp3 applies to voice files only');
      return cached(deps, file, 'mp3', 'audio/mpeg', async () => audioToMp3(deps, await deps.storage.inputFor(file.storageKey)));
    case 'THUMBNAIL':
    case 'PREVIEW': {
      const size = variant === 'THUMBNAIL' ? THUMBNAIL_SIZE : PREVIEW_SIZE;
      const name = variant === 'THUMBNAIL' ? 'thumb.jpg' : 'preview.jpg';
      if (isVideo(file)) {
        return cached(deps, file, name, 'image/jpeg', async () => resizeToJpeg(videoCover(deps, await deps.storage.inputFor(file.storageKey)), size));
      }
      if (!isImage(file)) throw noVariant('thumbnails and covers exist for images and videos only');
      return cached(deps, file, name, 'image/jpeg', async () =>
        resizeToJpeg(sharpReads(file) ? (await deps.storage.get(file.storageKey))! : imageViaFfmpeg(deps, await deps.storage.inputFor(file.storageKey)), size),
      );
    }
  }
}

const noVariant = (why: string) => new InvalidInputError('image_type', why, 'NO_SUCH_VARIANT');

/** Renditions being made in this process, so concurrent first requests make each one once. */
const making = new Map<string, Promise<void>>();

async function cached(deps: Deps, file: StoredFile, name: string, contentType: string, make: () => Promise<Readable>) {
  const key = variantKey(file, name);
  let size = await deps.storage.size(key);
  if (size === undefined) {
    let job = making.get(key);
    if (!job) {
      job = make().then((stream) => deps.storage.put(key, stream, contentType));
      making.set(key, job);
      void job.finally(() => making.delete(key)).catch(() => {});
    }
    await job;
    size = (await deps.storage.size(key))!;
  }
  return { key, size, contentType };
}
