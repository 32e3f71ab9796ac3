/** A page of 50 messages of history, with 1,000,000 messages in the table (seeded with generate_series). */
import postgres from 'postgres';
import { gql } from '../lib/client.js';
import { seedUsers } from '../lib/seed.js';
import { APP, createDatabase, freePort, loadAverage, startServer, type ServerProcess } from '../lib/server.js';
import { percentile } from '../lib/verdict.js';

export interface HistoryResult {
  messagesInTable: number;
  pages: number;
  latencyMs: { p50: number; p99: number; max: number };
  /** Server CPU (user + system) per page, milliseconds: what a busy machine sways least. */
  serverCpuMsPerPage: number;
  loadAverage: number;
}

const PAGE = `query($to: ID!, $before: String) { messages(conversation: { userId: $to }, last: 50, before: $before) {
  edges { node { id seq content from { id username } createdAt } } pageInfo { hasPreviousPage startCursor } } }`;

export async function runHistory(total: number, pages: number, log: (line: string) => void): Promise<HistoryResult> {
  const db = await createDatabase();
  let server: ServerProcess | undefined;
  try {
    server = await startServer({ databaseUrl: db.url, port: await freePort() });
    const [alice, bob, carol, dave] = await seedUsers(db.url, 4);
    // Two conversations through the API; the table is then filled beside them: half of it is the
    // conversation paged, the other half another one (an index must pick the right rows).
    for (const [from, to] of [[alice!, bob!], [carol!, dave!]] as const) {
      await gql(server.url, `mutation($to: ID!) { sendMessage(input: { toKind: USER, targets: [$to], contentType: TEXT, content: "first" }) { __typename } }`, { to: String(to.id) }, from.token);
    }
    const sql = postgres(db.url, { max: 1, onnotice: () => {} });
    const started = performance.now();
    const conversations = await sql<{ id: string; user_low: string; user_high: string }[]>`select id, user_low, user_high from conversations order by id`;
    const half = Math.floor(total / 2);
    let position = 2;
    for (const c of conversations) {
      await sql`
        insert into messages (app_id, conversation_id, seq, sent_position, position, from_user_id, to_kind, to_id, content_type, content)
        select ${APP}, ${c.id}, s, ${position} + s, ${position} + s,
               case when s % 2 = 0 then ${c.user_low}::bigint else ${c.user_high}::bigint end, 1,
               case when s % 2 = 0 then ${c.user_high}::bigint else ${c.user_low}::bigint end, 0, 'message number ' || s
        from generate_series(2, ${half}) s`;
      await sql`update conversations set last_seq = ${half}, position = ${position + half} where id = ${c.id}`;
      position += half;
    }
    await sql`update message_streams set position = ${position} where app_id = ${APP}`;
    await sql.unsafe('vacuum analyze messages');
    const count = (await sql<{ count: string }[]>`select count(*) from messages`)[0]!.count;
    await sql.end();
    log(`  ${count} messages seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    // Warm up, then page from random places (newest pages included).
    for (let i = 0; i < 20; i++) await gql(server.url, PAGE, { to: String(bob!.id) }, alice!.token);
    const latencies: number[] = [];
    const cpuBefore = server.cpuSeconds();
    for (let i = 0; i < pages; i++) {
      const before = i % 10 === 0 ? null : String(2 + Math.floor(Math.random() * (half - 1)));
      const t0 = performance.now();
      const data = await gql(server.url, PAGE, { to: String(bob!.id), before }, alice!.token);
      latencies.push(performance.now() - t0);
      if (data.messages.edges.length !== 50 && (before === null || Number(before) > 51)) throw new Error(`a page held ${data.messages.edges.length} messages`);
    }
    const cpuMs = (server.cpuSeconds() - cpuBefore) * 1000;
    latencies.sort((a, b) => a - b);
    const round = (n: number) => Math.round(n * 100) / 100;
    const result = {
      messagesInTable: Number(count),
      pages,
      latencyMs: { p50: round(percentile(latencies, 50)), p99: round(percentile(latencies, 99)), max: round(latencies.at(-1)!) },
      serverCpuMsPerPage: round(cpuMs / pages),
      loadAverage: loadAverage(),
    };
    log(`  history page of 50: p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms, server CPU ${result.serverCpuMsPerPage} ms per page`);
    return result;
  } finally {
    await server?.stop();
    await db.drop();
  }
}
