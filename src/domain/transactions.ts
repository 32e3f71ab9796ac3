import type { Database, Queryable, Tx } from '../db/client.js';

const pending = new WeakMap<Queryable, (() => void)[]>();

/**
 * Runs `work` in a transaction; callbacks registered with afterCommit() on its handle run once it
 * has committed, and are dropped if it rolls back. Events are published this way, so nobody hears
 * of a change that did not happen.
 */
export async function transaction<T>(db: Database, work: (tx: Tx) => Promise<T>): Promise<T> {
  const callbacks: (() => void)[] = [];
  const result = await db.transaction(async (tx) => {
    pending.set(tx, callbacks);
    return work(tx);
  });
  for (const callback of callbacks) callback();
  return result;
}

/** Runs `callback` after the transaction of `db` commits; at once when `db` is not a transaction. */
export function afterCommit(db: Queryable, callback: () => void) {
  const callbacks = pending.get(db);
  if (callbacks) callbacks.push(callback);
  else callback();
}
