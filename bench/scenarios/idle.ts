/** Server memory per idle subscriber: N graphql-ws connections, each subscribed to `events`. */
import { WsClient, loopback } from '../lib/client.js';
import { seedUsers } from '../lib/seed.js';
import { createDatabase, freePort, loadAverage, startServer, type ServerProcess } from '../lib/server.js';
import { EVENTS } from './traffic.js';

export interface IdleResult {
  connections: number;
  rssBeforeMB: number;
  rssAfterMB: number;
  bytesPerSubscriber: number;
  loadAverage: number;
}

const WARM = 100;

export async function runIdle(connections: number, log: (line: string) => void): Promise<IdleResult> {
  const db = await createDatabase();
  let server: ServerProcess | undefined;
  const clients: WsClient[] = [];
  try {
    server = await startServer({ databaseUrl: db.url, port: await freePort() });
    const users = await seedUsers(db.url, connections + WARM);
    const connect = async (from: number, to: number) => {
      for (let start = from; start < to; start += 250) {
        await Promise.all(
          users.slice(start, Math.min(to, start + 250)).map(async (user, j) => {
            const ws = new WsClient();
            await ws.open(server!.url, user.token, loopback(start + j));
            clients.push(ws);
            await new Promise<void>((ready, fail) =>
              ws.subscribe(EVENTS, {}, {
                next: (data) => data?.events?.__typename === 'StreamReadyEvent' && ready(),
                error: (e) => fail(new Error(JSON.stringify(e))),
                complete: () => {},
              }),
            );
          }),
        );
      }
    };
    // Warm the server up (code paths loaded, pools filled) before the baseline.
    await connect(0, WARM);
    await quiet();
    const before = server.rss();
    await connect(WARM, WARM + connections);
    await quiet();
    const after = server.rss();
    log(`  ${connections} idle subscribers: RSS ${mb(before)} → ${mb(after)} MB`);
    return {
      connections,
      rssBeforeMB: mb(before),
      rssAfterMB: mb(after),
      bytesPerSubscriber: Math.round((after - before) / connections),
      loadAverage: loadAverage(),
    };
  } finally {
    for (const c of clients) c.terminate();
    await server?.stop();
    await db.drop();
  }
}

const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
const quiet = () => new Promise((r) => setTimeout(r, 2000)); // lets the server finish its allocations before RSS is read
