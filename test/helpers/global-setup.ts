import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/client.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated PGlite data directory; each test server starts from a copy of it. */
    pgliteTemplate: string;
  }
}

/** Runs initdb and the migrations once, so each test file's fresh database is a cheap copy. */
export default async function setup(project: TestProject) {
  const dir = await mkdtemp(join(tmpdir(), 'im-template-'));
  const handle = await openDatabase({ dataDir: dir });
  await handle.close();
  project.provide('pgliteTemplate', dir);
  return () => rm(dir, { recursive: true, force: true });
}
