import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { inject } from 'vitest';

/** Where a test server keeps its data: a fresh PGlite copy, or a fresh database on the PostgreSQL of DATABASE_URL. */
export interface TestDatabase {
  env: { DATA_DIR?: string; DATABASE_URL?: string };
  drop(): Promise<void>;
}

export const usingPostgres = Boolean(process.env['DATABASE_URL']);

export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env['DATABASE_URL'];
  if (serverUrl) {
    const name = `im_test_${randomBytes(6).toString('hex')}`;
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    // With PostgreSQL, DATA_DIR holds only the server's files: its own, like its database.
    const files = await mkdtemp(join(tmpdir(), 'im-test-files-'));
    return {
      env: { DATABASE_URL: url.toString(), DATA_DIR: files },
      drop: async () => {
        const sql = postgres(serverUrl, { max: 1, onnotice: () => {} });
        await sql.unsafe(`drop database if exists ${name} with (force)`);
        await sql.end();
        await rm(files, { recursive: true, force: true });
      },
    };
  }
  const dir = await mkdtemp(join(tmpdir(), 'im-test-'));
  await cp(inject('pgliteTemplate'), dir, { recursive: true });
  return { env: { DATA_DIR: dir }, drop: () => rm(dir, { recursive: true, force: true }) };
}
