import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../src/db/schema/index.js';
import { createLogger } from '../src/logger.js';
import { PASSWORD, TestServer } from './helpers/server.js';

let server: TestServer;
const logs: string[] = [];
beforeAll(async () => {
  server = await TestServer.start({ env: { LOG_LEVEL: 'trace' }, logs });
});
afterAll(() => server.close());

const LOGIN = `mutation($input: CreateAccessTokenInput!) {
  createAccessToken(appId: "testapp", input: $input) { __typename ... on Error { code } }
}`;

/** Every log line, parsed; a line that is not JSON fails the test. */
const entries = () => logs.map((line) => JSON.parse(line) as { level: number; msg: string });

describe('logs', () => {
  it('never carry passwords, hashes, tokens or secrets, whatever fails', async () => {
    const alice = await server.user('alice');
    const [row] = await server.running.database.db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, Number(alice.id)));
    const admin = await server.adminToken();
    const secrets = [PASSWORD, row!.hash, alice.token, admin, server.appSecret, '987654321', 'nul-password-5b1e', 'typo-password-77'];

    // A number where the password string belongs.
    const numeric = await server.gql(LOGIN, { input: { username: 'alice', password: 987654321 } });
    expect(numeric.errors?.[0]?.message).toMatch(/password/);
    // A NUL byte in a field that would reach the database, with a password that would be hashed first.
    const nul = await server.gql(
      `mutation($input: RegisterPushUserInput!) { registerPushUser(appId: "testapp", input: $input) { __typename ... on Error { code } } }`,
      { input: { username: 'nulled', password: 'nul-password-5b1e', deviceGuid: 'phone\u0000' } },
    );
    expect(JSON.stringify(nul)).not.toContain('INTERNAL_SERVER_ERROR');
    // Wrong passwords and secrets, over GraphQL and REST; a document with a syntax error around a password.
    await server.gql(LOGIN, { input: { username: 'alice', password: 'typo-password-77' } });
    await server.rest('POST', '/token/user', { json: { name: 'alice', password: 'typo-password-77' } });
    await server.rest('POST', '/app/token', { json: { app_id: server.appId, app_secret: `${server.appSecret}x` } });
    await server.gql(`mutation { createAccessToken(appId: "testapp", input: { username: "alice", password: "${PASSWORD}" }) { nope } }`);
    // A token where it does not belong, and in a download URL.
    await server.gql(`{ viewer { username } }`, {}, { token: `${alice.token}x` });
    await fetch(`${server.url}/file/download/chat?file_sign=forged&access-token=${alice.token}`);

    const text = logs.join('\n');
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toContain('$argon2');
    // All of the above are the client's mistakes: none is logged as a server error.
    expect(entries().filter((e) => e.level >= 50)).toEqual([]);
  });

  it('keep the SQL of a failed query but not its parameters', async () => {
    const lines: string[] = [];
    const logger = createLogger('trace', { write: (line: string) => void lines.push(line) });
    const secret = 'tok_0123456789abcdef';
    const error = await server.running.database.db.execute(sql`select ${secret}::int`).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    logger.error({ err: error }, 'query failed');
    logger.error(error as Error);
    expect(lines).toHaveLength(2);
    expect(lines.join('\n')).not.toContain(secret);
    expect(JSON.parse(lines[0]!).err.message).toContain('select $1::int');
  });
});
