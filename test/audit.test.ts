import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redact } from '../src/domain/audit.js';
import { TestServer } from './helpers/server.js';

const LOG = `query($first: Int, $after: String, $action: String) {
  auditLog(first: $first, after: $after, action: $action) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { action arguments outcome tokenId actingAsUserId actingAsGroupId at } }
  }
}`;
const RETAIN = `mutation($days: Int) { setMessageRetention(days: $days) { __typename } }`;

let server: TestServer;
let admin: string;
beforeAll(async () => {
  server = await TestServer.start();
  admin = await server.adminToken();
});
afterAll(() => server.close());

const log = async (token: string, variables: Record<string, unknown> = {}) => {
  const res = await server.gql(LOG, variables, { token });
  expect(res.errors).toBeUndefined();
  return res.data.auditLog;
};

describe('the audit log', () => {
  it('records each admin mutation with its arguments and outcome, newest first, and nothing users do', async () => {
    const user = await server.user('audited');
    const before = (await log(admin)).totalCount;
    // A user's own mutation is not an admin action.
    await server.gql(RETAIN, { days: 5 }, { token: user.token });
    await server.gql(
      `mutation($input: UpdateProfileInput!) { updateProfile(input: $input) { __typename } }`,
      { input: { nickName: 'self' } },
      { token: user.token },
    );
    expect((await log(admin)).totalCount).toBe(before);

    expect((await server.gql(RETAIN, { days: 10 }, { token: admin })).data.setMessageRetention.__typename).toBe('SetMessageRetentionPayload');
    expect((await server.gql(RETAIN, { days: 0 }, { token: admin })).data.setMessageRetention.__typename).toBe('InvalidInputError');
    await server.gql(RETAIN, { days: null }, { token: admin });

    const page = await log(admin, { first: 3 });
    expect(page.totalCount).toBe(before + 3);
    expect(page.edges.map((e: any) => [e.node.action, e.node.arguments, e.node.outcome])).toEqual([
      ['setMessageRetention', { days: null }, 'OK'],
      ['setMessageRetention', { days: 0 }, 'INVALID_INPUT'],
      ['setMessageRetention', { days: 10 }, 'OK'],
    ]);
    const entry = page.edges[0].node;
    expect(entry).toMatchObject({ actingAsUserId: null, actingAsGroupId: null, tokenId: expect.any(String) });
    expect(Math.abs(entry.at - Date.now())).toBeLessThan(60_000);
    // The extra field the log asks for never reaches the client.
    const answer = await server.gql(RETAIN, { days: 3 }, { token: admin });
    expect(Object.keys(answer.data.setMessageRetention)).toEqual(['__typename']);
    await server.gql(RETAIN, { days: null }, { token: admin });
  });

  it('records an admin acting as a user, over GraphQL and REST, with secrets redacted', async () => {
    const user = await server.user('actedon');
    const changed = await server.gql(
      `mutation($old: String!, $new: String!) { changePassword(oldPassword: $old, newPassword: $new) { __typename } }`,
      { old: 'not the password', new: 'a new password 123' },
      { token: admin, actAs: user.id },
    );
    expect(changed.data.changePassword.__typename).not.toMatch(/Success|Payload/);
    const [entry] = (await log(admin, { first: 1, action: 'changePassword' })).edges.map((e: any) => e.node);
    expect(entry).toMatchObject({ actingAsUserId: user.id, arguments: { oldPassword: '[redacted]', newPassword: '[redacted]' } });
    expect(entry.outcome).toMatch(/^[A-Z_]+$/);
    expect(entry.outcome).not.toBe('OK');
    expect(JSON.stringify(entry)).not.toContain('a new password');

    const rest = await server.rest('POST', '/user/nickname', { token: admin, headers: { user_id: user.id }, json: { nick_name: 'set by admin' } });
    expect(rest.body.code).toBe(200);
    const [viaRest] = (await log(admin, { first: 1 })).edges.map((e: any) => e.node);
    expect(viaRest).toMatchObject({ actingAsUserId: user.id, outcome: 'OK', arguments: { input: { nickName: 'set by admin' } } });
  });

  it('pages, and shows each app only its own entries; users may not read it', async () => {
    const first = await log(admin, { first: 1 });
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await log(admin, { first: 1, after: first.pageInfo.endCursor });
    expect(second.edges).toHaveLength(1);
    expect(second.edges[0].node.at).toBeLessThanOrEqual(first.edges[0].node.at);

    const other = await server.createApp('auditother');
    const otherAdmin = await server.adminToken(other.appId, other.appSecret);
    expect((await log(otherAdmin)).totalCount).toBe(0);
    const user = await server.user('curious');
    expect((await server.gql(LOG, {}, { token: user.token })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('redacts secrets at any depth and cuts long strings', () => {
    expect(redact({ input: { appSecret: 's', password: 'p', name: 'n', nested: [{ apiKey: 'k', token: 't' }] } })).toEqual({
      input: { appSecret: '[redacted]', password: '[redacted]', name: 'n', nested: [{ apiKey: '[redacted]', token: '[redacted]' }] },
    });
    expect((redact('x'.repeat(2000)) as string).length).toBe(501);
  });
});
