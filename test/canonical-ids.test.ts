import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestServer, type TestUser } from './helpers/server.js';

let server: TestServer;
let admin: string;
let alice: TestUser;
let bob: TestUser;
beforeAll(async () => {
  server = await TestServer.start();
  admin = await server.adminToken();
  alice = await server.user('ids_alice');
  bob = await server.user('ids_bob');
});
afterAll(() => server.close());

/** Spellings that a lenient number parser reads as the id itself: each would find the real user. */
const disguises = (id: string): string[] => [
  `${id} `,
  ` ${id}`,
  `+${id}`,
  `0${id}`,
  `${id}.0`,
  `${id}e0`,
  `0x${Number(id).toString(16)}`,
  `${Number(id) / 10}e1`,
];
const FOREIGN_FORMS = ['1e10', '0x2540be726', '+10000000000', '10000000000 ', '-1', '0', '9007199254740993'];

describe('ids in GraphQL', () => {
  it('are refused unless in canonical decimal form, with INVALID_INPUT naming the argument', async () => {
    for (const id of [...disguises(bob.id), ...FOREIGN_FORMS]) {
      const res = await server.gql(
        `mutation($id: ID!) { revokeUserTokens(userId: $id) { __typename ... on InvalidInputError { code field } } }`,
        { id },
        { token: admin },
      );
      expect(res.data?.revokeUserTokens, JSON.stringify(id)).toEqual({ __typename: 'InvalidInputError', code: 'INVALID_INPUT', field: 'userId' });
    }
  });

  it('are refused in lists too, naming the item', async () => {
    const res = await server.gql(
      `mutation($ids: [ID!]!) { disableUsers(userIds: $ids) { __typename ... on InvalidInputError { code field } } }`,
      { ids: [alice.id, `${bob.id} `] },
      { token: admin },
    );
    expect(res.data?.disableUsers).toEqual({ __typename: 'InvalidInputError', code: 'INVALID_INPUT', field: 'userIds.1' });
  });

  it('are refused where a query reads them, in errors[] with the field', async () => {
    const res = await server.gql(`query($id: ID!) { searchUser(userId: $id) { user { id } } }`, { id: `+${bob.id}` }, { token: alice.token });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', field: 'userId' });
  });

  it('work in canonical form, as a string or a JSON number', async () => {
    const asString = await server.gql(`query($id: ID!) { searchUser(userId: $id) { user { id } } }`, { id: bob.id }, { token: alice.token });
    expect(asString.data?.searchUser?.user?.id).toBe(bob.id);
    const asNumber = await server.gql(`query($id: ID!) { searchUser(userId: $id) { user { id } } }`, { id: Number(bob.id) }, { token: alice.token });
    expect(asNumber.data?.searchUser?.user?.id).toBe(bob.id);
  });
});

describe('ids in REST', () => {
  it('are refused in a query parameter unless canonical, with the dialect’s invalid-input code naming the field', async () => {
    for (const id of [...disguises(bob.id), ...FOREIGN_FORMS]) {
      const res = await server.rest('GET', '/roster/id', { token: alice.token, query: { user_id: id } });
      expect(res.body.code, JSON.stringify(id)).toBe(10002);
      expect(res.body.message).toMatch(/^userId: must be a numeric id/);
    }
    const found = await server.rest('GET', '/roster/id', { token: alice.token, query: { user_id: bob.id } });
    expect(found.body.code).toBe(200);
  });

  it('are refused in a JSON body list when nested or disguised, and nothing is changed', async () => {
    for (const item of [[Number(bob.id)], `${bob.id} `, `+${bob.id}`, { id: bob.id }]) {
      const res = await server.rest('PUT', '/user/disable', { token: admin, json: [Number(alice.id), item] });
      expect(res.body.code, JSON.stringify(item)).toBe(10002);
      expect(res.body.message).toMatch(/^userIds\.1: must be a numeric id/);
    }
    // Neither user was disabled: both still log in.
    await server.login('ids_alice');
    await server.login('ids_bob');

    const list = await server.rest('POST', '/roster/list', { token: alice.token, json: [[Number(bob.id)]] });
    expect(list.body.code).toBe(10002);
    expect(list.body.message).toMatch(/^userIds\.0: must be a numeric id/);
    const listed = await server.rest('POST', '/roster/list', { token: alice.token, json: [Number(bob.id)] });
    expect(listed.body.code).toBe(200);
  });
});
