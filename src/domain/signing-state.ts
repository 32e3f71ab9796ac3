import { createHash } from 'node:crypto';

/**
 * HMAC-SHA1 keyed with an app secret, computable without keeping the secret: we keep the SHA-1
 * states after the key's inner and outer pads (RFC 2104 §4 suggests exactly this precomputation).
 * Whoever holds the states can sign as the secret would, but cannot recover the secret, so a
 * leaked states column cannot mint admin tokens (those need the secret, kept only as an argon2
 * hash). The legacy signature service (seed 002) signs with HMAC-SHA1 of the app secret.
 */

const BLOCK = 64;

/** The 40-byte state (inner then outer, hex) that stands for `secret` as an HMAC-SHA1 key. */
export function hmacSha1State(secret: string): string {
  let key = Buffer.from(secret, 'utf8');
  if (key.length > BLOCK) key = createHash('sha1').update(key).digest();
  const pad = (byte: number) => Buffer.from(Array.from({ length: BLOCK }, (_, i) => (key[i] ?? 0) ^ byte));
  const inner = compress(INITIAL.slice(), pad(0x36));
  const outer = compress(INITIAL.slice(), pad(0x5c));
  return Buffer.concat([words(inner), words(outer)]).toString('hex');
}

/** Lowercase hex HMAC-SHA1 of `message` with the key a state stands for. */
export function hmacSha1WithState(state: string, message: string): string {
  const bytes = Buffer.from(state, 'hex');
  if (bytes.length !== 40) throw new Error('not an HMAC-SHA1 state');
  const inner = finish(stateOf(bytes.subarray(0, 20)), Buffer.from(message, 'utf8'));
  return finish(stateOf(bytes.subarray(20)), inner).toString('hex');
}

const INITIAL = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];

const stateOf = (bytes: Buffer) => Array.from({ length: 5 }, (_, i) => bytes.readUInt32BE(i * 4));

function words(state: number[]): Buffer {
  const out = Buffer.alloc(20);
  state.forEach((w, i) => out.writeUInt32BE(w >>> 0, i * 4));
  return out;
}

/** SHA-1 of `data` continued from a state that has already consumed one 64-byte block. */
function finish(state: number[], data: Buffer): Buffer {
  const bits = BigInt(BLOCK + data.length) * 8n;
  const padded = Buffer.alloc(Math.ceil((data.length + 9) / BLOCK) * BLOCK);
  data.copy(padded);
  padded[data.length] = 0x80;
  padded.writeBigUInt64BE(bits, padded.length - 8);
  for (let offset = 0; offset < padded.length; offset += BLOCK) compress(state, padded.subarray(offset, offset + BLOCK));
  return words(state);
}

/** One SHA-1 compression (FIPS 180-4 §6.1.2) of a 64-byte block into `state`, in place. */
function compress(state: number[], block: Buffer): number[] {
  const w = new Array<number>(80);
  for (let t = 0; t < 16; t++) w[t] = block.readUInt32BE(t * 4);
  for (let t = 16; t < 80; t++) w[t] = rotl(w[t - 3]! ^ w[t - 8]! ^ w[t - 14]! ^ w[t - 16]!, 1);
  let [a, b, c, d, e] = state as [number, number, number, number, number];
  for (let t = 0; t < 80; t++) {
    const [f, k] =
      t < 20 ? [(b & c) | (~b & d), 0x5a827999] : t < 40 ? [b ^ c ^ d, 0x6ed9eba1] : t < 60 ? [(b & c) | (b & d) | (c & d), 0x8f1bbcdc] : [b ^ c ^ d, 0xca62c1d6];
    const temp = (rotl(a, 5) + f + e + k + w[t]!) >>> 0;
    e = d;
    d = c;
    c = rotl(b, 30);
    b = a;
    a = temp;
  }
  state[0] = (state[0]! + a) >>> 0;
  state[1] = (state[1]! + b) >>> 0;
  state[2] = (state[2]! + c) >>> 0;
  state[3] = (state[3]! + d) >>> 0;
  state[4] = (state[4]! + e) >>> 0;
  return state;
}

const rotl = (x: number, n: number) => ((x << n) | (x >>> (32 - n))) >>> 0;
