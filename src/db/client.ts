import { randomBytes } from 'node:crypto';
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
  /**
   * A connection of its own for the message writer's batches, so that a batch never waits for a
   * pooled connection behind the queries of the sends it is about to commit (PGlite: `db`).
   */
  batchDb: Database;
  kind: 'pglite' | 'postgres';
  /**
   * Hears every statement run through `db` until the returned function is called. Tests count
   * and inspect the queries of an operation with it; nothing listens in production.
   */
  onQuery(listener: QueryListener): () => void;
  /** This process's connections by state, for metrics (PGlite: none). */
  connections(): Promise<{ state: string; count: number }[]>;
  /** Throws when the database does not answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type QueryListener = (query: string, params: unknown[]) => void;

/** The drizzle logger that hands statements to the listeners (a no-op while there are none). */
function queryHook() {
  const listeners = new Set<QueryListener>();
  return {
    logger: { logQuery: (query: string, params: unknown[]) => listeners.forEach((listen) => listen(query, params)) },
    onQuery(listener: QueryListener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}

const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

/**
 * Opens PostgreSQL through postgres.js when a URL is given, otherwise embedded PGlite persisted in
 * dataDir, and applies the committed migrations. The drivers are imported lazily so PGlite's WASM is
 * never loaded in PostgreSQL mode.
 */
export async function openDatabase(options: { databaseUrl?: string; dataDir: string }): Promise<DatabaseHandle> {
  const handle = options.databaseUrl ? await openPostgres(options.databaseUrl) : await openPglite(options.dataDir);
  try {
    await handle.migrate();
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle;
}

async function openPostgres(url: string) {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const { migrate } = await import('drizzle-orm/postgres-js/migrator');
  // Named per process, so pg_stat_activity tells this process's connections apart (metrics).
  const connection = { application_name: `im-server ${process.pid} ${randomBytes(4).toString('hex')}` };
  const client = postgres(url, { max: 10, onnotice: () => {}, connection });
  const batchClient = postgres(url, { max: 1, onnotice: () => {}, connection });
  const hook = queryHook();
  const db = drizzle(client, { schema, logger: hook.logger });
  return {
    db: db as unknown as Database,
    batchDb: drizzle(batchClient, { schema, logger: hook.logger }) as unknown as Database,
    kind: 'postgres' as const,
    onQuery: hook.onQuery,
    migrate: () => migrate(db, { migrationsFolder }),
    ping: async () => void (await db.execute(sql`select 1`)),
    connections: async () =>
      (
        await client<{ state: string | null; count: string }[]>`
          select state, count(*) as count from pg_stat_activity where application_name = ${connection.application_name} group by state`
      ).map((row) => ({ state: row.state ?? 'unknown', count: Number(row.count) })),
    close: async () => void (await Promise.all([client.end({ timeout: 5 }), batchClient.end({ timeout: 5 })])),
  };
}

async function openPglite(dataDir: string) {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  if (!dataDir.startsWith('memory://')) await mkdir(dataDir, { recursive: true });
  const client = await PGlite.create(dataDir);
  const hook = queryHook();
  const db = drizzle(client, { schema, logger: hook.logger });
  return {
    db: db as unknown as Database,
    batchDb: db as unknown as Database,
    kind: 'pglite' as const,
    onQuery: hook.onQuery,
    migrate: () => migrate(db, { migrationsFolder }),
    ping: async () => void (await db.execute(sql`select 1`)),
    connections: async () => [],
    close: () => client.close(),
  };
}
