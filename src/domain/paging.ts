import { count, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Queryable } from '../db/client.js';
import { InvalidInputError } from './errors.js';

/** A page of a keyset-paged list: the cursor to start after, and how many rows to fetch. */
export interface Page {
  after?: string;
  limit: number;
}

/**
 * Cursors of lists ordered by a time and then an id (join time, request time): `<ms>:<id>`. The
 * times are stored with millisecond precision, so a cursor names its row exactly.
 */
export const timeIdCursor = (at: Date, id: number) => `${at.getTime()}:${id}`;

/** Rows after the cursor, in `(time, id)` order ascending, or descending when `descending`. */
export function afterTimeId(cursor: string | undefined, time: PgColumn, id: PgColumn, descending = false): SQL | undefined {
  if (cursor === undefined) return undefined;
  const match = /^(\d{1,15}):(\d{1,16})$/.exec(cursor);
  if (!match) throw new InvalidInputError('after', 'is not a cursor of this list');
  const at = new Date(Number(match[1])).toISOString();
  const operator = descending ? sql`<` : sql`>`;
  // A row comparison, which PostgreSQL serves from an index on (…, time, id).
  return sql`(${time}, ${id}) ${operator} (${at}::timestamptz, ${Number(match[2])})`;
}

/** Rows whose id follows the cursor in a list ordered by id (descending when `descending`): the cursor is the last id seen. */
export function afterId(cursor: string | undefined, id: PgColumn, descending = false): SQL | undefined {
  if (cursor === undefined) return undefined;
  if (!/^\d{1,16}$/.test(cursor)) throw new InvalidInputError('after', 'is not a cursor of this list');
  return descending ? sql`${id} < ${Number(cursor)}` : sql`${id} > ${Number(cursor)}`;
}

/** How many rows of `table` match `where` (the total of a paged list, a quota). */
export async function countRows(db: Queryable, table: PgTable, where: SQL | undefined): Promise<number> {
  const [row] = await db.select({ n: count() }).from(table).where(where);
  return row!.n;
}
