import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../src/graphql/persisted.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { startServer } from '../src/server.js';
import { createTestDatabase } from './helpers/database.js';
import { PASSWORD, TestServer } from './helpers/server.js';

const VIEWER = 'query Viewer { viewer { username } }';
const VIEWER_BY_ID = 'query ViewerById { viewer { id username } }';
const UNKNOWN = 'query Unknown { viewer { id } }';

function writeManifest(content: unknown) {
  const path = join(mkdtempSync(join(tmpdir(), 'persisted-')), 'manifest.json');
  writeFileSync(path, JSON.stringify(content));
  return path;
}

describe('persisted operations only (PERSISTED_OPERATIONS)', () => {
  let server: TestServer;
  let token: string;
  let username: string;

  beforeAll(async () => {
    const manifest = writeManifest({ [sha256Hex(VIEWER)]: VIEWER, 'viewer-by-id': VIEWER_BY_ID });
    server = await TestServer.start({ env: { PERSISTED_OPERATIONS: manifest } });
    // The REST dialects run their own documents: registration and login work as before.
    username = 'pam';
    const reg = await server.rest('POST', '/user/register/v2', { json: { username, password: PASSWORD } });
    expect(reg.body.code).toBe(200);
    const login = await server.rest('POST', '/token/user', { json: { name: username, password: PASSWORD } });
    token = login.body.data.token;
    expect(token).toBeTruthy();
  });

  afterAll(async () => {
    await server?.close();
  });

  const post = async (body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  it('HTTP: runs a listed operation named by its sha256Hash', async () => {
    const res = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256Hex(VIEWER) } } });
    expect(res.status).toBe(200);
    expect(res.body.data.viewer.username).toBe(username);
  });

  it('HTTP: runs a listed operation named by its manifest id, and over GET', async () => {
    expect((await post({ extensions: { persistedQuery: { version: 1, sha256Hash: 'viewer-by-id' } } })).body.data.viewer.username).toBe(username);
    const url = new URL(`${server.url}/graphql`);
    url.searchParams.set('extensions', JSON.stringify({ persistedQuery: { version: 1, sha256Hash: 'viewer-by-id' } }));
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    expect(((await res.json()) as any).data.viewer.username).toBe(username);
  });

  it('HTTP: runs a listed document sent in full (known by its hash)', async () => {
    const res = await post({ query: VIEWER });
    expect(res.body.data.viewer.username).toBe(username);
  });

  it('HTTP: refuses an unlisted document with PERSISTED_QUERY_NOT_FOUND, before running it', async () => {
    const res = await post({ query: UNKNOWN });
    expect(res.status).toBe(400);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    // A listed document with one character changed is another document.
    expect((await post({ query: `${VIEWER} ` })).body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('HTTP: refuses an unknown id, and a request with neither id nor document', async () => {
    const unknown = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256Hex(UNKNOWN) } } });
    expect(unknown.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const none = await post({ variables: {} });
    expect(none.status).toBe(400);
    expect(none.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_ID_REQUIRED');
  });

  it('graphql-ws: runs listed operations (by id or in full) and refuses others', async () => {
    const { client } = server.ws({ token });
    const run = (payload: { query: string; extensions?: Record<string, unknown> }) =>
      new Promise<any>((resolve) => {
        client.subscribe(payload, { next: resolve, error: (errors) => resolve({ errors }), complete: () => {} });
      });
    try {
      const byId = await run({ query: '', extensions: { persistedQuery: { version: 1, sha256Hash: sha256Hex(VIEWER) } } });
      expect(byId.data.viewer.username).toBe(username);
      expect((await run({ query: VIEWER_BY_ID })).data.viewer.username).toBe(username);
      const refused = await run({ query: UNKNOWN });
      expect(refused.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      const unknownId = await run({ query: '', extensions: { persistedQuery: { version: 1, sha256Hash: 'nope' } } });
      expect(unknownId.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      const none = await run({ query: '' });
      expect(none.errors[0].extensions.code).toBe('PERSISTED_QUERY_ID_REQUIRED');
      // The socket stays usable after refusals.
      expect((await run({ query: VIEWER })).data.viewer.username).toBe(username);
    } finally {
      await client.dispose();
    }
  });

  it('REST dialects keep working: a maxim route with its own document', async () => {
    const res = await server.rest('GET', '/user/profile', { token });
    expect(res.body.code).toBe(200);
  });
});

describe('a persisted-operations manifest that cannot be used', () => {
  const start = async (manifest: string, opens = false) => {
    // A bad manifest stops the start before the database is opened.
    const database = opens ? await createTestDatabase() : { env: { DATA_DIR: 'memory://' }, drop: async () => {} };
    try {
      const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'test', ...database.env, PERSISTED_OPERATIONS: manifest });
      const running = await startServer(config, createLogger('silent'));
      await running.close();
      return undefined;
    } catch (error) {
      return (error as Error).message;
    } finally {
      await database.drop();
    }
  };

  it('stops the start with the reason: missing file, not JSON, an invalid document', async () => {
    expect(await start('/nonexistent/manifest.json')).toMatch(/PERSISTED_OPERATIONS: cannot read/);
    const dir = mkdtempSync(join(tmpdir(), 'persisted-'));
    writeFileSync(join(dir, 'bad.json'), '{ not json');
    expect(await start(join(dir, 'bad.json'))).toMatch(/PERSISTED_OPERATIONS: cannot read/);
    expect(await start(writeManifest({ a: 'query { noSuchField }' }))).toMatch(/operation a: .*noSuchField/);
    expect(await start(writeManifest({}))).toMatch(/lists no operations/);
  });

  it('accepts Apollo’s manifest format', async () => {
    const manifest = writeManifest({ format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: 'x', name: 'Viewer', type: 'query', body: VIEWER }] });
    expect(await start(manifest, true)).toBeUndefined();
  });
});
