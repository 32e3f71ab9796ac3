import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { TestServer, type TestUser } from './helpers/server.js';

const page = (alias: string) => `${alias}: messages(conversation: { userId: $peer }, last: 100) { edges { node { id content from { id username } } } }`;
/** Ten aliased pages of 100 messages: cost 33,125. */
const TEN_PAGES = `query($peer: ID!) { ${Array.from({ length: 10 }, (_, i) => page(`p${i}`)).join(' ')} }`;
/** One page: cost 3,313. */
const ONE_PAGE = `query($peer: ID!) { ${page('p0')} }`;
/** Five pages: cost 16,563. */
const FIVE_PAGES = `query($peer: ID!) { ${Array.from({ length: 5 }, (_, i) => page(`p${i}`)).join(' ')} }`;

describe('query cost limit (graphql-armor)', () => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  beforeAll(async () => {
    server = await TestServer.start();
    [alice, bob] = [await server.user('alice'), await server.user('bob')];
  });
  afterAll(() => server.close());

  it('refuses an expensive document before it runs, saying what it costs and what is allowed', async () => {
    const refused = await server.gql(TEN_PAGES, { peer: bob.id }, { token: alice.token });
    expect(refused.data).toBeUndefined();
    expect(refused.errors).toHaveLength(1);
    expect(refused.errors![0]!.message).toMatch(/too expensive: it costs 33125 where 20000 is the most allowed/);
    expect(refused.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_EXPENSIVE', cost: 33125, maxCost: 20000 });

    const { client } = server.ws({ token: alice.token });
    const overWs = await new Promise<any>((resolve) =>
      client.subscribe({ query: TEN_PAGES, variables: { peer: bob.id } }, { next: resolve, error: resolve, complete: () => {} }),
    );
    const errors: { message: string }[] = Array.isArray(overWs) ? overWs : overWs.errors;
    expect(errors.some((e) => /too expensive/.test(e.message))).toBe(true);
    await client.dispose();
  });

  it('answers cheaper documents', async () => {
    for (const query of [ONE_PAGE, FIVE_PAGES]) {
      const answered = await server.gql(query, { peer: bob.id }, { token: alice.token });
      expect(answered.errors).toBeUndefined();
      expect(answered.data.p0.edges).toEqual([]);
    }
  });

  it('takes its limit from GRAPHQL_MAX_COST, which must leave room for the server\'s own documents', async () => {
    expect(() => loadConfig({ GRAPHQL_MAX_COST: '3000' })).toThrow(/GRAPHQL_MAX_COST: must be at least 13000/);
    const strict = await TestServer.start({ env: { GRAPHQL_MAX_COST: '13000' } });
    try {
      const carol = await strict.user('carol');
      const refused = await strict.gql(FIVE_PAGES, { peer: carol.id }, { token: carol.token });
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_EXPENSIVE', cost: 16563, maxCost: 13000 });
      expect((await strict.gql(ONE_PAGE, { peer: carol.id }, { token: carol.token })).errors).toBeUndefined();
    } finally {
      await strict.close();
    }
  });
});
