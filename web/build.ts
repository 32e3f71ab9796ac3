// Bundles the client into web/dist: index.html (served with no-cache) and assets/ whose names
// carry a content hash (served as immutable). `npm run build:web`; the root package's `prepare`
// runs it after `npm install`.
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
export const DIST = join(root, 'dist');

/**
 * Builds beside the previous build, then switches index.html to the new assets in one rename and
 * removes the old ones: a server reading web/dist meanwhile sees one build or the other.
 */
export async function buildWeb(): Promise<string[]> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: ['src/main.tsx'],
    outdir: join(DIST, 'assets'),
    entryNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    bundle: true,
    minify: true,
    sourcemap: 'linked',
    format: 'esm',
    target: ['es2022', 'chrome100', 'firefox100', 'safari15'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    tsconfig: join(root, 'tsconfig.json'),
    define: { 'process.env.NODE_ENV': '"production"' },
    metafile: true,
    logLevel: 'warning',
  });
  const outputs = Object.keys(result.metafile.outputs).map((file) => basename(file));
  const tags = (ext: string, tag: (href: string) => string) =>
    outputs.filter((f) => f.endsWith(ext)).map((f) => tag(`/assets/${f}`)).join('\n    ');
  const html = (await readFile(join(root, 'index.html'), 'utf8'))
    .replace('<!-- styles -->', tags('.css', (href) => `<link rel="stylesheet" href="${href}" />`))
    .replace('<!-- scripts -->', tags('.js', (href) => `<script type="module" src="${href}"></script>`));
  await writeFile(join(DIST, 'index.html.new'), html);
  await rename(join(DIST, 'index.html.new'), join(DIST, 'index.html'));
  for (const name of await readdir(join(DIST, 'assets'))) {
    if (!outputs.includes(name)) await rm(join(DIST, 'assets', name), { force: true });
  }
  return outputs;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    await import('esbuild');
  } catch {
    // A production install (`npm install --omit=dev`) has no bundler: serve a prebuilt web/dist.
    console.warn('web: esbuild is not installed (production install?); the web client was not built.');
    process.exit(0);
  }
  const outputs = await buildWeb();
  console.log(`web: built ${outputs.filter((f) => !f.endsWith('.map')).join(', ')} into web/dist`);
}
