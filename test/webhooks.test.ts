import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifySignature } from '../src/domain/push/signature.js';
import { fakeWebhookReceiver, type Received } from './helpers/push.js';
import { TestServer, type TestUser } from './helpers/server.js';

let server: TestServer;
let receiver: Awaited<ReturnType<typeof fakeWebhookReceiver>>;
let admin: string;
const SECRET = 'whsec_test_0123456789abcdef';

beforeAll(async () => {
  receiver = await fakeWebhookReceiver();
  // GROUP_JOINED_LIMIT 2: a user's third group fails after the group row and its event were written (rolled back).
  server = await TestServer.start({ env: { PUSH_POLL_MS: '50', PUSH_RETRY_BASE_MS: '20', PUSH_MAX_ATTEMPTS: '3', GROUP_JOINED_LIMIT: '2' } });
  admin = await server.adminToken();
});

afterAll(async () => {
  await server?.close();
  await receiver?.close();
});

beforeEach(() => {
  receiver.answer(() => ({ status: 200 }));
  receiver.inbox.skip();
});

const ENDPOINT = `id url secret events`;
const CREATE = `mutation($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) {
    __typename ... on CreateWebhookEndpointPayload { endpoint { ${ENDPOINT} } } ... on Error { code message } ... on InvalidInputError { field }
  }
}`;
const DELIVERIES = `query($id: ID!, $status: WebhookDeliveryStatus, $first: Int, $after: String) {
  webhookDeliveries(endpointId: $id, status: $status, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id endpointId eventId eventType status attempts lastError body deliveredAt nextAttemptAt } }
  }
}`;
const REDELIVER = `mutation($id: ID!) {
  redeliverWebhookDelivery(id: $id) {
    __typename ... on RedeliverWebhookDeliveryPayload { delivery { id eventId status attempts lastError body } } ... on Error { code message }
  }
}`;
const TEST = `mutation($id: ID!) {
  testWebhookEndpoint(id: $id) {
    __typename ... on TestWebhookEndpointPayload { delivery { eventId eventType status attempts lastError } } ... on Error { code message }
  }
}`;

/** Each test listens on its own path, so it sees only its own endpoint's deliveries. */
let n = 0;
async function endpoint(events: string[], token = admin) {
  // Events of earlier steps are fanned out first: an endpoint hears of what is fanned out after it exists.
  await settled();
  const path = `/hook${++n}`;
  const res = await server.gql(CREATE, { input: { url: `${receiver.url}${path}`, secret: SECRET, events } }, { token });
  expect(res.data.createWebhookEndpoint.__typename).toBe('CreateWebhookEndpointPayload');
  return { ...res.data.createWebhookEndpoint.endpoint, path } as { id: string; url: string; secret: string; events: string[]; path: string };
}

const at = (path: string) => (all: Received[]) => all.filter((r) => r.path === path);

async function send(from: TestUser, to: { id: string }, content: string) {
  const res = await server.gql(
    `mutation($input: SendMessageInput!) { sendMessage(input: $input) { __typename ... on SendMessagePayload { messages { id } } ... on Error { code message } } }`,
    { input: { toKind: 'USER', targets: [to.id], contentType: 'TEXT', content } },
    { token: from.token },
  );
  expect(res.data.sendMessage.__typename).toBe('SendMessagePayload');
  return res.data.sendMessage.messages[0].id as string;
}

async function deliveries(id: string, variables: Record<string, unknown> = {}, token = admin) {
  return server.gql(DELIVERIES, { id, ...variables }, { token });
}

/** Everything due now is worked off, its sends included. */
const settled = () => server.running.drainPush();

/** Runs the README's verification snippet, exactly as written there. */
function readmeVerifier(): (secret: string, rawBody: string | Buffer, header: string) => boolean {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const block = /<!-- webhook-verify -->\s*```js\n([\s\S]*?)```/.exec(readme);
  if (!block) throw new Error('README.md has no webhook-verify snippet');
  return new Function('require', `${block[1]}\nreturn verifyWebhook;`)(createRequire(import.meta.url));
}

describe('webhook endpoints', () => {
  it('are set by admins only, checked, limited, and kept per app', async () => {
    const user = await server.user(`w${++n}`);
    const denied = await server.gql(CREATE, { input: { url: `${receiver.url}/x`, events: ['MESSAGE_SENT'] } }, { token: user.token });
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await server.gql(`{ webhookEndpoints { id } }`, {}, { token: user.token })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const bad = async (input: Record<string, unknown>) => (await server.gql(CREATE, { input }, { token: admin })).data.createWebhookEndpoint;
    expect(await bad({ url: 'ftp://example.com/hook', events: ['MESSAGE_SENT'] })).toMatchObject({ __typename: 'InvalidInputError', field: 'url' });
    expect(await bad({ url: `${receiver.url}/x`, secret: 'short', events: ['MESSAGE_SENT'] })).toMatchObject({ __typename: 'InvalidInputError', field: 'secret' });
    expect(await bad({ url: `${receiver.url}/x`, events: [] })).toMatchObject({ __typename: 'InvalidInputError', field: 'events' });

    // Without a secret one is made; it is stored encrypted.
    const made = await bad({ url: `${receiver.url}/made`, events: ['MESSAGE_SENT', 'MESSAGE_SENT'] });
    expect(made.endpoint.secret).toMatch(/^whsec_.{20,}/);
    expect(made.endpoint.events).toEqual(['MESSAGE_SENT']);
    // The audit log keeps the action, never the secret.
    const audit = await server.gql(`{ auditLog(action: "createWebhookEndpoint") { edges { node { arguments } } } }`, {}, { token: admin });
    expect(audit.data.auditLog.edges.length).toBeGreaterThan(0);
    expect(JSON.stringify(audit.data.auditLog)).not.toContain('whsec_');
    const stored = await server.running.database.db.execute(sql`select sealed_secret from webhook_endpoints`);
    const sealed = (Array.isArray(stored) ? stored : (stored as any).rows) as { sealed_secret: Uint8Array }[];
    expect(sealed.length).toBeGreaterThan(0);
    expect(sealed.some((r) => Buffer.from(r.sealed_secret).toString('latin1').includes('whsec_'))).toBe(false);

    const other = await server.createApp('hookother');
    const otherAdmin = await server.adminToken(other.appId, other.appSecret);
    expect((await server.gql(`{ webhookEndpoints { id } }`, {}, { token: otherAdmin })).data.webhookEndpoints).toEqual([]);
    const notFound = { __typename: 'NotFoundError', code: 'WEBHOOK_NOT_FOUND' };
    const update = await server.gql(
      `mutation($input: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(input: $input) { __typename ... on Error { code } } }`,
      { input: { id: made.endpoint.id, url: 'http://127.0.0.1:1/stolen' } },
      { token: otherAdmin },
    );
    expect(update.data.updateWebhookEndpoint).toMatchObject(notFound);
    expect((await server.gql(TEST, { id: made.endpoint.id }, { token: otherAdmin })).data.testWebhookEndpoint).toMatchObject(notFound);
    const remove = `mutation($id: ID!) { deleteWebhookEndpoint(id: $id) { __typename ... on DeleteWebhookEndpointPayload { id } ... on Error { code } } }`;
    expect((await server.gql(remove, { id: made.endpoint.id }, { token: otherAdmin })).data.deleteWebhookEndpoint).toMatchObject(notFound);
    expect((await deliveries(made.endpoint.id, {}, otherAdmin)).errors?.[0]?.extensions?.code).toBe('WEBHOOK_NOT_FOUND');
    expect((await server.gql(`query($id: ID!) { webhookEndpoint(id: $id) { id } }`, { id: made.endpoint.id }, { token: otherAdmin })).data.webhookEndpoint).toBeNull();
    // The refused change changed nothing.
    expect((await server.gql(`query($id: ID!) { webhookEndpoint(id: $id) { url } }`, { id: made.endpoint.id }, { token: admin })).data.webhookEndpoint.url).toBe(
      `${receiver.url}/made`,
    );
    expect((await server.gql(remove, { id: made.endpoint.id }, { token: admin })).data.deleteWebhookEndpoint).toEqual({ __typename: 'DeleteWebhookEndpointPayload', id: made.endpoint.id });

    // At most 10 per app (the other app's, so this app's other tests are not affected).
    for (let i = 0; i < 10; i++) {
      const res = await server.gql(CREATE, { input: { url: `${receiver.url}/many${i}`, events: ['USER_REGISTERED'] } }, { token: otherAdmin });
      expect(res.data.createWebhookEndpoint.__typename).toBe('CreateWebhookEndpointPayload');
    }
    const eleventh = await server.gql(CREATE, { input: { url: `${receiver.url}/many10`, events: ['USER_REGISTERED'] } }, { token: otherAdmin });
    expect(eleventh.data.createWebhookEndpoint).toMatchObject({ __typename: 'ConflictError', code: 'WEBHOOK_LIMIT' });
  });
});

describe('deliveries', () => {
  it('post message.sent signed over timestamp and body; the README snippet and a tampered body check it', async () => {
    const hook = await endpoint(['MESSAGE_SENT']);
    const [alice, bob] = [await server.user(`a${++n}`), await server.user(`b${++n}`)];
    const messageId = await send(alice, bob, 'hello webhook');
    await receiver.inbox.until((all) => at(hook.path)(all).length === 1);
    const [req] = at(hook.path)(receiver.inbox.all);

    expect(req!.headers['content-type']).toBe('application/json');
    expect(req!.headers['x-im-event-type']).toBe('message.sent');
    expect(req!.headers['x-im-event-id']).toBe(req!.json.id);
    expect(req!.headers['x-im-delivery-attempt']).toBe('1');
    expect(req!.json).toMatchObject({
      id: expect.stringMatching(/^evt_\d+$/),
      type: 'message.sent',
      appId: server.appId,
      data: { messageId, fromUserId: alice.id, toKind: 'USER', toId: bob.id, contentType: 'TEXT', content: 'hello webhook' },
    });
    const header = req!.headers['x-im-signature']!;
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(Math.abs(Number(/t=(\d+)/.exec(header)![1]) - Date.now() / 1000)).toBeLessThan(60);

    const verifyWebhook = readmeVerifier();
    expect(verifyWebhook(SECRET, req!.body, header)).toBe(true);
    expect(verifyWebhook(SECRET, Buffer.from(req!.body), header)).toBe(true);
    expect(verifySignature(SECRET, req!.body, header)).toBe(true);
    expect(verifyWebhook(SECRET, req!.body.replace('hello webhook', 'hello w3bhook'), header)).toBe(false);
    expect(verifyWebhook('another-secret-of-16', req!.body, header)).toBe(false);
    // An old timestamp (a replay) is refused even with a correct HMAC for it.
    const { signatureHeader } = await import('../src/domain/push/signature.js');
    expect(verifyWebhook(SECRET, req!.body, signatureHeader(SECRET, req!.body, Date.now() - 3_600_000))).toBe(false);
  });

  it('retry after a 500 with the same event id and body, and the log shows the attempts', async () => {
    const hook = await endpoint(['MESSAGE_SENT']);
    const [alice, bob] = [await server.user(`a${++n}`), await server.user(`b${++n}`)];
    let failures = 1;
    receiver.answer((r) => (r.path === hook.path && failures-- > 0 ? { status: 500 } : { status: 200 }));
    await send(alice, bob, 'try again');
    await receiver.inbox.until((all) => at(hook.path)(all).length === 2);
    await settled();
    const [first, second] = at(hook.path)(receiver.inbox.all);
    expect(second!.headers['x-im-event-id']).toBe(first!.headers['x-im-event-id']);
    expect(second!.body).toBe(first!.body);
    expect(second!.headers['x-im-delivery-id']).toBe(first!.headers['x-im-delivery-id']);
    expect([first!.headers['x-im-delivery-attempt'], second!.headers['x-im-delivery-attempt']]).toEqual(['1', '2']);
    expect(verifySignature(SECRET, second!.body, second!.headers['x-im-signature']!)).toBe(true);

    const log = (await deliveries(hook.id)).data.webhookDeliveries;
    expect(log.totalCount).toBe(1);
    expect(log.edges[0].node).toMatchObject({
      endpointId: hook.id,
      eventId: first!.json.id,
      eventType: 'message.sent',
      status: 'DELIVERED',
      attempts: 2,
      body: first!.body,
      nextAttemptAt: null,
    });
    expect(log.edges[0].node.deliveredAt).not.toBeNull();
  });

  it('give up after the last attempt (dead letter) with the error, listed by status', async () => {
    const hook = await endpoint(['MESSAGE_SENT']);
    const [alice, bob] = [await server.user(`a${++n}`), await server.user(`b${++n}`)];
    receiver.answer((r) => (r.path === hook.path ? { status: 500 } : { status: 200 }));
    await send(alice, bob, 'never lands');
    await receiver.inbox.until((all) => at(hook.path)(all).length === 3);
    await settled();
    expect(new Set(at(hook.path)(receiver.inbox.all).map((r) => r.json.id)).size).toBe(1);
    const failed = (await deliveries(hook.id, { status: 'FAILED' })).data.webhookDeliveries;
    expect(failed.totalCount).toBe(1);
    expect(failed.edges[0].node).toMatchObject({ status: 'FAILED', attempts: 3, lastError: 'the endpoint answered HTTP 500', deliveredAt: null, nextAttemptAt: null });
    expect((await deliveries(hook.id, { status: 'DELIVERED' })).data.webhookDeliveries.totalCount).toBe(0);
    // Nothing more is tried.
    await settled();
    expect(at(hook.path)(receiver.inbox.all)).toHaveLength(3);
  });

  it('stop once their endpoint is deleted: what was pending fails, nothing new is queued for it', async () => {
    const hook = await endpoint(['MESSAGE_SENT']);
    const [alice, bob] = [await server.user(`a${++n}`), await server.user(`b${++n}`)];
    receiver.answer((r) => (r.path === hook.path ? { status: 500 } : { status: 200 }));
    await send(alice, bob, 'into a deleted endpoint');
    await receiver.inbox.until((all) => at(hook.path)(all).length >= 1);
    const removed = await server.gql(`mutation($id: ID!) { deleteWebhookEndpoint(id: $id) { __typename } }`, { id: hook.id }, { token: admin });
    expect(removed.data.deleteWebhookEndpoint.__typename).toBe('DeleteWebhookEndpointPayload');
    await settled();
    const left = (await server.running.database.db.execute(
      sql`select status, count(*)::int as n from push_deliveries where endpoint_id = ${Number(hook.id)} group by status`,
    )) as any;
    expect((Array.isArray(left) ? left : left.rows).map((r: any) => [Number(r.status), Number(r.n)])).toEqual([[2, 1]]);
    const seen = at(hook.path)(receiver.inbox.all).length;
    await send(alice, bob, 'after the delete');
    await settled();
    expect(at(hook.path)(receiver.inbox.all)).toHaveLength(seen);
    expect((await deliveries(hook.id)).errors?.[0]?.extensions?.code).toBe('WEBHOOK_NOT_FOUND');
  });

  it('tell each endpoint the event types it listens for, from every kind of change, and nothing of other apps', async () => {
    const types = ['MESSAGE_RECALLED', 'MESSAGE_EDITED', 'USER_REGISTERED', 'FRIEND_ADDED', 'FRIEND_REMOVED', 'GROUP_CREATED', 'GROUP_DISSOLVED', 'GROUP_MEMBERS_CHANGED'];
    const hook = await endpoint(types);
    const onlyGroups = await endpoint(['GROUP_CREATED']);
    const alice = await server.user(`a${++n}`);
    const bob = await server.user(`b${++n}`);
    const carol = await server.user(`c${++n}`);

    const ok = (res: any, field: string) => {
      expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
      expect(res.data[field].__typename).not.toMatch(/Error$/);
    };
    ok(await server.gql(`mutation($u: ID!) { applyFriend(input: { userId: $u }) { __typename } }`, { u: bob.id }, { token: alice.token }), 'applyFriend');
    ok(await server.gql(`mutation($u: ID!) { acceptFriendRequest(userId: $u) { __typename } }`, { u: alice.id }, { token: bob.token }), 'acceptFriendRequest');
    ok(await server.gql(`mutation($u: ID!) { removeFriend(userId: $u) { __typename } }`, { u: bob.id }, { token: alice.token }), 'removeFriend');
    const created = await server.gql(
      `mutation($m: [ID!]) { createGroup(input: { name: "hooked", memberIds: $m }) { __typename ... on CreateGroupPayload { group { id } } } }`,
      { m: [carol.id] },
      { token: alice.token },
    );
    const groupId = created.data.createGroup.group.id as string;
    ok(await server.gql(`mutation($g: ID!) { leaveGroup(groupId: $g) { __typename } }`, { g: groupId }, { token: carol.token }), 'leaveGroup');
    ok(await server.gql(`mutation($g: ID!) { destroyGroup(groupId: $g) { __typename } }`, { g: groupId }, { token: alice.token }), 'destroyGroup');
    const messageId = await send(alice, bob, 'first words');
    const edited = await server.gql(`mutation($m: ID!) { editMessage(messageId: $m, content: "better words") { __typename } }`, { m: messageId }, { token: alice.token });
    ok(edited, 'editMessage');
    ok(await server.gql(`mutation($m: ID!) { recallMessage(messageId: $m) { __typename } }`, { m: messageId }, { token: alice.token }), 'recallMessage');
    // Another app's changes are not this app's endpoints' business.
    const other = await server.createApp('hookquiet');
    await server.user(`q${++n}`, { appId: other.appId });

    await settled();
    // Sends run concurrently, so arrival order is not promised: event ids follow the order of the changes.
    const got = at(hook.path)(receiver.inbox.all)
      .map((r) => r.json)
      .sort((a, b) => Number(a.id.slice(4)) - Number(b.id.slice(4)));
    expect(got.map((e) => e.type)).toEqual([
      'user.registered',
      'user.registered',
      'user.registered',
      'friend.added',
      'friend.removed',
      'group.created',
      'group.members_changed',
      'group.members_changed',
      'group.dissolved',
      'message.edited',
      'message.recalled',
    ]);
    expect(got.every((e) => e.appId === server.appId)).toBe(true);
    expect(new Set(got.map((e) => e.id)).size).toBe(got.length);
    const byType = (type: string) => got.filter((e) => e.type === type);
    expect(byType('user.registered').map((e) => e.data.username)).toEqual([alice.username, bob.username, carol.username]);
    expect(byType('friend.added')[0].data).toEqual({ userId: alice.id, friendId: bob.id });
    expect(byType('friend.removed')[0].data).toEqual({ userId: alice.id, friendId: bob.id });
    expect(byType('group.created')[0].data).toEqual({ groupId, ownerId: alice.id, name: 'hooked' });
    expect(byType('group.members_changed').map((e) => [e.data.joined, e.data.left])).toEqual([
      [[alice.id, carol.id], []],
      [[], [carol.id]],
    ]);
    expect(byType('group.dissolved')[0].data).toEqual({ groupId });
    expect(byType('message.edited')[0].data).toMatchObject({ messageId, content: 'better words', editedByUserId: alice.id });
    expect(byType('message.recalled')[0].data).toMatchObject({ messageId, recalledByUserId: alice.id, toId: bob.id });
    expect(at(onlyGroups.path)(receiver.inbox.all).map((r) => r.json.type)).toEqual(['group.created']);
  });
});

describe('testWebhookEndpoint', () => {
  it('pings now, answers how it went, and logs it; admins only', async () => {
    const hook = await endpoint(['USER_REGISTERED']);
    const ping = (await server.gql(TEST, { id: hook.id }, { token: admin })).data.testWebhookEndpoint;
    expect(ping).toMatchObject({ __typename: 'TestWebhookEndpointPayload', delivery: { eventType: 'ping', status: 'DELIVERED', attempts: 1, lastError: null } });
    const [req] = at(hook.path)(receiver.inbox.all);
    expect(req!.json).toMatchObject({ id: ping.delivery.eventId, type: 'ping', data: { endpointId: hook.id } });
    expect(verifySignature(SECRET, req!.body, req!.headers['x-im-signature']!)).toBe(true);

    receiver.answer(() => ({ status: 503 }));
    const down = (await server.gql(TEST, { id: hook.id }, { token: admin })).data.testWebhookEndpoint;
    expect(down.delivery).toMatchObject({ status: 'FAILED', attempts: 1, lastError: 'the endpoint answered HTTP 503' });
    await settled();
    // Pings are not retried.
    expect(at(hook.path)(receiver.inbox.all)).toHaveLength(2);

    const log = (await deliveries(hook.id, { first: 1 })).data.webhookDeliveries;
    expect(log.totalCount).toBe(2);
    expect(log.pageInfo.hasNextPage).toBe(true);
    expect(log.edges.map((e: any) => e.node.status)).toEqual(['FAILED']);
    const rest = (await deliveries(hook.id, { first: 5, after: log.pageInfo.endCursor })).data.webhookDeliveries;
    expect(rest.edges.map((e: any) => e.node.status)).toEqual(['DELIVERED']);

    const user = await server.user(`t${++n}`);
    expect((await server.gql(TEST, { id: hook.id }, { token: user.token })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await deliveries(hook.id, {}, user.token)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await server.gql(TEST, { id: 'nope' }, { token: admin })).data.testWebhookEndpoint).toMatchObject({ __typename: 'InvalidInputError' });
  });
});

describe('redeliverWebhookDelivery', () => {
  it('sends a dead-lettered delivery again, same event id and body, freshly signed; admins of its app only, failed ones only', async () => {
    const hook = await endpoint(['MESSAGE_SENT']);
    const [alice, bob] = [await server.user(`a${++n}`), await server.user(`b${++n}`)];
    receiver.answer((r) => (r.path === hook.path ? { status: 500 } : { status: 200 }));
    await send(alice, bob, 'dead letter');
    await receiver.inbox.until((all) => at(hook.path)(all).length === 3);
    await settled();
    const failed = (await deliveries(hook.id, { status: 'FAILED' })).data.webhookDeliveries.edges[0].node;
    expect(failed).toMatchObject({ status: 'FAILED', attempts: 3 });
    const redeliver = (id: string, token = admin) => server.gql(REDELIVER, { id }, { token });

    // Wrong role, wrong tenant, bad ids: refused, and nothing is sent.
    const user = await server.user(`r${++n}`);
    expect((await redeliver(failed.id, user.token)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const other = await server.createApp('hookother');
    const otherAdmin = await server.adminToken(other.appId, other.appSecret);
    expect((await redeliver(failed.id, otherAdmin)).data.redeliverWebhookDelivery).toMatchObject({ __typename: 'NotFoundError', code: 'WEBHOOK_DELIVERY_NOT_FOUND' });
    expect((await redeliver('nope')).data.redeliverWebhookDelivery).toMatchObject({ __typename: 'InvalidInputError' });
    expect((await redeliver(`0${failed.id}`)).data.redeliverWebhookDelivery).toMatchObject({ __typename: 'InvalidInputError' });
    expect((await redeliver('999999999')).data.redeliverWebhookDelivery).toMatchObject({ code: 'WEBHOOK_DELIVERY_NOT_FOUND' });
    await settled();
    expect(at(hook.path)(receiver.inbox.all)).toHaveLength(3);
    expect((await deliveries(hook.id, { status: 'FAILED' })).data.webhookDeliveries.totalCount).toBe(1);

    // The endpoint is fixed: the delivery goes out again, with retries anew.
    receiver.answer(() => ({ status: 200 }));
    const queued = (await redeliver(failed.id)).data.redeliverWebhookDelivery;
    expect(queued).toMatchObject({ __typename: 'RedeliverWebhookDeliveryPayload', delivery: { id: failed.id, eventId: failed.eventId, status: 'PENDING', attempts: 0 } });
    await receiver.inbox.until((all) => at(hook.path)(all).length === 4);
    await settled();
    const again = at(hook.path)(receiver.inbox.all)[3]!;
    expect(again.body).toBe(failed.body);
    expect(again.headers['x-im-event-id']).toBe(failed.eventId);
    expect(again.headers['x-im-delivery-attempt']).toBe('1');
    expect(verifySignature(SECRET, again.body, again.headers['x-im-signature']!)).toBe(true);
    const log = (await deliveries(hook.id)).data.webhookDeliveries;
    expect(log.totalCount).toBe(1);
    expect(log.edges[0].node).toMatchObject({ id: failed.id, status: 'DELIVERED', attempts: 1, lastError: null });

    // Delivered (or pending) ones are not sent again by hand.
    expect((await redeliver(failed.id)).data.redeliverWebhookDelivery).toMatchObject({ __typename: 'ConflictError', code: 'WEBHOOK_DELIVERY_NOT_FAILED' });
    await settled();
    expect(at(hook.path)(receiver.inbox.all)).toHaveLength(4);
  });

  it('refuses a delivery whose endpoint was deleted', async () => {
    const hook = await endpoint(['MESSAGE_SENT']);
    const [alice, bob] = [await server.user(`a${++n}`), await server.user(`b${++n}`)];
    receiver.answer((r) => (r.path === hook.path ? { status: 500 } : { status: 200 }));
    await send(alice, bob, 'to be orphaned');
    await receiver.inbox.until((all) => at(hook.path)(all).length === 3);
    await settled();
    const failed = (await deliveries(hook.id, { status: 'FAILED' })).data.webhookDeliveries.edges[0].node;
    await server.gql(`mutation($id: ID!) { deleteWebhookEndpoint(id: $id) { __typename } }`, { id: hook.id }, { token: admin });
    expect((await server.gql(REDELIVER, { id: failed.id }, { token: admin })).data.redeliverWebhookDelivery).toMatchObject({ code: 'WEBHOOK_NOT_FOUND' });
  });
});

describe('a change that is rolled back', () => {
  it('tells no endpoint and queues nothing, though its event was written before it failed', async () => {
    const hook = await endpoint(['GROUP_CREATED', 'GROUP_MEMBERS_CHANGED', 'MESSAGE_SENT']);
    const [dave, erin] = [await server.user(`d${++n}`), await server.user(`e${++n}`)];
    const create = (name: string) =>
      server.gql(
        `mutation($n: String!, $m: [ID!]) { createGroup(input: { name: $n, memberIds: $m }) { __typename ... on Error { code } } }`,
        { n: name, m: [erin.id] },
        { token: dave.token },
      );
    expect((await create('kept one')).data.createGroup.__typename).toBe('CreateGroupPayload');
    expect((await create('kept two')).data.createGroup.__typename).toBe('CreateGroupPayload');
    await settled();
    const before = at(hook.path)(receiver.inbox.all).length;
    const [{ n: queuedBefore }] = await dbRows(`select count(*)::int as n from push_deliveries where app_id = '${server.appId}'`);
    // The third: the group row and group.created are written, then dave cannot join (GROUP_JOINED_LIMIT 2) and it all rolls back.
    const third = await create('rolled back');
    expect(third.errors?.[0]?.extensions?.code ?? third.data.createGroup.code).toBe('JOINED_GROUPS_QUOTA');
    await settled();
    expect(await dbRows(`select id from push_outbox`)).toEqual([]);
    expect((await dbRows(`select count(*)::int as n from push_deliveries where app_id = '${server.appId}'`))[0].n).toBe(queuedBefore);
    expect(at(hook.path)(receiver.inbox.all)).toHaveLength(before);
    // What did commit was told: two groups, each created with its members joining.
    const told = at(hook.path)(receiver.inbox.all).map((r) => r.json);
    expect(told.filter((e) => e.type === 'group.created').map((e) => e.data.name)).toEqual(['kept one', 'kept two']);
    expect(told.some((e) => e.data?.name === 'rolled back')).toBe(false);
  });
});

async function dbRows(query: string): Promise<any[]> {
  const result = (await server.running.database.db.execute(sql.raw(query))) as any;
  return Array.isArray(result) ? result : result.rows;
}
