/**
 * Where an idle subscriber's memory goes: starts a server under --heapsnapshot-signal, subscribes
 * `--warm` then `--count` graphql-ws connections, writes a heap snapshot after each, and prints
 * the growth in self size per constructor, per connection.
 *
 *   DATABASE_URL=postgres://… node --import tsx bench/tools/idle-heap.ts [--count 1000] [--connect-only]
 *
 * `--connect-only` opens and initialises the connections without subscribing: what the socket and
 * the authenticated connection cost before any operation.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { WsClient, loopback } from '../lib/client.js';
import { seedUsers } from '../lib/seed.js';
import { createDatabase, freePort, startServer } from '../lib/server.js';
import { EVENTS } from '../scenarios/traffic.js';

const { values } = parseArgs({ options: { count: { type: 'string', default: '1000' }, warm: { type: 'string', default: '100' }, dir: { type: 'string', default: '/tmp/idle-heap' }, 'connect-only': { type: 'boolean', default: false } } });
const subscribe = !values['connect-only'];
const count = Number(values.count);
const warm = Number(values.warm);
const dir = values.dir!;
mkdirSync(dir, { recursive: true });
const db = await createDatabase();
const server = await startServer({ databaseUrl: db.url, port: await freePort(), nodeArgs: ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${dir}`] });
const clients: WsClient[] = [];
try {
  const users = await seedUsers(db.url, count + warm);
  const connect = async (from: number, to: number) => {
    for (let start = from; start < to; start += 250) {
      await Promise.all(
        users.slice(start, Math.min(to, start + 250)).map(async (user, j) => {
          const ws = new WsClient();
          await ws.open(server.url, user.token, loopback(start + j));
          clients.push(ws);
          if (!subscribe) return;
          await new Promise<void>((ready, fail) =>
            ws.subscribe(EVENTS, {}, { next: (d) => d?.events?.__typename === 'StreamReadyEvent' && ready(), error: (e) => fail(new Error(JSON.stringify(e))), complete: () => {} }),
          );
        }),
      );
    }
  };
  const snapshot = async () => {
    const before = new Set(readdirSync(dir));
    server.child.kill('SIGUSR2');
    for (;;) {
      await new Promise((r) => setTimeout(r, 500)); // waiting for the snapshot file to be complete
      const added = readdirSync(dir).filter((f) => !before.has(f));
      if (added.length > 0) {
        const file = `${dir}/${added[0]}`;
        try {
          return summarise(JSON.parse(readFileSync(file, 'utf8')));
        } catch {
          // still being written
        }
      }
    }
  };
  await connect(0, warm);
  const a = await snapshot();
  await connect(warm, warm + count);
  const b = await snapshot();
  const rows = [...b].map(([k, v]) => [k, (v - (a.get(k) ?? 0)) / count] as const).sort((x, y) => y[1] - x[1]);
  const total = rows.reduce((s, [, v]) => s + v, 0);
  console.log(`heap growth per ${subscribe ? 'subscribed' : 'initialised (not subscribed)'} connection: ${Math.round(total)} bytes`);
  for (const [k, v] of rows.slice(0, 40)) console.log(`${Math.round(v).toString().padStart(7)}  ${k}`);
} finally {
  for (const c of clients) c.terminate();
  await server.stop();
  await db.drop();
}

/** Self size by node type and name. */
function summarise(snapshot: { snapshot: { meta: { node_fields: string[]; node_types: [string[]] } }; nodes: number[]; strings: string[] }) {
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const [iType, iName, iSize] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const out = new Map<string, number>();
  for (let i = 0; i < snapshot.nodes.length; i += fields.length) {
    const type = types[snapshot.nodes[i + iType!]!]!;
    const name = type === 'object' || type === 'closure' || type === 'native' ? snapshot.strings[snapshot.nodes[i + iName!]!]! : `(${type})`;
    const key = `${type}:${name.slice(0, 80)}`;
    out.set(key, (out.get(key) ?? 0) + snapshot.nodes[i + iSize!]!);
  }
  return out;
}
