import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestServer, type TestUser } from './helpers/server.js';

let server: TestServer;
let alice: TestUser;
let other: { appId: string; appSecret: string };
beforeAll(async () => {
  server = await TestServer.start();
  alice = await server.user('adm_alice');
  other = await server.createApp('bystander');
});
afterAll(() => server.close());

const REVOKE = `mutation { revokeAdminTokens { __typename ... on RevokeAdminTokensPayload { revokedTokenCount } } }`;
const ROTATE = `mutation { rotateAppSecret { __typename ... on RotateAppSecretPayload { appId appSecret revokedAdminTokenCount } } }`;
const APP_SETTINGS = `{ appSettings { messageRetentionDays } }`;

/** Whether an admin token still works, by a read only admins may make. */
async function works(token: string) {
  const res = await server.gql(APP_SETTINGS, {}, { token });
  return res.errors === undefined ? 'works' : res.errors[0]!.extensions?.code;
}

/** Whether an app secret still mints admin tokens. */
async function mints(appId: string, appSecret: string) {
  const res = await server.gql(
    `mutation($a: ID!, $s: String!) { createAdminToken(appId: $a, appSecret: $s) { __typename ... on Error { code } } }`,
    { a: appId, s: appSecret },
  );
  return res.data.createAdminToken.__typename === 'CreateAdminTokenPayload' ? 'mints' : res.data.createAdminToken.code;
}

describe('revokeAdminTokens', () => {
  it('revokes every admin token of the app, the one that asked included; other apps keep theirs', async () => {
    const first = await server.adminToken();
    const second = await server.restAdminToken();
    const bystander = await server.adminToken(other.appId, other.appSecret);
    const actingAsUser = await server.gql(`{ viewer { id } }`, {}, { token: second, actAs: alice.id });
    expect(actingAsUser.data.viewer.id).toBe(alice.id);

    const res = await server.gql(REVOKE, {}, { token: first });
    expect(res.data.revokeAdminTokens.__typename).toBe('RevokeAdminTokensPayload');
    expect(res.data.revokeAdminTokens.revokedTokenCount).toBeGreaterThanOrEqual(2);

    expect(await works(first)).toBe('TOKEN_REVOKED');
    expect(await works(second)).toBe('TOKEN_REVOKED');
    const asUser = await server.gql(`{ viewer { id } }`, {}, { token: second, actAs: alice.id });
    expect(asUser.errors?.[0]?.extensions?.code).toBe('TOKEN_REVOKED');
    const rest = await server.rest('GET', '/user/info', { token: second, headers: { user_id: alice.id } });
    expect(rest.body.code).not.toBe(200);
    expect(await works(bystander)).toBe('works');
    // The secret still mints new ones, and users' tokens were not touched.
    expect(await works(await server.adminToken())).toBe('works');
    expect((await server.gql(`{ viewer { id } }`, {}, { token: alice.token })).data.viewer.id).toBe(alice.id);
  });

  it('closes the live connections of the revoked tokens', async () => {
    const token = await server.adminToken();
    const socket = server.ws({ token });
    await socket.connected;
    await server.gql(REVOKE, {}, { token: await server.adminToken() });
    expect(await socket.closed).toEqual({ code: 4403, reason: 'Forbidden: REVOKED_BY_ADMIN' });
  });

  it('is refused to user tokens, and to admin tokens acting as a user', async () => {
    const admin = await server.adminToken();
    const byUser = await server.gql(REVOKE, {}, { token: alice.token });
    expect(byUser.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const byActing = await server.gql(REVOKE, {}, { token: admin, actAs: alice.id });
    expect(byActing.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const anonymous = await server.gql(REVOKE);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('TOKEN_MISSING');
    expect(await works(admin)).toBe('works');
  });
});

describe('rotateAppSecret', () => {
  it('answers a new secret once, refuses the old one and revokes every admin token; other apps are untouched', async () => {
    // Rotated on a second app, so this file's own secret stays as the other tests know it.
    const app = await server.createApp('rotated');
    const admin = await server.adminToken(app.appId, app.appSecret);
    const spare = await server.adminToken(app.appId, app.appSecret);
    const untouched = await server.adminToken();

    const rotated = (await server.gql(ROTATE, {}, { token: admin })).data.rotateAppSecret;
    expect(rotated).toMatchObject({ __typename: 'RotateAppSecretPayload', appId: app.appId, revokedAdminTokenCount: 2 });
    expect(rotated.appSecret).not.toBe(app.appSecret);
    expect(rotated.appSecret.length).toBeGreaterThanOrEqual(32);

    expect(await works(admin)).toBe('TOKEN_REVOKED');
    expect(await works(spare)).toBe('TOKEN_REVOKED');
    // The old secret mints nothing (GraphQL and REST); the new one does.
    expect(await mints(app.appId, app.appSecret)).toBe('BAD_CREDENTIALS');
    const oldRest = await server.rest('POST', '/app/token', { appId: app.appId, json: { app_id: app.appId, app_secret: app.appSecret } });
    expect(oldRest.body.code).not.toBe(200);
    expect(await works(await server.adminToken(app.appId, rotated.appSecret))).toBe('works');
    // The other app's secret and token still work.
    expect(await works(untouched)).toBe('works');
    expect(await mints(server.appId, server.appSecret)).toBe('mints');
  });

  it('is refused to user tokens and to admin tokens acting as a user, and changes nothing then', async () => {
    const admin = await server.adminToken();
    const byUser = await server.gql(ROTATE, {}, { token: alice.token });
    expect(byUser.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const byActing = await server.gql(ROTATE, {}, { token: admin, actAs: alice.id });
    expect(byActing.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await mints(server.appId, server.appSecret)).toBe('mints');
    expect(await works(admin)).toBe('works');
  });
});
