import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../../config.js';

/**
 * Encryption at rest of push credentials and webhook secrets: AES-256-GCM, a fresh 96-bit nonce
 * per value, stored as nonce ‖ tag ‖ ciphertext. The key is PUSH_SECRET_KEY, or a random key kept
 * in DATA_DIR/push-secret.key (created once, mode 0600). Processes that share a database must
 * share the key: several machines set PUSH_SECRET_KEY.
 */
export interface Sealer {
  seal(plain: string): Buffer;
  open(sealed: Buffer): string;
}

const KEY_FILE = 'push-secret.key';
const sealers = new WeakMap<Config, Promise<Sealer>>();

export function sealerOf(config: Config): Promise<Sealer> {
  let sealer = sealers.get(config);
  if (!sealer) sealers.set(config, (sealer = loadKey(config).then(sealerWith)));
  return sealer;
}

async function loadKey(config: Config): Promise<Buffer> {
  if (config.push.secretKey) return Buffer.from(config.push.secretKey, 'base64');
  const path = join(config.dataDir, KEY_FILE);
  await mkdir(config.dataDir, { recursive: true });
  // Written whole under a temporary name, then linked into place: link fails if another process
  // got there first, and nobody ever reads a half-written key.
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(temporary, randomBytes(32).toString('base64') + '\n', { mode: 0o600 });
  try {
    await link(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(temporary);
  }
  const key = Buffer.from((await readFile(path, 'utf8')).trim(), 'base64');
  if (key.length !== 32) throw new Error(`${path} does not hold a 32-byte base64 key`);
  return key;
}

function sealerWith(key: Buffer): Sealer {
  return {
    seal(plain) {
      const nonce = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, nonce);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([nonce, cipher.getAuthTag(), body]);
    },
    open(sealed) {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
      decipher.setAuthTag(sealed.subarray(12, 28));
      return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}
