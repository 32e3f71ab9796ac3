import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The web client (web/, built into web/dist by `npm run build:web`) at `/`. Asset names carry a
// hash of their content, so they are cached for a year; index.html names the current ones and
// is revalidated on every load. Only files present at start are served: no path is ever joined
// from a request.

const DIST = fileURLToPath(new URL('../web/dist/', import.meta.url));
const ASSETS = '/assets/';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

const INDEX_HEADERS = {
  'cache-control': 'no-cache',
  // Scripts and styles only from here; images may be object URLs of downloaded files.
  'content-security-policy':
    "default-src 'self'; img-src 'self' blob: data:; connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

interface StaticFile {
  path: string;
  size: number;
  etag: string;
  headers: Record<string, string>;
}

export async function createWebClient(dist = DIST) {
  const files = new Map<string, StaticFile>();
  // A file removed meanwhile (a rebuild) is left out.
  const add = async (urlPath: string, path: string, headers: Record<string, string>) => {
    const info = await stat(path).catch(() => undefined);
    if (info) files.set(urlPath, { path, size: info.size, etag: `"${info.size.toString(16)}-${info.mtimeMs.toString(16)}"`, headers });
  };
  await add('/', join(dist, 'index.html'), INDEX_HEADERS);
  const built = files.has('/');
  if (built) {
    for (const name of await readdir(join(dist, 'assets')).catch(() => [])) {
      await add(`${ASSETS}${name}`, join(dist, 'assets', name), {
        'cache-control': 'public, max-age=31536000, immutable',
        'x-content-type-options': 'nosniff',
      });
    }
  }

  /** Serves `/`, `/index.html` and `/assets/*`; answers false for every other path. */
  function handle(req: IncomingMessage, res: ServerResponse, url: URL): boolean {
    const path = url.pathname === '/index.html' ? '/' : url.pathname;
    if (path !== '/' && !path.startsWith(ASSETS)) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed');
      return true;
    }
    const file = files.get(path);
    if (!file) {
      const message = built ? 'not found' : 'The web client is not built: run `npm run build:web` (npm install does it).';
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(message);
      return true;
    }
    const headers = { ...file.headers, etag: file.etag, 'content-type': TYPES[extname(file.path)] ?? 'application/octet-stream' };
    if (req.headers['if-none-match'] === file.etag) {
      res.writeHead(304, headers).end();
      return true;
    }
    res.writeHead(200, { ...headers, 'content-length': file.size });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file.path).on('error', () => res.destroy()).pipe(res);
    return true;
  }

  return { built, handle };
}
