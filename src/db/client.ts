import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema/index.js';

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction handle offers the same query API as the database. */
export type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];
export type Queryable = Database | Tx;

export interface DatabaseHandle {
  db: Database;
  kind: 'pglite' | 'postgres';
  /** Throws when the database does not answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

type QueryLogger = { logQuery: (sql: string) => void } | undefined;

const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

/**
 * Opens PostgreSQL through postgres.js when a URL is given, otherwise embedded PGlite persisted in
 * dataDir, and applies the committed migrations. The drivers are imported lazily so PGlite's WASM is
 * never loaded in PostgreSQL mode.
 */
export async function openDatabase(options: {
  databaseUrl?: string;
  dataDir: string;
  /** Called with the SQL of every query (tests use it to guard against N+1 queries). */
  onQuery?: (sql: string) => void;
}): Promise<DatabaseHandle> {
  const logger = options.onQuery && { logQuery: options.onQuery };
  const handle = options.databaseUrl ? await openPostgres(options.databaseUrl, logger) : await openPglite(options.dataDir, logger);
  try {
    await handle.migrate();
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle;
}

async function openPostgres(url: string, logger?: QueryLogger) {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const { migrate } = await import('drizzle-orm/postgres-js/migrator');
  const client = postgres(url, { max: 10, onnotice: () => {} });
  const db = drizzle(client, { schema, logger });
  return {
    db: db as unknown as Database,
    kind: 'postgres' as const,
    migrate: () => migrate(db, { migrationsFolder }),
    ping: async () => void (await db.execute(sql`select 1`)),
    close: () => client.end({ timeout: 5 }),
  };
}

async function openPglite(dataDir: string, logger?: QueryLogger) {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  if (!dataDir.startsWith('memory://')) await mkdir(dataDir, { recursive: true });
  const client = await PGlite.create(dataDir);
  const db = drizzle(client, { schema, logger });
  return {
    db: db as unknown as Database,
    kind: 'pglite' as const,
    migrate: () => migrate(db, { migrationsFolder }),
    ping: async () => void (await db.execute(sql`select 1`)),
    close: () => client.close(),
  };
}
