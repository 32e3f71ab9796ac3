import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { MAXIM_CODES } from '../compat/maxim/codes.js';
import { authenticate } from '../domain/accounts/tokens.js';
import type { Deps } from '../domain/deps.js';
import { DomainError, InvalidInputError, type ErrorCode } from '../domain/errors.js';
import { openDownload, streamDownload, type Variant } from '../domain/files/download.js';
import { receiveUpload } from '../domain/files/upload.js';
import type { Logger } from '../logger.js';
import { fileDetails, type UrlBuilder } from './urls.js';

// The byte transport: uploads into slots and signed downloads. These carry bytes, not GraphQL
// documents, so they call the domain directly (as resolvers do); both API styles hand out URLs
// that end here. Query strings may carry access tokens: nothing here logs a URL.

export const UPLOAD_PATH = '/file/upload/bytes';
export const DOWNLOAD_PATHS = { chat: '/file/download/chat', avatar: '/file/download/avatar' } as const;

/** Status codes of file failures; everything else answers as the REST dialect does (200 with a code). */
const STATUS: Partial<Record<ErrorCode, number>> = {
  TOKEN_MISSING: 401,
  TOKEN_INVALID: 401,
  TOKEN_REVOKED: 401,
  TOKEN_EXPIRED: 401,
  APP_NOT_FOUND: 404,
  FORBIDDEN: 403,
  USER_DISABLED: 403,
  FILE_NOT_FOUND: 404,
  FILE_REFERENCE_INVALID: 403,
  FILE_REFERENCE_EXPIRED: 410,
  UPLOAD_SLOT_CLOSED: 410,
  FILE_TOO_LARGE: 413,
  FILE_TYPE_NOT_ALLOWED: 415,
  UPLOAD_INCOMPLETE: 400,
  INVALID_INPUT: 400,
  NO_SUCH_VARIANT: 400,
  CONVERSION_FAILED: 422,
  CONVERTER_UNAVAILABLE: 501,
};

export function createFileRoutes(deps: Deps, urls: (req: IncomingMessage) => UrlBuilder, logger: Logger) {
  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const download = url.pathname === DOWNLOAD_PATHS.chat || url.pathname === DOWNLOAD_PATHS.avatar;
    if (url.pathname !== UPLOAD_PATH && !download) return false;
    try {
      if (download) {
        if (req.method !== 'GET' && req.method !== 'HEAD') return refuseMethod(res, req, url), true;
        await serveDownload(req, res, url);
      } else {
        if (req.method !== 'POST' && req.method !== 'PUT') return refuseMethod(res, req, url), true;
        await serveUpload(req, res, url);
      }
    } catch (error) {
      if (!(error instanceof DomainError)) logger.error({ err: error, path: url.pathname }, 'file request failed');
      fail(req, res, error);
    }
    return true;
  }

  async function serveUpload(req: IncomingMessage, res: ServerResponse, url: URL) {
    const uploaded =
      req.method === 'PUT'
        ? await receiveUpload(deps, url.searchParams.get('token') ?? '', { stream: req, filename: url.searchParams.get('name') ?? '' })
        : await receiveMultipart(req, url.searchParams.get('token') ?? undefined);
    json(res, 200, { code: 200, message: null, data: await fileDetails(deps, urls(req), uploaded) });
  }

  /** A multipart form: the slot's fields (`token`) first, then `file`, as with object-storage POST policies. */
  function receiveMultipart(req: IncomingMessage, queryToken: string | undefined) {
    return new Promise<Awaited<ReturnType<typeof receiveUpload>>>((resolve, reject) => {
      let form: busboy.Busboy;
      try {
        form = busboy({ headers: req.headers, limits: { files: 1, fields: 20, fieldSize: 16 * 1024, parts: 30 } });
      } catch {
        return reject(new InvalidInputError('body', 'must be multipart/form-data with a `file` part'));
      }
      let token = queryToken;
      let started = false;
      const interrupted = (file: Readable) => () => {
        if (!req.complete) file.destroy(new Error('the request was interrupted'));
      };
      form.on('field', (name, value) => {
        if (name === 'token') token ??= value;
      });
      form.on('file', (name, file, info) => {
        // Errors reach the upload through its reads; once it stopped reading (a refused type), a
        // late one (the body cut short) must not go unhandled and take the process down.
        file.on('error', () => {});
        if (name !== 'file' || started) return file.resume();
        started = true;
        if (!token) {
          file.resume();
          return reject(new InvalidInputError('token', 'send the fields of oss_body_param (token) before the file, or token in the URL'));
        }
        req.once('close', interrupted(file));
        receiveUpload(deps, token, { stream: file, filename: info.filename ?? '' }).then(resolve, reject);
      });
      form.on('error', () => reject(new InvalidInputError('file', 'the upload ended before all its bytes arrived', 'UPLOAD_INCOMPLETE')));
      form.once('close', () => {
        if (!started) reject(new InvalidInputError('file', 'is missing: send the file in a part named `file`'));
      });
      req.pipe(form);
    });
  }

  async function serveDownload(req: IncomingMessage, res: ServerResponse, url: URL) {
    const params = url.searchParams;
    const header = (name: string) => {
      const value = req.headers[name];
      return (Array.isArray(value) ? value[0] : value) || undefined;
    };
    const bearer = /^Bearer\s+(\S+)$/i.exec(header('authorization') ?? '')?.[1];
    const viewer = await authenticate(deps, {
      token: header('access-token') ?? params.get('access-token') ?? bearer ?? undefined,
      appId: header('app_id') ?? params.get('app_id') ?? undefined,
      actAsUserId: header('user_id') ?? header('x-act-as-user'),
    });
    const reference = params.get('file_sign') ?? params.get('object_name') ?? '';
    const download = await openDownload(deps, viewer, reference, variantOf(params));

    const headers: Record<string, string | number> = {
      'content-type': download.contentType,
      etag: download.etag,
      'last-modified': download.lastModified.toUTCString(),
      'cache-control': 'private, max-age=3600',
      'accept-ranges': 'bytes',
      'x-content-type-options': 'nosniff',
    };
    if (download.key === download.file.file.storageKey && download.file.ref.name) {
      headers['content-disposition'] = `inline; filename*=UTF-8''${encodeURIComponent(download.file.ref.name)}`;
    }
    if (notModified(req, download)) {
      res.writeHead(304, { etag: download.etag, 'last-modified': download.lastModified.toUTCString(), 'cache-control': 'private, max-age=3600' });
      return void res.end();
    }
    const range = rangeOf(header('range'), download.size);
    if (range === 'unsatisfiable') {
      res.writeHead(416, { 'content-range': `bytes */${download.size}` });
      return void res.end();
    }
    if (range) {
      headers['content-range'] = `bytes ${range.start}-${range.end}/${download.size}`;
      headers['content-length'] = range.end - range.start + 1;
    } else {
      headers['content-length'] = download.size;
    }
    if (req.method === 'HEAD') {
      res.writeHead(range ? 206 : 200, headers);
      return void res.end();
    }
    const stream = await streamDownload(deps, download, range ?? undefined);
    res.writeHead(range ? 206 : 200, headers);
    await pipeline(stream, res).catch(() => res.destroy());
  }

  return { handle };
}

function variantOf(params: URLSearchParams): Variant {
  if (params.get('format')?.toLowerCase() === 'mp3') return 'MP3';
  const type = params.get('image_type');
  if (type === '2') return 'THUMBNAIL';
  if (type === '3') return 'PREVIEW';
  if (type === null || type === '' || type === '1') return 'ORIGINAL';
  throw new InvalidInputError('image_type', 'must be 1 (original), 2 (thumbnail) or 3 (cover or preview)');
}

function notModified(req: IncomingMessage, download: { etag: string; lastModified: Date }): boolean {
  const match = req.headers['if-none-match'];
  if (match !== undefined) return match.split(',').some((tag) => tag.trim() === download.etag || tag.trim() === '*');
  const since = Date.parse(req.headers['if-modified-since'] ?? '');
  return Number.isFinite(since) && Math.floor(download.lastModified.getTime() / 1000) * 1000 <= since;
}

/** One `bytes=` range (several are served as the whole file, as RFC 9110 allows). */
function rangeOf(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (match[1] === '') {
    start = Math.max(0, size - Number(match[2]));
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}

function refuseMethod(res: ServerResponse, req: IncomingMessage, url: URL) {
  json(res, 405, { code: 404, message: `${req.method} is not served on ${url.pathname}`, data: null });
}

/**
 * Answers a failure. When the request body was not read to its end (an upload refused on its
 * first bytes), the connection closes after the answer rather than reading the rest.
 */
function fail(req: IncomingMessage, res: ServerResponse, error: unknown) {
  if (res.headersSent) return void res.destroy();
  const code = error instanceof DomainError ? error.code : undefined;
  const body = code
    ? { code: MAXIM_CODES[code], message: error instanceof Error ? error.message : '', error: code, data: null }
    : { code: 500, message: 'internal server error', data: null };
  if (!req.complete) res.setHeader('connection', 'close');
  json(res, code ? (STATUS[code] ?? 400) : 500, body);
  if (!req.complete) req.resume();
}

function json(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
