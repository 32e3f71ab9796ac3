import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, TestServer, type TestUser } from './helpers/server.js';

// Nothing of one app may be read or changed with another app's credentials.
let server: TestServer;
let other: { appId: string; appSecret: string };
let alice: TestUser; // of the test app
let mallory: TestUser; // of the other app

beforeAll(async () => {
  server = await TestServer.start();
  other = await server.createApp('other');
  alice = await server.user('alice');
  mallory = await server.user('mallory', { appId: other.appId });
});
afterAll(() => server.close());

const PROFILE = `query($id: ID!) { user(id: $id) { id username } }`;

describe('tenant isolation', () => {
  it('lets the same username exist in two apps', async () => {
    const twin = await server.user('alice', { appId: other.appId });
    expect(twin.id).not.toBe(alice.id);
  });

  it("hides another app's users from a user token", async () => {
    expect((await server.gql(PROFILE, { id: alice.id }, { token: mallory.token })).data.user).toBeNull();
    expect((await server.gql(PROFILE, { id: alice.id }, { token: alice.token })).data.user.username).toBe('alice');
  });

  it("does not log a user in through another app's id", async () => {
    const res = await server.gql(
      `mutation($a: ID!, $id: ID!, $p: String!) { createAccessToken(appId: $a, input: { userId: $id, password: $p }) { ... on Error { code } } }`,
      { a: other.appId, id: alice.id, p: PASSWORD },
    );
    expect(res.data.createAccessToken.code).toBe('BAD_CREDENTIALS');
  });

  it("does not let an admin token act as another app's user", async () => {
    const otherAdmin = await server.adminToken(other.appId, other.appSecret);
    const res = await server.gql(`{ viewer { id } }`, {}, { token: otherAdmin, actAs: alice.id });
    expect(res.errors![0]!.extensions!.code).toBe('USER_NOT_FOUND');
    expect((await server.gql(PROFILE, { id: alice.id }, { token: otherAdmin })).data.user).toBeNull();
  });

  it("does not let an admin revoke another app's user tokens", async () => {
    const otherAdmin = await server.adminToken(other.appId, other.appSecret);
    const res = await server.gql(
      `mutation($id: ID!) { revokeUserTokens(userId: $id) { __typename ... on Error { code } } }`,
      { id: alice.id },
      { token: otherAdmin },
    );
    expect(res.data.revokeUserTokens.code).toBe('USER_NOT_FOUND');
    expect((await server.gql(`{ viewer { id } }`, {}, { token: alice.token })).data.viewer.id).toBe(alice.id);
  });

  it("does not mint an admin token from one app's secret for another", async () => {
    const res = await server.gql(
      `mutation($a: ID!, $s: String!) { createAdminToken(appId: $a, appSecret: $s) { __typename ... on Error { code } } }`,
      { a: server.appId, s: other.appSecret },
    );
    expect(res.data.createAdminToken.code).toBe('BAD_CREDENTIALS');
  });

  it('refuses a REST token presented under another app_id', async () => {
    const res = await server.rest('POST', '/user/register/batch', {
      appId: server.appId,
      token: await server.adminToken(other.appId, other.appSecret),
      json: { list: [{ username: 'intruder', password: PASSWORD }] },
    });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe(10008);
    const login = await server.rest('POST', '/token/user', { appId: other.appId, json: { name: 'intruder', password: PASSWORD } });
    expect(login.body.code).toBe(10000);
  });
});
