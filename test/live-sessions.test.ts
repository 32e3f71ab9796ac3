import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, PASSWORD, TestServer, type TestUser } from './helpers/server.js';
import { sse } from './helpers/sse.js';

let server: TestServer;
let admin: string;
beforeAll(async () => {
  server = await TestServer.start();
  admin = await server.adminToken();
});
afterAll(() => server.close());

const EVENTS = `subscription {
  events { __typename ... on TokenRevokedEvent { reason thisConnection } ... on MessageEvent { message { content } } }
}`;

/** A user with two devices: `phone` (device 1) acts, `laptop` (device 2) listens and is the one ended. */
async function twoDevices(name: string) {
  const phone = await server.user(name, { deviceGuid: 'phone' });
  const laptop = await server.login(name, { deviceGuid: 'laptop' });
  return { phone, laptop };
}

/** Each way a session ends, done to the laptop's session. */
const endings: [string, (user: TestUser) => Promise<unknown>][] = [
  ['SIGNED_OUT', (u) => server.gql(`mutation { signOut { __typename } }`, {}, { token: (u as TestUser & { laptop: string }).laptop })],
  ['REVOKED_BY_ADMIN', (u) => server.gql(`mutation($id: ID!) { revokeUserTokens(userId: $id) { __typename } }`, { id: u.id }, { token: admin })],
  ['ACCOUNT_DISABLED', (u) => server.gql(`mutation($id: ID!) { disableUsers(userIds: [$id]) { __typename } }`, { id: u.id }, { token: admin })],
  [
    'PASSWORD_CHANGED',
    (u) => server.gql(`mutation($o: String!) { changePassword(oldPassword: $o, newPassword: "another secret") { __typename } }`, { o: PASSWORD }, { token: u.token }),
  ],
  ['DEVICE_REMOVED', (u) => server.gql(`mutation { removeDevice(deviceSn: 2) { __typename } }`, {}, { token: u.token })],
  ['DEVICE_KICKED', (u) => server.gql(`mutation { kickDevices(deviceSn: 2) { __typename } }`, {}, { token: u.token })],
];

/** A message to `to`, which a live stream would deliver. */
async function message(to: TestUser, content: string) {
  const sender = await server.user(`s${Math.random().toString(36).slice(2, 10)}`);
  const res = await server.gql(
    `mutation($to: ID!, $c: String!) { sendMessage(input: { toKind: USER, targets: [$to], contentType: TEXT, content: $c }) { __typename ... on Error { code } } }`,
    { to: to.id, c: content },
    { token: sender.token },
  );
  expect(res.data.sendMessage.code).toBeUndefined();
}

describe('a server-sent events stream', () => {
  it.each(endings)('ends after its TokenRevokedEvent when the session ends (%s), and delivers nothing more', async (reason, end) => {
    const { phone, laptop } = await twoDevices(`sse_${reason.toLowerCase()}`);
    const stream = await sse(server.url, EVENTS, { token: laptop });
    expect((await stream.next()).data.events.__typename).toBe('StreamReadyEvent');
    await message(phone, 'before');
    expect((await stream.next()).data.events.message.content).toBe('before');

    await end({ ...phone, laptop } as TestUser);

    expect((await stream.next()).data.events).toEqual({ __typename: 'TokenRevokedEvent', reason, thisConnection: true });
    const rest = await stream.rest();
    // The stream completed cleanly, and nothing came after the revocation.
    expect(rest.at(-1)?.event).toBe('complete');
    expect(rest.filter((e) => e.event === 'next')).toHaveLength(3);
    await message(phone, 'after');
  });

  it('is refused once its token is revoked', async () => {
    const { laptop } = await twoDevices('sse_refused');
    await server.gql(`mutation { signOut { __typename } }`, {}, { token: laptop });
    const stream = await sse(server.url, EVENTS, { token: laptop });
    expect((await stream.next()).errors[0].extensions.code).toBe('TOKEN_REVOKED');
    expect(await stream.next()).toBeUndefined();
  });

  it('ends when its token expires', async () => {
    const shortLived = await TestServer.start({ env: { TOKEN_TTL_SECONDS: '2' } });
    try {
      const user = await shortLived.user('sse_expiring');
      const stream = await sse(shortLived.url, EVENTS, { token: user.token });
      const first = await stream.next();
      // On a slow machine the token may expire before the stream starts: then it is refused as expired.
      if (first.errors) expect(first.errors[0].extensions.code).toBe('TOKEN_EXPIRED');
      else expect(first.data.events.__typename).toBe('StreamReadyEvent');
      expect(await stream.next()).toBeUndefined();
    } finally {
      await shortLived.close();
    }
  });
});

describe('a graphql-ws connection', () => {
  it.each(endings)('closes with 4403 after its TokenRevokedEvent when the session ends (%s)', async (reason, end) => {
    const { phone, laptop } = await twoDevices(`ws_${reason.toLowerCase()}`);
    const ws = server.ws({ token: laptop });
    const events = collect(ws.client, EVENTS);
    expect((await events.next()).events.__typename).toBe('StreamReadyEvent');

    await end({ ...phone, laptop } as TestUser);

    expect((await events.next()).events).toEqual({ __typename: 'TokenRevokedEvent', reason, thisConnection: true });
    expect(await ws.closed).toEqual({ code: 4403, reason: `Forbidden: ${reason}` });
  });
});

describe('a graceful stop', () => {
  it('ends server-sent event streams cleanly and closes WebSockets with 1001, without waiting for the timeout', async () => {
    const stopping = await TestServer.start({ env: { SHUTDOWN_TIMEOUT_MS: '60000' } });
    const user = await stopping.user('leaving');
    const stream = await sse(stopping.url, EVENTS, { token: user.token });
    expect((await stream.next()).data.events.__typename).toBe('StreamReadyEvent');
    const ws = stopping.ws({ token: user.token });
    const events = collect(ws.client, EVENTS);
    await events.next();

    const started = Date.now();
    await stopping.close();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((await stream.rest()).at(-1)?.event).toBe('complete');
    expect((await ws.closed).code).toBe(1001);
  });
});
