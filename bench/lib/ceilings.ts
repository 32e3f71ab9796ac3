/**
 * What this machine can do at all, measured in the same run as the server figures:
 * durable single-row INSERTs of a message row through postgres.js, and a bare `ws` broadcast of a
 * same-sized JSON frame to the same number of sockets (server in its own process, clients here).
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { openDatabase } from '../../src/db/client.js';
import WebSocket from 'ws';
import { loopback } from './client.js';

/** Durable INSERTs/s of a message row (one statement, one commit each) with `connections` connections. */
export async function insertCeiling(databaseUrl: string, connections: number, seconds: number): Promise<number> {
  // The server's own schema (migrations), so the row and its indexes are those of `messages`.
  await (await openDatabase({ databaseUrl, dataDir: '' })).close();
  const sql = postgres(databaseUrl, { max: connections, onnotice: () => {} });
  try {
    await sql.unsafe('create table if not exists ceiling_messages (like messages including defaults including indexes)');
    const [row] = await sql<{ synchronous_commit: string }[]>`show synchronous_commit`;
    const sc = row!.synchronous_commit;
    if (sc !== 'on') throw new Error(`synchronous_commit is ${sc}: the ceiling would not be durable`);
    let count = 0;
    let seq = 0;
    const until = Date.now() + seconds * 1000;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (Date.now() < until) {
          const n = ++seq;
          await sql`insert into ceiling_messages (app_id, conversation_id, seq, sent_position, position, from_user_id, to_kind, to_id, content_type, content)
                    values ('benchapp', ${n % 64}, ${n}, ${n}, ${n}, 10000000001, 1, 10000000002, 0, ${'s0-' + n + '-' + started.toFixed(0)})`;
          count++;
        }
      }),
    );
    return count / ((performance.now() - started) / 1000);
  } finally {
    await sql.unsafe('drop table if exists ceiling_messages');
    await sql.end();
  }
}

/**
 * Frames/s delivered by a bare `ws` server broadcasting one JSON frame of `frameBytes` to
 * `sockets` sockets, the server in its own process (as ours is), receivers here parsing each.
 */
export async function broadcastCeiling(sockets: number, frameBytes: number, seconds: number): Promise<number> {
  const child = fork(fileURLToPath(new URL('./ws-broadcaster.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  try {
    const port = await new Promise<number>((resolve) => child.once('message', (m: any) => resolve(m.port)));
    let received = 0;
    const clients = await Promise.all(
      Array.from({ length: sockets }, (_, i) =>
        new Promise<WebSocket>((resolve, reject) => {
          const ws = new WebSocket(`ws://127.0.0.1:${port}`, { localAddress: loopback(i), perMessageDeflate: false });
          ws.on('message', (raw) => {
            JSON.parse(raw.toString());
            received++;
          });
          ws.once('open', () => resolve(ws));
          ws.once('error', reject);
        }),
      ),
    );
    const started = performance.now();
    child.send({ go: true, frameBytes, seconds });
    const sent = await new Promise<number>((resolve) => child.once('message', (m: any) => resolve(m.sent)));
    // Whatever the server wrote, the clients read: wait for the last frames to land.
    const drainUntil = Date.now() + 10_000;
    while (received < sent && Date.now() < drainUntil) await new Promise((r) => setTimeout(r, 10));
    const rate = received / ((performance.now() - started) / 1000);
    for (const ws of clients) ws.terminate();
    return rate;
  } finally {
    child.kill();
  }
}
