import type { Readable } from 'node:stream';
import type { FileSettings } from '../config.js';

/** A byte range, both ends inclusive (as in HTTP `Range: bytes=start-end`). */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Where file bytes live: local disk or an S3-compatible bucket. Every transfer is a stream, so no
 * object is ever held whole in memory. A `put` is all or nothing: an object appears under its
 * key only once all its bytes are stored; a failed or aborted put leaves nothing behind.
 */
export interface ObjectStorage {
  readonly kind: 'local' | 's3';
  /** Stores a stream under `key`. Rejects (storing nothing) if the stream errors. */
  put(key: string, body: Readable, contentType: string): Promise<void>;
  /** The object's bytes, or a range of them; undefined when there is no such object. */
  get(key: string, range?: ByteRange): Promise<Readable | undefined>;
  /** The object's size, or undefined when there is no such object. */
  size(key: string): Promise<number | undefined>;
  /** Removes objects; missing ones are ignored. */
  delete(keys: string[]): Promise<void>;
  /** Every key under a prefix (tests count objects with it; the sweeper looks for strays). */
  list(prefix: string): Promise<string[]>;
  /**
   * Something ffmpeg can open with random access (a path, or a presigned URL): video and audio
   * containers often need to seek.
   */
  inputFor(key: string): Promise<string>;
  /** A presigned PUT URL for direct uploads (S3 only). */
  presignPut?(key: string, contentType: string, expiresInSeconds: number): Promise<string>;
  /** Removes leftovers of interrupted puts older than `before` (temporary files, unfinished multipart uploads). */
  sweepPartial(before: Date): Promise<number>;
  close(): Promise<void>;
}

export async function openStorage(settings: FileSettings['storage']): Promise<ObjectStorage> {
  if (settings.kind === 's3') {
    const { S3Storage } = await import('./s3.js');
    return S3Storage.open(settings);
  }
  const { LocalStorage } = await import('./local.js');
  return LocalStorage.open(settings.dir);
}
