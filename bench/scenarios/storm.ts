/**
 * A reconnect storm: N clients with cursors, 1:1 traffic flowing, the server restarted mid-traffic;
 * once it is back, every client resubscribes at once with its latest cursor. Measures the time
 * until all are READY, and checks that every message was delivered once and in order.
 */
import { gql, WsClient, loopback } from '../lib/client.js';
import { conversationsOf, seedUsers } from '../lib/seed.js';
import { createDatabase, freePort, loadAverage, startServer, type ServerProcess } from '../lib/server.js';
import { everyMemberEverything, verdict, type Received, type Verdict } from '../lib/verdict.js';
import { EVENTS } from './traffic.js';

export interface StormResult {
  clients: number;
  sendRate: number;
  messagesSent: number;
  secondsUntilAllReady: number;
  /** Connections refused or failed during the resubscription (each retried after a random 0.1–1 s, as clients do). */
  retries: number;
  verdict: Verdict;
  loadAverage: number;
}

const SEND = `mutation($to: ID!, $c: String!) { sendMessage(input: { toKind: USER, targets: [$to], contentType: TEXT, content: $c }) { __typename } }`;

export async function runStorm(count: number, rate: number, seconds: number, workers: number, log: (line: string) => void): Promise<StormResult> {
  const db = await createDatabase();
  const port = await freePort();
  let server: ServerProcess | undefined;
  const sockets = new Map<number, WsClient>();
  /** While the server is deliberately stopped (and at the end), dropped sockets are expected. */
  let expectingCloses = false;
  try {
    server = await startServer({ databaseUrl: db.url, port, workers });
    const users = await seedUsers(db.url, count);
    const received: Received = new Map();
    const cursors = new Map<number, string | undefined>();

    let retries = 0;
    const backOff = () => new Promise((r) => setTimeout(r, 100 + Math.random() * 900));
    /**
     * Subscribes user i from its latest cursor; resolves at READY. Like a client, it retries after
     * a random 0.1–1 s when the connection is refused, times out or drops before READY (each
     * counted), and resubscribes from its latest cursor when a live stream's socket drops.
     */
    const subscribe = async (i: number): Promise<void> => {
      for (;;) {
        try {
          return await attempt(i);
        } catch {
          retries++;
          await backOff();
        }
      }
    };
    const attempt = async (i: number) => {
      const user = users[i]!;
      const ws = new WsClient();
      try {
        await ws.open(server!.url, user.token, loopback(i));
      } catch (error) {
        ws.terminate();
        throw error;
      }
      sockets.set(i, ws);
      let mine = received.get(user.name);
      if (!mine) received.set(user.name, (mine = new Map()));
      const seqsOf = mine;
      let live = false;
      await new Promise<void>((ready, fail) =>
        ws.subscribe(EVENTS, { since: cursors.get(i) }, {
          next: (data) => {
            const event = data?.events;
            if (!event) return;
            if (event.cursor) cursors.set(i, event.cursor);
            if (event.__typename === 'StreamReadyEvent') {
              live = true;
              return ready();
            }
            if (event.__typename !== 'MessageEvent') return;
            const conversation = Number(event.message.conversationId);
            let seqs = seqsOf.get(conversation);
            if (!seqs) seqsOf.set(conversation, (seqs = []));
            seqs.push(event.message.seq);
          },
          error: (e) => {
            ws.terminate();
            if (!live) return fail(new Error(JSON.stringify(e)));
            if (expectingCloses || sockets.get(i) !== ws) return;
            retries++;
            void backOff().then(() => subscribe(i));
          },
          complete: () => {},
        }),
      );
    };
    for (let start = 0; start < count; start += 250) {
      await Promise.all(Array.from({ length: Math.min(250, count - start) }, (_, j) => subscribe(start + j)));
    }
    log(`  ${count} clients subscribed`);

    // 1:1 traffic between partners, on a fixed schedule, across the restart (failed sends are fine:
    // exactness is checked against what the database committed).
    let sent = 0;
    let stop = false;
    const traffic = (async () => {
      const pending: Promise<unknown>[] = [];
      const start = Date.now();
      for (let i = 0; !stop; i++) {
        const wait = start + (i * 1000) / rate - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait)); // pacing the load
        const from = users[i % count]!;
        const to = users[(i % count) ^ 1] ?? users[0]!;
        pending.push(gql(server!.url, SEND, { to: String(to.id), c: `m${i}` }, from.token).then(() => sent++, () => {}));
      }
      await Promise.allSettled(pending);
    })();

    await new Promise((r) => setTimeout(r, (seconds * 1000) / 2)); // traffic before the restart
    log('  restarting the server');
    const closed = [...sockets.values()].map((ws) => ws.closed);
    expectingCloses = true;
    await server.stop();
    await Promise.all(closed);
    sockets.clear();
    server = await startServer({ databaseUrl: db.url, port, workers });
    retries = 0;
    expectingCloses = false;
    const t0 = performance.now();
    await Promise.all(users.map((_, i) => subscribe(i)));
    const secondsUntilAllReady = (performance.now() - t0) / 1000;
    log(`  all ${count} clients READY ${secondsUntilAllReady.toFixed(2)} s after the server was back (${retries} connection retries)`);
    await new Promise((r) => setTimeout(r, (seconds * 1000) / 2)); // traffic after the restart
    stop = true;
    await traffic;

    const byId = new Map(users.map((u) => [u.id, u.name]));
    const expect = async () => {
      const conversations = await conversationsOf(db.url);
      return everyMemberEverything(new Map([...conversations].map(([id, c]) => [id, { members: c.members.map((m) => byId.get(m)!), seqs: c.seqs }])));
    };
    let result = verdict(await expect(), received);
    for (let i = 0; i < 100 && result.lost > 0; i++) {
      await new Promise((r) => setTimeout(r, 100)); // the last deliveries may still be on the wire
      result = verdict(await expect(), received);
    }
    return { clients: count, sendRate: rate, messagesSent: sent, secondsUntilAllReady: Math.round(secondsUntilAllReady * 100) / 100, retries, verdict: result, loadAverage: loadAverage() };
  } finally {
    expectingCloses = true;
    for (const ws of sockets.values()) ws.terminate();
    await server?.stop();
    await db.drop();
  }
}
