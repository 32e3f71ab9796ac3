import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import type { TestServer, TestUser } from './server.js';

/** An image of the given format, made by sharp: a gradient so it compresses like a photo. */
export async function image(format: 'jpeg' | 'png' | 'webp' | 'gif' | 'avif', width = 640, height = 480): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i += 3) {
    const x = (i / 3) % width;
    const y = Math.floor(i / 3 / width);
    pixels[i] = x % 256;
    pixels[i + 1] = y % 256;
    pixels[i + 2] = (x + y) % 256;
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })[format]().toBuffer();
}

/** One second of AMR-NB (12.2 kbit/s frames): the format voice messages use. */
export function amr(): Buffer {
  const frames = Array.from({ length: 50 }, (_, i) => Buffer.from([0x3c, ...Array.from({ length: 31 }, (_, j) => (i * 37 + j * 11) % 256)]));
  return Buffer.concat([Buffer.from('#!AMR\n'), ...frames]);
}

/** One second of 320×240 MPEG-4 video with AAC sound (test/fixtures/clip.mp4). */
export const clip = () => readFile(new URL('../fixtures/clip.mp4', import.meta.url));

export interface Slot {
  upload_url: string;
  download_url: string;
  oss_body_param: Record<string, string>;
}

/** Uploads into a slot as the document says: multipart POST, the slot's fields first, then `file`. */
export async function upload(slot: Slot, bytes: Buffer, name = 'file.bin') {
  const form = new FormData();
  for (const [key, value] of Object.entries(slot.oss_body_param)) form.append(key, value);
  form.append('file', new Blob([new Uint8Array(bytes)]), name);
  const res = await fetch(slot.upload_url, { method: 'POST', body: form });
  return { status: res.status, body: (await res.json()) as { code: number; message: string | null; data: any; error?: string } };
}

/** Downloads with the token and app id as query parameters, as an `<img src>` would. */
export async function download(server: TestServer, url: string, viewer: TestUser | string | undefined, extra: Record<string, string> = {}, headers: Record<string, string> = {}) {
  const target = new URL(url);
  if (viewer) target.searchParams.set('access-token', typeof viewer === 'string' ? viewer : viewer.token);
  target.searchParams.set('app_id', server.appId);
  for (const [k, v] of Object.entries(extra)) target.searchParams.set(k, v);
  const res = await fetch(target, { headers });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, bytes, json: () => JSON.parse(bytes.toString('utf8')) };
}

/** Uploads a small text file for a group's shared files (GraphQL slot, multipart upload) and answers its download URL. */
export async function sharedFileUrl(server: TestServer, token: string, groupId: string, text = 'shared notes\n'): Promise<string> {
  const res = await server.gql(
    `mutation($g: ID!) { createUploadSlot(input: { purpose: GROUP_FILE, fileType: SHARED_FILE, groupId: $g }) {
      __typename ... on CreateUploadSlotPayload { slot { uploadUrl formFields downloadUrl } } ... on Error { code message } } }`,
    { g: groupId },
    { token },
  );
  const slot = res.data?.createUploadSlot?.slot;
  if (!slot) throw new Error(`no upload slot: ${JSON.stringify(res)}`);
  const done = await upload({ upload_url: slot.uploadUrl, download_url: slot.downloadUrl, oss_body_param: slot.formFields }, Buffer.from(text), 'notes.txt');
  if (done.status !== 200) throw new Error(`upload failed: ${JSON.stringify(done.body)}`);
  return slot.downloadUrl;
}
