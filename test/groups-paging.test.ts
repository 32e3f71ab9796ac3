import { asc, eq, sql } from 'drizzle-orm';
import { groupMembers } from '../src/db/schema/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberPage } from '../src/domain/groups/members.js';
import { timeIdCursor } from '../src/domain/paging.js';
import { findGroup } from '../src/domain/groups/access.js';
import { TestServer, type TestUser } from './helpers/server.js';

// The member list of a 10,000-member group pages without reading all members: the page query is
// served by the (group, joined_at, user_id) index and reads one page of rows, and a page costs
// the same number of queries in a group of 10,000 as in a group of 2.
const SIZE = 10_000;
let server: TestServer;
let owner: TestUser;
let big: string;
let small: string;

beforeAll(async () => {
  // The push worker polls in the background: off, so the statements counted are the call's alone.
  server = await TestServer.start({ env: { PUSH_WORKER: 'false' } });
  owner = await server.user('bigowner');
  const create = `mutation($n: String!) { createGroup(input: { name: $n }) { ... on CreateGroupPayload { group { id } } } }`;
  big = (await server.gql(create, { n: 'big' }, { token: owner.token })).data.createGroup.group.id;
  small = (await server.gql(create, { n: 'small' }, { token: owner.token })).data.createGroup.group.id;
  // Arrange with SQL: 10,000 users joining a millisecond apart (plus one to the small group).
  const { db } = server.running.database;
  await db.execute(sql`
    insert into users (app_id, username, password_hash)
    select ${server.appId}, 'bulk' || i, 'not-a-hash' from generate_series(1, ${SIZE + 1}) as i`);
  await db.execute(sql`
    insert into group_members (app_id, group_id, user_id, joined_at)
    select app_id, ${Number(big)}, id, now() + (row_number() over (order by id)) * interval '1 millisecond'
    from users where app_id = ${server.appId} and username like 'bulk%' and username <> ${`bulk${SIZE + 1}`}`);
  await db.execute(sql`
    insert into group_members (app_id, group_id, user_id) select app_id, ${Number(small)}, id from users where username = ${`bulk${SIZE + 1}`}`);
  await db.execute(sql`update groups set member_count = member_count + ${SIZE} where id = ${Number(big)}`);
  await db.execute(sql`update groups set member_count = member_count + 1 where id = ${Number(small)}`);
  await db.execute(sql`analyze group_members`);
}, 120_000);
afterAll(() => server.close());

/** Statements that authenticate the caller: the process caches the viewer for a few seconds, so they may or may not run. */
const authentication = /from "(apps|access_tokens)"/;

/** The statements one REST call runs to answer it (authentication aside). */
async function statementsOf(path: string, query: Record<string, string | number>) {
  const statements: { query: string; params: unknown[] }[] = [];
  const stop = server.running.database.onQuery((text, params) => {
    if (!authentication.test(text)) statements.push({ query: text, params });
  });
  try {
    const res = await server.rest('GET', path, { token: owner.token, query });
    expect(res.body.code).toBe(200);
    return { statements, body: res.body as any };
  } finally {
    stop();
  }
}

/** EXPLAIN ANALYZE of a statement with its parameters, on whichever driver runs the server. */
async function explain(statement: { query: string; params: unknown[] }): Promise<PlanNode> {
  const client = (server.running.database.db as unknown as { $client: any }).$client;
  const text = `explain (analyze, format json) ${statement.query}`;
  const params = statement.params.map((p) => (p instanceof Date ? p.toISOString() : p));
  const rows = server.running.database.kind === 'pglite' ? (await client.query(text, params)).rows : await client.unsafe(text, params);
  const plan = rows[0]['QUERY PLAN'];
  return (typeof plan === 'string' ? JSON.parse(plan) : plan)[0].Plan;
}

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Actual Rows': number;
  Plans?: PlanNode[];
}
const nodes = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(nodes)];

describe(`a group of ${SIZE} members`, () => {
  it('answers a page of GET /group/member_list with the total, in as many queries as a group of 2', async () => {
    const bigPage = await statementsOf('/group/member_list', { group_id: big, limit: 50 });
    const smallPage = await statementsOf('/group/member_list', { group_id: small, limit: 50 });
    expect(bigPage.body.total).toBe(SIZE + 1);
    expect(bigPage.body.data).toHaveLength(50);
    expect(bigPage.body.cursor).toEqual(expect.any(String));
    expect(smallPage.body.total).toBe(2);
    expect(bigPage.statements.length).toBe(smallPage.statements.length);
    expect(bigPage.statements.length).toBeLessThanOrEqual(6);
    if (process.env['SHOW_PLANS']) console.log(bigPage.statements.map((s) => s.query).join('\n'));
    // No statement counts members or reads them without a limit: the total is the kept count.
    const memberReads = bigPage.statements.filter((s) => /from "group_members"/.test(s.query));
    for (const read of memberReads) expect(read.query).toMatch(/limit \$\d+|"group_members"\."user_id" = \$\d+/);
    expect(bigPage.statements.some((s) => /count\(/i.test(s.query))).toBe(false);
  });

  it('reads one page of index entries, from the start or from a cursor deep inside the group', async () => {
    const { db } = server.running.database;
    const group = await findGroup(db, server.appId, Number(big));
    const [middle] = await db
      .select({ joinedAt: groupMembers.joinedAt, userId: groupMembers.userId })
      .from(groupMembers)
      .where(eq(groupMembers.groupId, group.id))
      .orderBy(asc(groupMembers.joinedAt), asc(groupMembers.userId))
      .offset(5000)
      .limit(1);
    for (const after of [undefined, timeIdCursor(middle!.joinedAt, middle!.userId)]) {
      const statement = memberPage(db, group, { after, limit: 51 }).toSQL();
      const plan = await explain({ query: statement.sql, params: statement.params });
      expect(plan['Node Type']).toBe('Limit');
      const scan = nodes(plan).find((n) => n['Index Name'] === 'group_members_join_order_idx');
      expect(scan, JSON.stringify(plan)).toBeDefined();
      expect(scan!['Actual Rows']).toBeLessThanOrEqual(51);
      expect(nodes(plan).some((n) => n['Node Type'] === 'Seq Scan' || n['Node Type'] === 'Sort')).toBe(false);
      if (process.env['SHOW_PLANS']) console.log(JSON.stringify(plan, null, 1));
    }
  });

  it('pages through every member exactly once, in join order', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    do {
      const res = await server.gql(
        `query($g: ID!, $after: String) { group(id: $g) { members(first: 100, after: $after) { edges { node { userId joinedAt } } pageInfo { hasNextPage endCursor } } } }`,
        { g: big, after },
        { token: owner.token },
      );
      const members = res.data.group.members;
      seen.push(...members.edges.map((e: any) => e.node.userId));
      after = members.pageInfo.hasNextPage ? members.pageInfo.endCursor : undefined;
    } while (after);
    expect(seen).toHaveLength(SIZE + 1);
    expect(new Set(seen).size).toBe(SIZE + 1);
    expect(seen[0]).toBe(owner.id);
  });
});
