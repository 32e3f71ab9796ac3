import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessTokens, users } from '../src/db/schema/index.js';
import { later } from './helpers/clock.js';
import { PASSWORD, TestServer } from './helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await TestServer.start();
});
afterAll(() => server.close());

const REGISTER = `mutation($appId: ID!, $input: RegisterUserInput!) {
  registerUser(appId: $appId, input: $input) {
    __typename
    ... on RegisterUserPayload { user { id username mobile email privateInfo } settings { authMode groupConfirm vibratory } }
    ... on Error { code message }
    ... on InvalidInputError { field }
    ... on ConflictError { field }
  }
}`;

const LOGIN = `mutation($appId: ID!, $input: CreateAccessTokenInput!) {
  createAccessToken(appId: $appId, input: $input) {
    __typename
    ... on CreateAccessTokenPayload { accessToken { token userId expiresAt deviceSn } user { username } }
    ... on Error { code message }
    ... on InvalidInputError { field }
  }
}`;

const VIEWER = `{ viewer { id username mobile email privateInfo settings { authMode } } }`;

async function register(input: Record<string, unknown>, appId = server.appId) {
  return (await server.gql(REGISTER, { appId, input })).data!.registerUser;
}

async function login(input: Record<string, unknown>, appId = server.appId) {
  const res = await server.gql(LOGIN, { appId, input });
  if (res.errors) return { errors: res.errors };
  const { accessToken, ...rest } = res.data!.createAccessToken;
  return { ...rest, ...accessToken };
}

describe('registration', () => {
  it('registers a user with default settings and 64-bit string ids', async () => {
    const result = await register({ username: 'alice', password: PASSWORD, mobile: '+8613800000001', email: 'Alice@Example.com' });
    expect(result.__typename).toBe('RegisterUserPayload');
    expect(result.user.username).toBe('alice');
    expect(typeof result.user.id).toBe('string');
    expect(Number(result.user.id)).toBeGreaterThan(2 ** 32);
    expect(result.settings).toEqual({ authMode: 'APPROVAL', groupConfirm: false, vibratory: true });
  });

  it('accepts CJK usernames', async () => {
    expect((await register({ username: '张三_01', password: PASSWORD })).__typename).toBe('RegisterUserPayload');
  });

  it.each([
    [{ username: '12345', password: PASSWORD }, 'username', 'digits only'],
    [{ username: 'bad name!', password: PASSWORD }, 'username', 'letters, digits'],
    [{ username: 'x', password: PASSWORD }, 'username', '2 to 32'],
    [{ username: 'a'.repeat(33), password: PASSWORD }, 'username', '2 to 32'],
    [{ username: 'shortpw', password: '12345' }, 'password', '6 to 64'],
    [{ username: 'longpw', password: 'p'.repeat(65) }, 'password', '6 to 64'],
    [{ username: 'badmobile', password: PASSWORD, mobile: 'call me' }, 'mobile', 'digits'],
    [{ username: 'bademail', password: PASSWORD, email: 'not-an-email' }, 'email', 'email'],
  ])('refuses %j naming the field', async (input, field, words) => {
    const result = await register(input);
    expect(result).toMatchObject({ __typename: 'InvalidInputError', code: 'INVALID_INPUT', field });
    expect(result.message).toContain(words);
  });

  it('refuses a taken username, mobile or email (email case-insensitively)', async () => {
    await register({ username: 'bob', password: PASSWORD, mobile: '13900000002', email: 'bob@example.com' });
    expect(await register({ username: 'bob', password: PASSWORD })).toMatchObject({
      __typename: 'ConflictError',
      code: 'USER_EXISTS',
      field: 'username',
    });
    expect(await register({ username: 'bob2', password: PASSWORD, mobile: '13900000002' })).toMatchObject({
      code: 'USER_EXISTS',
      field: 'mobile',
    });
    expect(await register({ username: 'bob3', password: PASSWORD, email: 'BOB@example.com' })).toMatchObject({
      code: 'USER_EXISTS',
      field: 'email',
    });
  });

  it('lets only one of two concurrent registrations of a name win', async () => {
    const results = await Promise.all([1, 2, 3].map(() => register({ username: 'racer', password: PASSWORD })));
    expect(results.filter((r) => r.__typename === 'RegisterUserPayload')).toHaveLength(1);
    expect(results.filter((r) => r.code === 'USER_EXISTS')).toHaveLength(2);
  });

  it('refuses an unknown app', async () => {
    expect(await register({ username: 'carol', password: PASSWORD }, 'no-such-app')).toMatchObject({
      __typename: 'NotFoundError',
      code: 'APP_NOT_FOUND',
    });
  });
});

describe('login', () => {
  let userId: string;
  beforeAll(async () => {
    userId = (await register({ username: 'dave', password: PASSWORD, mobile: '13700000003', email: 'dave@example.com' })).user.id;
  });

  it.each([
    ['username', { username: 'dave' }],
    ['user id', { userId: () => userId }],
    ['login name = username', { loginName: 'dave' }],
    ['login name = mobile', { loginName: '13700000003' }],
    ['login name = email', { loginName: 'DAVE@example.com' }],
  ])('by %s', async (_how, by) => {
    const input = Object.fromEntries(Object.entries(by).map(([k, v]) => [k, typeof v === 'function' ? v() : v]));
    const before = Date.now();
    const result = await login({ ...input, password: PASSWORD });
    expect(result.__typename).toBe('CreateAccessTokenPayload');
    expect(result.userId).toBe(userId);
    expect(result.expiresAt).toBeGreaterThan(before + 6 * 24 * 3600 * 1000);
    const me = await server.gql(VIEWER, {}, { token: result.token });
    expect(me.data.viewer).toMatchObject({ id: userId, username: 'dave', mobile: '13700000003' });
  });

  it('answers a wrong password and an unknown user alike', async () => {
    const wrong = await login({ username: 'dave', password: 'wrong password' });
    const unknown = await login({ username: 'nobody', password: PASSWORD });
    expect(wrong).toEqual({ __typename: 'AuthenticationError', code: 'BAD_CREDENTIALS', message: 'wrong login name or password' });
    expect(unknown).toEqual(wrong);
  });

  it('needs exactly one way to name the user', async () => {
    expect(await login({ password: PASSWORD })).toMatchObject({ code: 'INVALID_INPUT', field: 'username' });
    expect(await login({ username: 'dave', userId, password: PASSWORD })).toMatchObject({ code: 'INVALID_INPUT' });
    expect(await login({ userId: 'abc', password: PASSWORD })).toMatchObject({ code: 'INVALID_INPUT', field: 'userId' });
  });

  it('creates a device on first login with a device id and reuses it after', async () => {
    const first = await login({ username: 'dave', password: PASSWORD, deviceGuid: 'phone-1', platform: 'IOS' });
    const second = await login({ username: 'dave', password: PASSWORD, deviceGuid: 'tablet-1', platform: 'ANDROID' });
    const again = await login({ username: 'dave', password: PASSWORD, deviceGuid: 'phone-1' });
    expect(first.deviceSn).toBe(1);
    expect(second.deviceSn).toBe(2);
    expect(again.deviceSn).toBe(1);
    expect(new Set([first.token, second.token, again.token]).size).toBe(3);
    // A platform outside the enum is refused by GraphQL itself, before anything runs.
    const bad = await login({ username: 'dave', password: PASSWORD, deviceGuid: 'x', platform: 'BEOS' });
    expect(bad.errors?.[0]?.message).toContain('platform');
  });

  it('gives concurrent first logins of a user distinct device numbers', async () => {
    await register({ username: 'erin', password: PASSWORD });
    const results = await Promise.all(
      ['a', 'b', 'c', 'd'].map((guid) => login({ username: 'erin', password: PASSWORD, deviceGuid: guid })),
    );
    expect(results.map((r) => r.deviceSn).sort()).toEqual([1, 2, 3, 4]);
  });
});

describe('tokens', () => {
  it('reports a missing, malformed or unknown token with its own code', async () => {
    const missing = await server.gql(VIEWER);
    expect(missing.errors![0]!.extensions!.code).toBe('TOKEN_MISSING');
    const unknown = await server.gql(VIEWER, {}, { token: 'not-a-real-token' });
    expect(unknown.errors![0]!.extensions!.code).toBe('TOKEN_INVALID');
    expect(unknown.data).toBeNull();
  });

  it('stops working when signed out, while the other tokens of the user keep working', async () => {
    const frank = await server.user('frank');
    const other = await server.login('frank');
    const out = await server.gql(`mutation { signOut { ... on SignOutPayload { userId } } }`, {}, { token: frank.token });
    expect(out.data.signOut.userId).toBe(frank.id);
    expect((await server.gql(VIEWER, {}, { token: frank.token })).errors![0]!.extensions!.code).toBe('TOKEN_REVOKED');
    expect((await server.gql(VIEWER, {}, { token: other })).data.viewer.username).toBe('frank');
  });

  it('expires', async () => {
    // The clock is moved past the token's stored expiry rather than waited for: a short TTL would race the login.
    const gina = await server.user('gina');
    expect((await server.gql(VIEWER, {}, { token: gina.token })).data.viewer.username).toBe('gina');
    const [token] = await server.running.database.db.select({ expiresAt: accessTokens.expiresAt }).from(accessTokens).where(eq(accessTokens.userId, Number(gina.id)));
    const life = token!.expiresAt.getTime() - Date.now();
    expect((await later(life - 60_000, () => server.gql(VIEWER, {}, { token: gina.token }))).data.viewer.username).toBe('gina');
    expect((await later(life + 1000, () => server.gql(VIEWER, {}, { token: gina.token }))).errors?.[0]?.extensions?.code).toBe('TOKEN_EXPIRED');
  });

  it('never stores a token or password in the clear', async () => {
    const hank = await server.user('hank');
    const [row] = await server.running.database.db
      .select({ passwordHash: users.passwordHash, tokenHash: accessTokens.tokenHash })
      .from(users)
      .innerJoin(accessTokens, eq(accessTokens.userId, users.id))
      .where(eq(users.username, 'hank'));
    expect(row!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row!.passwordHash).not.toContain(PASSWORD);
    expect(row!.tokenHash).toHaveLength(32);
    expect(row!.tokenHash.toString('base64url')).not.toBe(hank.token);
    expect(row!.tokenHash.includes(Buffer.from(hank.token))).toBe(false);
  });
});

describe('admin token', () => {
  it('is minted from the app secret, and only from the right one', async () => {
    const token = await server.adminToken();
    expect(token).toBeTruthy();
    const wrong = await server.gql(
      `mutation { createAdminToken(appId: "testapp", appSecret: "wrong") { ... on Error { code } } }`,
    );
    expect(wrong.data.createAdminToken.code).toBe('BAD_CREDENTIALS');
    const unknown = await server.gql(
      `mutation { createAdminToken(appId: "nosuchapp", appSecret: "x") { ... on Error { code } } }`,
    );
    expect(unknown.data.createAdminToken.code).toBe('APP_NOT_FOUND');
  });

  it('acts as any user of its app, who then sees their own private fields', async () => {
    const ivan = await register({ username: 'ivan', password: PASSWORD, mobile: '13600000004' });
    const admin = await server.adminToken();
    const me = await server.gql(VIEWER, {}, { token: admin, actAs: ivan.user.id });
    expect(me.data.viewer).toMatchObject({ id: ivan.user.id, username: 'ivan', mobile: '13600000004', settings: { authMode: 'APPROVAL' } });
    const ghost = await server.gql(VIEWER, {}, { token: admin, actAs: '99999999999' });
    expect(ghost.errors![0]!.extensions!.code).toBe('USER_NOT_FOUND');
  });

  it('is needed to act as someone else', async () => {
    const judy = await server.user('judy');
    const ivanId = (await server.gql(`{ user(id: "1") { id } }`, {}, { token: judy.token })).data.user;
    expect(ivanId).toBeNull();
    const res = await server.gql(VIEWER, {}, { token: judy.token, actAs: judy.id });
    expect(res.errors![0]!.extensions!.code).toBe('TOKEN_INVALID');
  });

  it('registers users in batch, each item on its own', async () => {
    const admin = await server.adminToken();
    const res = await server.gql(
      `mutation($input: [RegisterUserInput!]!) {
        registerUsers(input: $input) { __typename ... on RegisterUsersPayload { outcomes { username success userId reason } } ... on Error { code } }
      }`,
      {
        input: [
          { username: 'batch1', password: PASSWORD },
          { username: '999', password: PASSWORD },
          { username: 'batch1', password: PASSWORD },
          { username: 'batch2', password: PASSWORD },
        ],
      },
      { token: admin },
    );
    const items = res.data.registerUsers.outcomes;
    expect(items.map((i: { success: boolean }) => i.success)).toEqual([true, false, false, true]);
    expect(items[1].reason).toContain('digits only');
    expect(items[2].reason).toContain('taken');
    expect(Number(items[3].userId)).toBeGreaterThan(Number(items[0].userId));
    const asUser = await server.gql(
      `mutation { registerUsers(input: [{ username: "sneaky", password: "secret12" }]) { __typename } }`,
      {},
      { token: (await server.user('kate')).token },
    );
    expect(asUser.errors![0]!.extensions!.code).toBe('FORBIDDEN');
  });
});

describe('users', () => {
  it('shows other users their public profile only', async () => {
    const leo = await register({ username: 'leo', password: PASSWORD, mobile: '13500000005', email: 'leo@example.com' });
    const mia = await server.user('mia');
    const seen = await server.gql(
      `query($id: ID!) { user(id: $id) { id username mobile email privateInfo settings { authAnswer } } }`,
      { id: leo.user.id },
      { token: mia.token },
    );
    expect(seen.data.user).toEqual({ id: leo.user.id, username: 'leo', mobile: null, email: null, privateInfo: null, settings: null });
  });

  it('needs a token to look anyone up', async () => {
    const res = await server.gql(`{ user(id: "10000000000") { id } }`);
    expect(res.errors![0]!.extensions!.code).toBe('TOKEN_MISSING');
  });
});

describe('brute force', () => {
  it('locks a login name out after too many failures, whatever name form reaches the account', async () => {
    const guarded = await TestServer.start({ env: { LOGIN_MAX_FAILURES: '3' } });
    try {
      const LOGIN_CODE = `mutation($input: CreateAccessTokenInput!) {
        createAccessToken(appId: "testapp", input: $input) { __typename ... on Error { code } ... on RateLimitedError { retryAfterSeconds } }
      }`;
      const attempt = async (input: Record<string, unknown>) => (await guarded.gql(LOGIN_CODE, { input })).data.createAccessToken;
      const victim = await guarded.user('victim');
      await guarded.user('bystander');
      await guarded.gql(`mutation { updateProfile(input: { email: "victim@example.com" }) { __typename } }`, {}, { token: victim.token });

      expect((await attempt({ username: 'victim', password: 'guess-1' })).code).toBe('BAD_CREDENTIALS');
      expect((await attempt({ loginName: 'victim@example.com', password: 'guess-2' })).code).toBe('BAD_CREDENTIALS');
      expect((await attempt({ userId: victim.id, password: 'guess-3' })).code).toBe('BAD_CREDENTIALS');
      const locked = await attempt({ username: 'victim', password: PASSWORD });
      expect(locked).toMatchObject({ __typename: 'RateLimitedError', code: 'RATE_LIMITED' });
      expect(locked.retryAfterSeconds).toBeGreaterThan(0);
      expect((await attempt({ username: 'bystander', password: PASSWORD })).__typename).toBe('CreateAccessTokenPayload');

      const rest = await guarded.rest('POST', '/token/user', { json: { name: 'victim', password: PASSWORD } });
      expect([rest.status, rest.body.code]).toEqual([429, 429]);
    } finally {
      await guarded.close();
    }
  });

  it('forgets failures after a success, and guards app secrets the same way', async () => {
    const guarded = await TestServer.start({ env: { LOGIN_MAX_FAILURES: '2' } });
    try {
      await guarded.user('careful');
      const wrong = () => guarded.gql(`mutation { createAccessToken(appId: "testapp", input: { username: "careful", password: "nope-nope" }) { __typename } }`);
      await wrong();
      expect(await guarded.login('careful')).toBeTruthy();
      await wrong();
      expect(await guarded.login('careful')).toBeTruthy();

      const secret = (s: string) =>
        guarded.gql(`mutation($s: String!) { createAdminToken(appId: "testapp", appSecret: $s) { __typename ... on Error { code } } }`, { s });
      await secret('wrong-1');
      await secret('wrong-2');
      expect((await secret(guarded.appSecret)).data.createAdminToken.code).toBe('RATE_LIMITED');
    } finally {
      await guarded.close();
    }
  });
});
