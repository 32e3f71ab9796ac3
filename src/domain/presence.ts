import { randomUUID } from 'node:crypto';
import { and, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { connections } from '../db/schema/index.js';
import type { Deps } from './deps.js';

/**
 * Presence from live connections. Each server process registers its WebSocket connections and
 * refreshes them every third of the TTL; a user is online while one of their connections is
 * fresh. A crashed server stops refreshing, so its users go offline within the TTL.
 */
export class Presence {
  readonly serverId = randomUUID();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: Deps) {}

  start() {
    const every = (this.deps.config.presenceTtlSeconds * 1000) / 3;
    this.timer = setInterval(() => void this.heartbeat().catch(() => {}), every);
    this.timer.unref();
  }

  async connect(appId: string, userId: number, deviceSn: number | null): Promise<string> {
    const id = randomUUID();
    await this.deps.db.insert(connections).values({ id, appId, userId, deviceSn, serverId: this.serverId });
    return id;
  }

  async disconnect(id: string) {
    await this.deps.db.delete(connections).where(eq(connections.id, id));
  }

  /** Refreshes this server's connections and forgets those that crashed servers left behind. */
  async heartbeat() {
    const { db, config } = this.deps;
    await db.update(connections).set({ heartbeatAt: sql`now()` }).where(eq(connections.serverId, this.serverId));
    await db.delete(connections).where(lt(connections.heartbeatAt, sql`now() - make_interval(secs => ${config.presenceTtlSeconds * 10})`));
  }

  /** Removes this server's connections (graceful stop). */
  async stop() {
    clearInterval(this.timer);
    await this.deps.db.delete(connections).where(eq(connections.serverId, this.serverId));
  }
}

/** The subset of `userIds` (of one app) that is online now. */
export async function onlineUsers(db: Database, ttlSeconds: number, appId: string, userIds: readonly number[]): Promise<Set<number>> {
  if (userIds.length === 0) return new Set();
  const rows = await db
    .selectDistinct({ userId: connections.userId })
    .from(connections)
    .where(
      and(
        eq(connections.appId, appId),
        inArray(connections.userId, [...userIds]),
        gt(connections.heartbeatAt, sql`now() - make_interval(secs => ${ttlSeconds})`),
      ),
    );
  return new Set(rows.map((r) => r.userId));
}
