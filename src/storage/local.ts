import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ByteRange, ObjectStorage } from './index.js';

const TMP = '.tmp';

/**
 * Objects as files under one directory. A put writes a temporary file beside the others and
 * renames it into place once complete, so a reader never sees half an object.
 */
export class LocalStorage implements ObjectStorage {
  readonly kind = 'local';

  private constructor(private readonly root: string) {}

  static async open(dir: string) {
    const root = resolve(dir);
    await mkdir(join(root, TMP), { recursive: true });
    return new LocalStorage(root);
  }

  private path(key: string) {
    const path = resolve(this.root, key);
    if (!path.startsWith(this.root + sep) || key.startsWith(TMP)) throw new Error(`bad storage key ${key}`);
    return path;
  }

  async put(key: string, body: Readable, _contentType: string) {
    const target = this.path(key);
    const temporary = join(this.root, TMP, `${Date.now()}-${randomBytes(8).toString('hex')}`);
    try {
      await pipeline(body, createWriteStream(temporary, { flags: 'wx' }));
      await mkdir(dirname(target), { recursive: true });
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  async get(key: string, range?: ByteRange) {
    const path = this.path(key);
    if ((await this.size(key)) === undefined) return undefined;
    return createReadStream(path, range ? { start: range.start, end: range.end } : {});
  }

  async size(key: string) {
    try {
      const s = await stat(this.path(key));
      return s.isFile() ? s.size : undefined;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async delete(keys: string[]) {
    await Promise.all(keys.map((key) => rm(this.path(key), { force: true })));
  }

  async list(prefix: string) {
    // Only the folder the prefix names is read: purging one file does not walk them all.
    const folder = join(this.root, prefix.slice(0, prefix.lastIndexOf('/') + 1));
    const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    });
    return entries
      .filter((e) => e.isFile())
      .map((e) => relative(this.root, join(e.parentPath, e.name)).split(sep).join('/'))
      .filter((key) => !key.startsWith(`${TMP}/`) && key.startsWith(prefix))
      .sort();
  }

  async inputFor(key: string) {
    return this.path(key);
  }

  async sweepPartial(before: Date) {
    const dir = join(this.root, TMP);
    let removed = 0;
    for (const name of await readdir(dir)) {
      const path = join(dir, name);
      const s = await stat(path).catch(() => undefined);
      if (s && s.mtime < before) {
        await rm(path, { force: true });
        removed++;
      }
    }
    return removed;
  }

  async close() {}
}
