import type { IncomingHttpHeaders } from 'node:http';
import type { Config } from '../config.js';
import type { Deps } from '../domain/deps.js';
import { downloadSign, isAvatar, signReference, type FileRef, type ReadyFile } from '../domain/files/model.js';

/** Where clients reach this server: PUBLIC_URL, or the scheme and host they used for this request. */
export type UrlBuilder = { base: string };

export function urlBuilder(config: Config, headers: IncomingHttpHeaders | Pick<Headers, 'get'> | undefined): UrlBuilder {
  if (config.files.publicUrl) return { base: config.files.publicUrl };
  const get = (name: string) => {
    if (!headers) return undefined;
    // Fetch headers (yoga's own ponyfill among them) or Node's header object.
    if (typeof headers.get === 'function') return (headers as Pick<Headers, 'get'>).get(name) ?? undefined;
    const value = (headers as IncomingHttpHeaders)[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const host = get('x-forwarded-host')?.split(',')[0]?.trim() || get('host') || `localhost:${config.port}`;
  const proto = get('x-forwarded-proto')?.split(',')[0]?.trim() === 'https' ? 'https' : 'http';
  return { base: `${proto}://${host}` };
}

/** The signed download URL of a reference: `object_name=` for avatars, `file_sign=` otherwise. */
export async function downloadUrl(deps: Deps, urls: UrlBuilder, ref: FileRef): Promise<string> {
  const sign = await downloadSign(deps, ref);
  return isAvatar(ref)
    ? `${urls.base}/file/download/avatar?object_name=${encodeURIComponent(sign)}`
    : `${urls.base}/file/download/chat?file_sign=${encodeURIComponent(sign)}`;
}

/** Where and how to upload into a slot: multipart POST (or PUT) to `uploadUrl` with `formFields` before the file. */
export async function uploadTarget(deps: Deps, urls: UrlBuilder, slot: FileRef, expiresAt: Date) {
  const token = await signReference(deps.db, slot, 'u', expiresAt);
  return {
    uploadUrl: `${urls.base}/file/upload/bytes`,
    formFields: { token },
    downloadUrl: await downloadUrl(deps, urls, slot),
    expiresAt,
  };
}

/** What an upload answers: the dialect's download URL and the file as stored. */
export async function fileDetails(deps: Deps, urls: UrlBuilder, { ref, file }: ReadyFile) {
  return {
    download_url: await downloadUrl(deps, urls, ref),
    name: ref.name,
    size: file.size,
    mime_type: file.mimeType,
    width: file.width,
    height: file.height,
    duration: file.durationMs,
  };
}
