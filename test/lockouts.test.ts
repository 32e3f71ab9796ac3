import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, TestServer } from './helpers/server.js';

// One proxy in front: the client address is the last X-Forwarded-For entry, so tests can speak
// from several addresses.
let server: TestServer;
beforeAll(async () => {
  server = await TestServer.start({ env: { TRUST_PROXY_HOPS: '1', LOGIN_ADDRESS_MAX_FAILURES: '15' } });
});
afterAll(() => server.close());

const from = (address: string) => ({ headers: { 'x-forwarded-for': address } });

const LOGIN = `mutation($input: CreateAccessTokenInput!) {
  createAccessToken(appId: "testapp", input: $input) { __typename ... on Error { code } ... on RateLimitedError { retryAfterSeconds } }
}`;
const login = async (username: string, password: string, address: string) =>
  (await server.gql(LOGIN, { input: { username, password } }, from(address))).data.createAccessToken;

const ADMIN = `mutation($s: String!) { createAdminToken(appId: "testapp", appSecret: $s) { __typename ... on Error { code } } }`;
const adminToken = async (secret: string, address: string) => (await server.gql(ADMIN, { s: secret }, from(address))).data.createAdminToken;

describe('login budgets', () => {
  it('cannot be raced: 100 concurrent wrong passwords make at most 10 password checks', async () => {
    await server.user('raced');
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => login('raced', `wrong-${i}`, '192.0.2.10')));
    const codes = results.map((r) => r.code);
    expect(codes.filter((c) => c === 'BAD_CREDENTIALS')).toHaveLength(10);
    expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(90);
    expect(results.find((r) => r.code === 'RATE_LIMITED').retryAfterSeconds).toBeGreaterThan(0);
  });

  it('lock out the stranger, not the owner: the owner logs in from elsewhere on every route', async () => {
    await server.user('owner');
    for (let i = 0; i < 10; i++) expect((await login('owner', `guess-${i}`, '203.0.113.5')).code).toBe('BAD_CREDENTIALS');
    expect((await login('owner', PASSWORD, '203.0.113.5')).code).toBe('RATE_LIMITED');
    const rest = await server.rest('POST', '/token/user', { json: { name: 'owner', password: PASSWORD }, ...from('203.0.113.5') });
    expect([rest.status, rest.body.code]).toEqual([429, 429]);

    expect((await login('owner', PASSWORD, '198.51.100.7')).__typename).toBe('CreateAccessTokenPayload');
    const restOwner = await server.rest('POST', '/token/user', { json: { name: 'owner', password: PASSWORD }, ...from('198.51.100.7') });
    expect(restOwner.body.code).toBe(200);
  });

  it('lock out wrong app secrets from their address only: the backend still gets admin tokens', async () => {
    for (let i = 0; i < 10; i++) expect((await adminToken(`wrong-secret-${i}`, '203.0.113.9')).code).toBe('BAD_CREDENTIALS');
    expect((await adminToken(server.appSecret, '203.0.113.9')).code).toBe('RATE_LIMITED');
    const restAttacker = await server.rest('POST', '/app/token', { json: { app_id: server.appId, app_secret: server.appSecret }, ...from('203.0.113.9') });
    expect(restAttacker.status).toBe(429);

    expect((await adminToken(server.appSecret, '198.51.100.20')).__typename).toBe('CreateAdminTokenPayload');
    const rest = await server.rest('POST', '/app/token', { json: { app_id: server.appId, app_secret: server.appSecret }, ...from('198.51.100.20') });
    expect(rest.body.code).toBe(200);
  });

  it('bound the password checks one address causes across many names', async () => {
    await server.user('sprayed');
    const codes: string[] = [];
    for (let i = 0; i < 20; i++) codes.push((await login(`name${i}`, 'spray-password', '192.0.2.77')).code);
    expect(codes.filter((c) => c === 'BAD_CREDENTIALS')).toHaveLength(15);
    expect(codes.slice(15)).toEqual(Array(5).fill('RATE_LIMITED'));
    // Other addresses are not slowed down by it.
    expect((await login('sprayed', PASSWORD, '192.0.2.78')).__typename).toBe('CreateAccessTokenPayload');
  });

  it('do not charge successful logins', async () => {
    await server.user('regular');
    for (let i = 0; i < 20; i++) expect((await login('regular', PASSWORD, '192.0.2.90')).__typename).toBe('CreateAccessTokenPayload');
  });
});
