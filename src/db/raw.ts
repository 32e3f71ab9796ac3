import type { Queryable } from './client.js';

/**
 * The few statements of the message hot path, run as prepared statements straight on the driver
 * under a drizzle handle (the database or a transaction). postgres.js answers a parametrised
 * statement it has not prepared with two round trips (describe, then execute) and drizzle builds
 * its SQL anew on every call; a named prepared statement costs one round trip and no building.
 * The statement still reaches the handle's query listeners, as drizzle's own do.
 */
export async function runPrepared<Row = Record<string, unknown>>(db: Queryable, text: string, params: unknown[]): Promise<Row[]> {
  const session = (db as unknown as { session: DriverSession }).session;
  session.logger.logQuery(text, params);
  const client = session.client;
  if ('unsafe' in client) return (await client.unsafe(text, params, { prepare: true })) as Row[];
  return (await client.query<Row>(text, params)).rows;
}

/** What runPrepared needs of drizzle's session over postgres.js or PGlite. */
interface DriverSession {
  logger: { logQuery(query: string, params: unknown[]): void };
  client:
    | { unsafe(text: string, params: unknown[], options: { prepare: boolean }): Promise<unknown[]> }
    | { query<Row>(text: string, params: unknown[]): Promise<{ rows: Row[] }> };
}

/** A bigint column as the drivers hand it over (postgres.js: a string; PGlite: a number or bigint). */
export const toNumber = (value: unknown): number => (typeof value === 'number' ? value : Number(value));
export const toNumberOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : toNumber(value));
