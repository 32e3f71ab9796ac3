import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphiQLOptions } from 'graphql-yoga';

// GraphiQL from the server's own packages, so it works with no internet: yoga's self-contained
// build (@graphql-yoga/render-graphiql) served as files under /graphiql/ instead of a CDN, and
// instead of inlining its 9 MB into every page. The bundle is loaded on the first asset request
// only, and only where GraphiQL is on (NODE_ENV=development).

export const GRAPHIQL_ASSETS = '/graphiql/';

/** GraphiQL (the page at /graphql and its files) is served in development only. */
export const graphiqlOn = (config: { env: string }) => config.env === 'development';

type Bundle = typeof import('@graphql-yoga/render-graphiql/graphiql');

/** Asset file → the bundle export it serves, and its media type. */
const FILES: Record<string, [keyof Bundle, string]> = {
  'graphiql.js': ['js', 'text/javascript; charset=utf-8'],
  'graphiql.css': ['css', 'text/css; charset=utf-8'],
  'editor.worker.js': ['editorWorkerService', 'text/javascript; charset=utf-8'],
  'json.worker.js': ['jsonWorker', 'text/javascript; charset=utf-8'],
  'graphql.worker.js': ['graphqlWorker', 'text/javascript; charset=utf-8'],
};

let bundle: Promise<Bundle> | undefined;

/** Answers a GET of one of the GraphiQL files; false for any other path under /graphiql/. */
export async function serveGraphiQLAsset(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> {
  const file = FILES[pathname.slice(GRAPHIQL_ASSETS.length)];
  if (!file || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
  const [name, type] = file;
  const body = (await (bundle ??= import('@graphql-yoga/render-graphiql/graphiql')))[name];
  res.writeHead(200, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'public, max-age=3600' });
  res.end(req.method === 'HEAD' ? undefined : body);
  return true;
}

/** yoga's `renderGraphiQL`: the page, naming the local files. */
export function renderGraphiQL(options: GraphiQLOptions): string {
  const title = (options.title ?? 'GraphiQL').replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
  // JSON in a script: `<` escaped so that no value can close the element.
  const settings = JSON.stringify(options).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${title}</title>
    <link rel="stylesheet" href="${GRAPHIQL_ASSETS}graphiql.css" />
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>GraphiQL needs JavaScript.</noscript>
    <div id="root"></div>
    <script>
      const workers = { editorWorkerService: 'editor', json: 'json', graphql: 'graphql' };
      self.MonacoEnvironment = {
        globalAPI: false,
        getWorkerUrl: (_moduleId, label) => '${GRAPHIQL_ASSETS}' + (workers[label] ?? 'editor') + '.worker.js',
      };
    </script>
    <script src="${GRAPHIQL_ASSETS}graphiql.js"></script>
    <script>
      YogaGraphiQL.renderYogaGraphiQL(document.querySelector('#root'), ${settings});
    </script>
  </body>
</html>`;
}
