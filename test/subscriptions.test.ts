import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, TestServer } from './helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await TestServer.start();
});
afterAll(() => server.close());

const ACCOUNT_EVENTS = `subscription {
  events {
    __typename at
    ... on TokenRevokedEvent { reason deviceSns thisConnection }
  }
}`;
const SIGN_OUT = `mutation { signOut { __typename } }`;

/** Opens a raw graphql-ws socket and sends connection_init; resolves with the first close. */
function rawConnect(payload: unknown) {
  const socket = new WebSocket(server.wsUrl, 'graphql-transport-ws');
  socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload })));
  return new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
}

describe('subscriptions over plain HTTP', () => {
  it('answer a refused subscription with its typed error, never a 5xx', async () => {
    for (const accept of ['application/json', 'application/graphql-response+json']) {
      for (const authorization of ['Bearer garbage', undefined]) {
        const headers: Record<string, string> = { accept, ...(authorization ? { authorization } : {}) };
        const res = await fetch(`${server.url}/graphql?query=${encodeURIComponent('subscription { events { __typename } }')}`, { headers });
        const body = (await res.json()) as { errors: { extensions: { code: string } }[] };
        expect([accept, res.status < 500, body.errors[0]!.extensions.code]).toEqual([accept, true, authorization ? 'TOKEN_INVALID' : 'TOKEN_MISSING']);
      }
    }
  });
});

describe('graphql-ws connections', () => {
  it('refuses a connection without a token with 4403', async () => {
    expect(await rawConnect({})).toEqual({ code: 4403, reason: 'Forbidden: TOKEN_MISSING' });
  });

  it('refuses a bad token with 4403 and says why', async () => {
    expect(await rawConnect({ token: 'forged' })).toEqual({ code: 4403, reason: 'Forbidden: TOKEN_INVALID' });
  });

  it('refuses a signed-out token', async () => {
    const user = await server.user('olga');
    await server.gql(SIGN_OUT, {}, { token: user.token });
    expect(await rawConnect({ token: user.token })).toEqual({ code: 4403, reason: 'Forbidden: TOKEN_REVOKED' });
  });

  it('refuses a token over HTTP at once when it is signed out, though the server had just checked it', async () => {
    const user = await server.user('ursula');
    const VIEWER = `{ viewer { username } }`;
    expect((await server.gql(VIEWER, {}, { token: user.token })).data.viewer.username).toBe('ursula');
    await server.gql(SIGN_OUT, {}, { token: user.token });
    expect((await server.gql(VIEWER, {}, { token: user.token })).errors?.[0]?.extensions?.code).toBe('TOKEN_REVOKED');
  });

  it('runs queries over the socket with the connection’s viewer', async () => {
    const user = await server.user('pete');
    const { client } = server.ws({ token: user.token });
    const result = await new Promise<any>((resolve, reject) => {
      client.subscribe({ query: '{ viewer { username } }' }, { next: resolve, error: reject, complete: () => {} });
    });
    expect(result.data.viewer.username).toBe('pete');
    await client.dispose();
  });
});

describe('account events', () => {
  it('tell every device of a user that one signed out, and close that device’s connection', async () => {
    const phone = await server.user('quinn', { deviceGuid: 'phone' });
    const laptopToken = await server.login('quinn', { deviceGuid: 'laptop' });

    const phoneWs = server.ws({ token: phone.token });
    const laptopWs = server.ws({ token: laptopToken });
    const onPhone = collect(phoneWs.client, ACCOUNT_EVENTS);
    const onLaptop = collect(laptopWs.client, ACCOUNT_EVENTS);
    expect((await onPhone.next()).events.__typename).toBe('StreamReadyEvent');
    expect((await onLaptop.next()).events.__typename).toBe('StreamReadyEvent');

    expect((await server.gql(SIGN_OUT, {}, { token: phone.token })).data.signOut.__typename).toBe('SignOutPayload');

    const seenOnPhone = (await onPhone.next()).events;
    const seenOnLaptop = (await onLaptop.next()).events;
    expect(seenOnPhone).toMatchObject({ __typename: 'TokenRevokedEvent', reason: 'SIGNED_OUT', deviceSns: [1], thisConnection: true });
    expect(seenOnLaptop).toMatchObject({ __typename: 'TokenRevokedEvent', reason: 'SIGNED_OUT', deviceSns: [1], thisConnection: false });

    expect(await phoneWs.closed).toEqual({ code: 4403, reason: 'Forbidden: SIGNED_OUT' });
    await onPhone.done;

    // The laptop stays connected and subscribed.
    const viewer = await new Promise<any>((resolve, reject) =>
      laptopWs.client.subscribe({ query: '{ viewer { username } }' }, { next: resolve, error: reject, complete: () => {} }),
    );
    expect(viewer.data.viewer.username).toBe('quinn');
    await laptopWs.client.dispose();
  });

  it('end when an admin revokes all tokens of the user', async () => {
    const user = await server.user('rita');
    const ws = server.ws({ token: user.token });
    const events = collect(ws.client, ACCOUNT_EVENTS);
    await events.next();
    const admin = await server.adminToken();
    const res = await server.gql(
      `mutation($id: ID!) { revokeUserTokens(userId: $id) { ... on RevokeUserTokensPayload { revokedTokenCount } } }`,
      { id: user.id },
      { token: admin },
    );
    expect(res.data.revokeUserTokens.revokedTokenCount).toBe(1);
    expect((await events.next()).events).toMatchObject({ reason: 'REVOKED_BY_ADMIN', thisConnection: true });
    expect(await ws.closed).toEqual({ code: 4403, reason: 'Forbidden: REVOKED_BY_ADMIN' });
  });

  it('close a connection when its token expires', async () => {
    // The expiry is a real timer in the server. On a loaded machine the token may run out before
    // the connection is made: then it is refused, with the same close code and reason. Either
    // way the client learns why, so the test holds whatever the machine's speed.
    const shortLived = await TestServer.start({ env: { TOKEN_TTL_SECONDS: '2' } });
    try {
      const user = await shortLived.user('sam');
      const ws = shortLived.ws({ token: user.token });
      expect(await ws.closed).toEqual({ code: 4403, reason: 'Forbidden: TOKEN_EXPIRED' });
    } finally {
      await shortLived.close();
    }
  });

  it('need a user: an admin token alone cannot subscribe', async () => {
    const { client } = server.ws({ token: await server.adminToken() });
    const result = await new Promise<any>((resolve) =>
      client.subscribe({ query: ACCOUNT_EVENTS }, { next: resolve, error: resolve, complete: () => {} }),
    );
    expect(result.errors[0].extensions.code).toBe('FORBIDDEN');
    await client.dispose();
  });

  it('also stream over server-sent events', async () => {
    const user = await server.user('tina');
    const controller = new AbortController();
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${user.token}` },
      body: JSON.stringify({ query: ACCOUNT_EVENTS }),
      signal: controller.signal,
    });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    const events: any[] = [];
    let buffer = '';
    const readEvent = async () => {
      while (!buffer.includes('\n\n')) buffer += (await reader.read()).value ?? '';
      const [frame, rest] = [buffer.slice(0, buffer.indexOf('\n\n')), buffer.slice(buffer.indexOf('\n\n') + 2)];
      buffer = rest;
      const data = frame.split('\n').find((l) => l.startsWith('data:'));
      return data ? JSON.parse(data.slice(5)) : undefined;
    };
    while (events.length < 1) {
      const event = await readEvent();
      if (event) events.push(event);
    }
    expect(events[0].data.events.__typename).toBe('StreamReadyEvent');
    await server.gql(SIGN_OUT, {}, { token: user.token });
    let revoked;
    while (!revoked) revoked = await readEvent();
    expect(revoked.data.events).toMatchObject({ __typename: 'TokenRevokedEvent', thisConnection: true });
    controller.abort();
  });
});

describe('the events stream over graphql-ws', () => {
  it('answers the same on its lean path as a generic operation does; bad variables are the operation’s error', async () => {
    const alice = await server.user('lean_alice');
    const bob = await server.user('lean_bob');
    const { client } = server.ws({ token: bob.token });
    const SELECTION = `__typename cursor ... on MessageEvent { message { seq content from { username } } }`;
    // `events` alone takes the lean path; a fragment at the root keeps a document on the generic one.
    const lean = collect(client, `subscription { events { ${SELECTION} } }`);
    const generic = collect(client, `subscription { ...All } fragment All on Subscription { events { ${SELECTION} } }`);
    expect((await lean.next()).events.__typename).toBe('StreamReadyEvent');
    expect((await generic.next()).events.__typename).toBe('StreamReadyEvent');
    const sent = await server.gql(
      `mutation($to: ID!) { sendMessage(input: { toKind: USER, targets: [$to], contentType: TEXT, content: "same" }) { __typename } }`,
      { to: bob.id },
      { token: alice.token },
    );
    expect(sent.data.sendMessage.__typename).toBe('SendMessagePayload');
    const [a, b] = [await lean.next(), await generic.next()];
    expect(a).toEqual(b);
    expect(a.events).toMatchObject({ __typename: 'MessageEvent', message: { seq: 1, content: 'same', from: { username: 'lean_alice' } } });
    expect(a.events.cursor).toEqual(expect.any(String));

    const wrong = await new Promise<any>((resolve) =>
      client.subscribe(
        { query: `subscription($since: String) { events(since: $since) { __typename } }`, variables: { since: 5 } },
        { next: resolve, error: resolve, complete: () => {} },
      ),
    );
    expect(wrong[0].message).toMatch(/\$since/);
    lean.dispose();
    generic.dispose();
    await client.dispose();
  });
});
