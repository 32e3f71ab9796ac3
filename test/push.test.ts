import { jwtVerify, decodeProtectedHeader } from 'jose';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apnsKey, fakeApns, fakeFcm, serviceAccount } from './helpers/push.js';
import { collect, TestServer, type TestUser } from './helpers/server.js';

let server: TestServer;
let apns: Awaited<ReturnType<typeof fakeApns>>;
let fcm: Awaited<ReturnType<typeof fakeFcm>>;
let admin: string;
const key = apnsKey();
let account: ReturnType<typeof serviceAccount>;

const SET = `mutation($input: SetPushCredentialInput!) {
  setPushCredential(input: $input) { __typename ... on SetPushCredentialPayload { credential { provider environment appKey } } ... on InvalidInputError { code field message } }
}`;
const apnsInput = (over: Record<string, unknown> = {}) => ({
  provider: 'APNS',
  environment: 'PRODUCTION',
  name: 'store',
  providerAppId: 'com.example.chat',
  appKey: 'KEY1234567',
  appSecret: 'TEAM123456',
  certificate: key.p8,
  ...over,
});

beforeAll(async () => {
  [apns, fcm] = await Promise.all([fakeApns(), fakeFcm()]);
  account = serviceAccount(fcm.tokenUrl);
  server = await TestServer.start({
    env: {
      PUSH_APNS_URL: apns.url,
      PUSH_APNS_SANDBOX_URL: apns.url,
      PUSH_FCM_URL: fcm.url,
      PUSH_CA_FILE: apns.caFile,
      PUSH_POLL_MS: '50',
      PUSH_RETRY_BASE_MS: '20',
      PUSH_MAX_ATTEMPTS: '3',
    },
  });
  admin = await server.adminToken();
  const set = await server.gql(SET, { input: apnsInput() }, { token: admin });
  expect(set.data.setPushCredential.__typename).toBe('SetPushCredentialPayload');
  const setFcm = await server.gql(SET, { input: { provider: 'FCM', certificate: account.json } }, { token: admin });
  expect(setFcm.data.setPushCredential.__typename).toBe('SetPushCredentialPayload');
});

afterAll(async () => {
  await server?.close();
  await Promise.all([apns?.close(), fcm?.close()]);
});

let n = 0;
/** A user logged in on a device (sn 1) with a push token of the given provider. */
async function phone(notifierName: 'apns' | 'fcm' = 'apns', name = `p${++n}`) {
  const user = await server.user(name, { deviceGuid: `guid-${name}` });
  const token = `${notifierName}-token-${name}`;
  const bound = await server.gql(
    `mutation($t: String!, $n: String) { bindPushToken(deviceSn: 1, deviceToken: $t, notifierName: $n) { __typename } }`,
    { t: token, n: notifierName },
    { token: user.token },
  );
  expect(bound.data.bindPushToken.__typename).not.toMatch(/Error/);
  return { ...user, pushToken: token };
}

async function send(from: TestUser, to: { id: string }, content: string, extra: Record<string, unknown> = {}) {
  const res = await server.gql(
    `mutation($input: SendMessageInput!) { sendMessage(input: $input) { __typename ... on Error { code message } } }`,
    { input: { toKind: 'USER', targets: [to.id], contentType: 'TEXT', content, ...extra } },
    { token: from.token },
  );
  expect(res.data.sendMessage.__typename).not.toMatch(/Error/);
}

async function settings(user: TestUser, input: Record<string, unknown>) {
  const res = await server.gql(`mutation($input: UpdateSettingsInput!) { updateSettings(input: $input) { __typename } }`, { input }, { token: user.token });
  expect(res.errors).toBeUndefined();
}

async function pushTokens(user: TestUser): Promise<(string | null)[]> {
  const res = await server.gql(`{ devices { edges { node { pushToken } } } }`, {}, { token: user.token });
  return res.data.devices.edges.map((e: any) => e.node.pushToken);
}

/** Rows of a query on the server's database (assertions about what is stored). */
async function rows(query: string): Promise<any[]> {
  const result = (await server.running.database.db.execute(sql.raw(query))) as any;
  return Array.isArray(result) ? result : result.rows;
}

/** Everything the outbox holds now has been worked off: what was not pushed by now will not be. */
const settled = () => server.running.drainPush();

describe('push credentials', () => {
  it('are set and read by admins only, checked first, and stored encrypted', async () => {
    const user = await server.user(`c${++n}`);
    const denied = await server.gql(SET, { input: apnsInput() }, { token: user.token });
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const read = `{ pushCredential(provider: APNS) { providerAppId appKey appSecret certificate name } }`;
    expect((await server.gql(read, {}, { token: user.token })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await server.gql(read, {}, { token: admin })).data.pushCredential).toEqual({
      providerAppId: 'com.example.chat',
      appKey: 'KEY1234567',
      appSecret: 'TEAM123456',
      certificate: key.p8,
      name: 'store',
    });

    const bad = await server.gql(SET, { input: apnsInput({ certificate: '-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----' }) }, { token: admin });
    expect(bad.data.setPushCredential).toMatchObject({ __typename: 'InvalidInputError', field: 'certificate' });
    const badTeam = await server.gql(SET, { input: apnsInput({ appSecret: 'x' }) }, { token: admin });
    expect(badTeam.data.setPushCredential).toMatchObject({ __typename: 'InvalidInputError', field: 'certificate' });
    const badFcm = await server.gql(SET, { input: { provider: 'FCM', certificate: '{"project_id":"p"}' } }, { token: admin });
    expect(badFcm.data.setPushCredential).toMatchObject({ __typename: 'InvalidInputError', message: expect.stringContaining('client_email') });
    const garbage = await server.gql(SET, { input: apnsInput({ certificate: 'not a key at all' }) }, { token: admin });
    expect(garbage.data.setPushCredential).toMatchObject({ __typename: 'InvalidInputError', field: 'certificate', message: expect.stringContaining('.p8') });
    const notJson = await server.gql(SET, { input: { provider: 'FCM', certificate: '{"project_id": ' } }, { token: admin });
    expect(notJson.data.setPushCredential).toMatchObject({ __typename: 'InvalidInputError', field: 'certificate', message: expect.stringContaining('service-account JSON') });
    const badRsa = await server.gql(SET, { input: { provider: 'FCM', certificate: JSON.stringify({ project_id: 'p', client_email: 'e@x', private_key: key.p8 }) } }, { token: admin });
    expect(badRsa.data.setPushCredential).toMatchObject({ __typename: 'InvalidInputError', field: 'certificate', message: expect.stringContaining('RSA') });
    const vendor = await server.gql(SET, { input: { provider: 'OPPO', appKey: 'k' } }, { token: admin });
    expect(vendor.data.setPushCredential).toMatchObject({ __typename: 'InvalidInputError', field: 'provider', message: expect.stringContaining('not supported') });
    for (const provider of ['HUAWEI', 'XIAOMI', 'MEIZU', 'VIVO']) {
      const refused = await server.gql(SET, { input: { provider, appKey: 'k', appSecret: 's' } }, { token: admin });
      expect(refused.data.setPushCredential).toMatchObject({ __typename: 'InvalidInputError', field: 'provider', code: 'PUSH_PROVIDER_NOT_SUPPORTED' });
    }
    // The refused attempts changed nothing.
    expect((await server.gql(read, {}, { token: admin })).data.pushCredential.certificate).toBe(key.p8);

    const stored = Buffer.from((await rows(`select sealed from push_credentials where provider = 1`))[0].sealed);
    expect(stored.toString('latin1')).not.toContain('PRIVATE KEY');
    expect(stored.toString('latin1')).not.toContain('TEAM123456');
  });

  it('are per app', async () => {
    const other = await server.createApp('pushother');
    const otherAdmin = await server.adminToken(other.appId, other.appSecret);
    expect((await server.gql(`{ pushCredential(provider: APNS) { appKey } }`, {}, { token: otherAdmin })).data.pushCredential).toBeNull();
  });
});

describe('offline push over APNs', () => {
  it('sends an offline recipient the message: HTTP/2, a valid ES256 provider token, the topic, collapse id and badge', async () => {
    const [alice, bob] = [await phone('apns'), await phone('apns')];
    await server.gql(`mutation { updateProfile(input: { nickName: "Alice A." }) { __typename } }`, {}, { token: alice.token });
    apns.inbox.skip();
    await send(alice, bob, 'hello bob');
    const req = await apns.inbox.next();
    expect(req.path).toBe(`/3/device/${bob.pushToken}`);
    expect(req.headers).toMatchObject({
      'apns-topic': 'com.example.chat',
      'apns-push-type': 'alert',
      'apns-priority': '10',
      'content-type': 'application/json',
    });
    expect(req.headers['apns-collapse-id']).toBe(`m${req.json.message_id}`);
    const jwt = req.headers['authorization']!.replace(/^bearer /, '');
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: 'ES256', kid: 'KEY1234567' });
    const { payload } = await jwtVerify(jwt, key.publicKey, { issuer: 'TEAM123456' });
    expect(Math.abs((payload.iat ?? 0) - Date.now() / 1000)).toBeLessThan(60);
    expect(req.json.aps).toMatchObject({ alert: { body: 'hello bob' }, badge: 1, sound: 'default' });
    expect(req.json).toMatchObject({ type: 'message', from: alice.id, to: bob.id, to_type: '1' });

    await send(alice, bob, 'second');
    expect((await apns.inbox.next()).json.aps.badge).toBe(2);
  });

  it('counts the badge from unread messages, and stops it at 100 however many there are', async () => {
    const bob = await phone('apns');
    const senders = [await phone('apns'), await phone('apns'), await phone('apns')];
    // 101 unread messages over three conversations (each sender under the per-second send budget).
    for (const [i, count] of [40, 40, 21].entries()) {
      for (let k = 0; k < count; k++) await send(senders[i]!, bob, `unread ${i}.${k}`);
    }
    await settled();
    const badges = apns.inbox.all.filter((r) => r.path === `/3/device/${bob.pushToken}`).map((r) => r.json.aps.badge as number);
    expect(badges).toHaveLength(101);
    // A badge counts what is unread when its message is fanned out (the worker may take several
    // messages at once): never past 100, and 100 at the end.
    expect(Math.max(...badges)).toBe(100);
    expect(badges.filter((b) => b === 100).length).toBeGreaterThanOrEqual(2);
    // Reading the first two conversations (80 messages) brings it down: 21 unread and one more.
    for (const sender of senders.slice(0, 2)) {
      const read = await server.gql(`mutation($u: ID!) { markRead(conversation: { userId: $u }) { __typename } }`, { u: sender.id }, { token: bob.token });
      expect(read.data.markRead.__typename).toBe('MarkReadPayload');
    }
    apns.inbox.skip();
    await send(senders[2]!, bob, 'one more');
    expect((await apns.inbox.next()).json.aps.badge).toBe(22);
  });

  it('does not push a device that is online, and does push the same user\'s other offline device', async () => {
    const [alice, bob] = [await phone('apns'), await phone('apns')];
    const socket = server.ws({ token: bob.token });
    await socket.connected;
    // A subscription makes the connection count as presence.
    await settled();
    apns.inbox.skip();
    await send(alice, bob, 'you are online');
    await settled();
    expect(apns.inbox.all.filter((r) => r.path.includes(bob.pushToken))).toHaveLength(0);

    const tablet = await server.login(bob.username, { deviceGuid: `tablet-${bob.username}` });
    await server.gql(`mutation { bindPushToken(deviceSn: 2, deviceToken: "tablet-${bob.id}", notifierName: "apns") { __typename } }`, {}, { token: tablet });
    await send(alice, bob, 'to the tablet only');
    expect((await apns.inbox.next()).path).toBe(`/3/device/tablet-${bob.id}`);
    await settled();
    expect(apns.inbox.all.filter((r) => r.path.includes(bob.pushToken))).toHaveLength(0);
    await socket.client.dispose();
  });

  it('honours no_push, no_push_detail, silence times, DND hours and the push nickname', async () => {
    const [alice, bob] = [await phone('apns'), await phone('apns')];
    await settings(alice, { pushNickName: 'Ally' });
    const to = (r: { path: string }) => r.path.endsWith(bob.pushToken);

    await settings(bob, { noPushDetail: true });
    apns.inbox.skip();
    await send(alice, bob, 'secret content');
    let req = await apns.inbox.next();
    expect(to(req)).toBe(true);
    expect(req.json.aps.alert).toEqual({ title: '', body: 'You have a new message' });
    expect(req.body).not.toContain('secret content');

    await settings(bob, { noPushDetail: false, silenceStartTime: 0, silenceEndTime: 86_399 });
    await send(alice, bob, 'quietly');
    req = await apns.inbox.next();
    expect(req.json.aps.alert).toEqual({ title: 'Ally', body: 'quietly' });
    expect(req.json.aps.sound).toBeUndefined();

    const hour = new Date().getUTCHours();
    await settings(bob, { silenceStartTime: 0, silenceEndTime: 0, noPushStartHour: hour, noPushEndHour: (hour + 1) % 24 });
    await send(alice, bob, 'do not disturb');
    await settings(bob, { noPushStartHour: 0, noPushEndHour: 0, noPush: true });
    await send(alice, bob, 'no push at all');
    await settled();
    expect(apns.inbox.all.filter(to).map((r) => r.json.aps.alert.body)).toEqual(['You have a new message', 'quietly']);
  });

  it('drops a token APNs calls unregistered', async () => {
    const [alice, bob] = [await phone('apns'), await phone('apns')];
    apns.answer((r) => (r.path.endsWith(bob.pushToken) ? { status: 410, body: { reason: 'Unregistered', timestamp: Date.now() } } : { status: 200 }));
    await send(alice, bob, 'to a gone phone');
    await settled();
    apns.answer(() => ({ status: 200 }));
    expect(await pushTokens(bob)).toEqual([null]);
    apns.inbox.skip();
    await send(alice, bob, 'nobody to push');
    await settled();
    expect(apns.inbox.all.filter((r) => r.path.endsWith(bob.pushToken))).toHaveLength(1);
  });

  it('retries a provider error with backoff, then gives up with the error recorded; the send never waits', async () => {
    const [alice, bob] = [await phone('apns'), await phone('apns')];
    let failures = 1;
    apns.answer((r) => (r.path.endsWith(bob.pushToken) && failures-- > 0 ? { status: 503, body: { reason: 'ServiceUnavailable' } } : { status: 200 }));
    apns.inbox.skip();
    await send(alice, bob, 'try again');
    const first = await apns.inbox.next();
    const second = await apns.inbox.next();
    expect(second.headers['apns-collapse-id']).toBe(first.headers['apns-collapse-id']);

    apns.answer((r) => (r.path.endsWith(bob.pushToken) ? { status: 500, body: { reason: 'InternalServerError' } } : { status: 200 }));
    await send(alice, bob, 'never');
    await apns.inbox.until((all) => all.filter((r) => r.json?.aps?.alert?.body === 'never').length === 3);
    await settled();
    const log = await rows(`select status, attempts, last_error from push_deliveries where token = '${bob.pushToken}' order by id`);
    expect(log.map((r) => [Number(r.status), Number(r.attempts), r.last_error])).toEqual([
      [1, 2, null],
      [2, 3, 'APNs 500 InternalServerError'],
    ]);

    // A provider that does not answer holds up no send.
    apns.answer(() => 'hang');
    const started = Date.now();
    await send(alice, bob, 'into the void');
    expect(Date.now() - started).toBeLessThan(2000);
    apns.release();
    apns.answer(() => ({ status: 200 }));
  });
});

describe('offline push over FCM', () => {
  it('exchanges the service account for an OAuth token and sends the v1 message', async () => {
    const [alice, bob] = [await phone('apns'), await phone('fcm')];
    fcm.inbox.skip();
    await send(alice, bob, 'hello android');
    const req = await fcm.inbox.next();
    expect(req.path).toBe('/v1/projects/demo-project/messages:send');
    const grant = fcm.tokens.all.at(-1)!;
    const form = new URLSearchParams(grant.body);
    expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    const { payload } = await jwtVerify(form.get('assertion')!, account.publicKey, { issuer: account.clientEmail, audience: fcm.tokenUrl });
    expect(payload['scope']).toBe('https://www.googleapis.com/auth/firebase.messaging');
    expect(req.headers['authorization']).toMatch(/^Bearer ya29\.test-\d+$/);
    expect(req.json.message).toMatchObject({
      token: bob.pushToken,
      notification: { body: 'hello android' },
      android: { priority: 'high', collapse_key: `m${req.json.message.data.message_id}`, notification: { notification_count: 1, sound: 'default' } },
      data: { type: 'message', from: alice.id },
    });
    // The access token is reused.
    const exchanges = fcm.tokens.all.length;
    await send(alice, bob, 'again');
    await fcm.inbox.next();
    expect(fcm.tokens.all.length).toBe(exchanges);
  });

  it('drops a token FCM calls UNREGISTERED', async () => {
    const [alice, bob] = [await phone('apns'), await phone('fcm')];
    fcm.answer(() => ({ status: 404, body: { error: { code: 404, status: 'NOT_FOUND', details: [{ errorCode: 'UNREGISTERED' }] } } }));
    await send(alice, bob, 'gone');
    await settled();
    fcm.answer(() => ({ status: 200, body: { name: 'x' } }));
    expect(await pushTokens(bob)).toEqual([null]);
  });
});

describe('recalled messages', () => {
  const recall = async (user: TestUser, messageId: string) => {
    const res = await server.gql(`mutation($m: ID!) { recallMessage(messageId: $m) { __typename } }`, { m: messageId }, { token: user.token });
    expect(res.data.recallMessage.__typename).not.toMatch(/Error/);
  };

  it('supersede the notification on APNs and FCM: same collapse id, silent, the text gone', async () => {
    const [alice, bob, carol] = [await phone('apns'), await phone('apns'), await phone('fcm')];
    await send(alice, bob, 'oops, a secret');
    await send(alice, carol, 'oops, a secret');
    await settled();
    const toBob = () => apns.inbox.all.filter((r) => r.path.endsWith(bob.pushToken));
    const toCarol = () => fcm.inbox.all.filter((r) => r.json?.message?.token === carol.pushToken);
    expect([toBob().length, toCarol().length]).toEqual([1, 1]);
    const [shown] = toBob();
    const [fcmShown] = toCarol();

    await recall(alice, shown!.json.message_id);
    await recall(alice, fcmShown!.json.message.data.message_id);
    await settled();

    expect(toBob()).toHaveLength(2);
    const replaced = toBob()[1]!;
    expect(replaced.headers['apns-collapse-id']).toBe(`m${shown!.json.message_id}`);
    expect(replaced.headers['apns-collapse-id']).toBe(shown!.headers['apns-collapse-id']);
    expect(replaced.headers['apns-push-type']).toBe('alert');
    expect(replaced.headers['apns-topic']).toBe('com.example.chat');
    expect(replaced.json.aps.alert.body).toBe('This message was recalled');
    expect(replaced.json.aps.sound).toBeUndefined();
    expect(replaced.json.aps['thread-id']).toBe(shown!.json.aps['thread-id']);
    expect(replaced.json).toMatchObject({ type: 'recall', message_id: shown!.json.message_id });
    expect(replaced.body).not.toContain('secret');

    expect(toCarol()).toHaveLength(2);
    const fcmReplaced = toCarol()[1]!.json.message;
    expect(fcmReplaced.android.collapse_key).toBe(fcmShown!.json.message.android.collapse_key);
    expect(fcmReplaced.android.notification.tag).toBe(fcmShown!.json.message.android.notification.tag);
    expect(fcmReplaced.android.notification.tag).toBe(`m${fcmShown!.json.message.data.message_id}`);
    expect(fcmReplaced.android.notification.sound).toBeUndefined();
    expect(fcmReplaced.notification.body).toBe('This message was recalled');
    expect(fcmReplaced.data).toMatchObject({ type: 'recall', message_id: fcmShown!.json.message.data.message_id });
    expect(JSON.stringify(fcmReplaced)).not.toContain('secret');

    // A message never pushed (its recipient online or not pushed) gets nothing on recall.
    const before = apns.inbox.all.length;
    await settings(bob, { noPush: true });
    await send(alice, bob, 'not pushed');
    await settled();
    const [unpushed] = await rows(`select id from messages where content = 'not pushed'`);
    await recall(alice, String(unpushed.id));
    await settled();
    expect(apns.inbox.all.length).toBe(before);
    await settings(bob, { noPush: false });
  });
});

describe('group messages', () => {
  it('follow each member\'s push and mute modes, mentions and the sender\'s role', async () => {
    const people: Awaited<ReturnType<typeof phone>>[] = [];
    for (let i = 0; i < 6; i++) people.push(await phone('apns'));
    const [owner, plain, all, adminsOnly, mentionsOnly, muted] = people as [typeof people[0], typeof people[0], typeof people[0], typeof people[0], typeof people[0], typeof people[0]];
    const created = await server.gql(
      `mutation($m: [ID!]!) { createGroup(input: { name: "Team", memberIds: $m }) { ... on CreateGroupPayload { group { id } } } }`,
      { m: [plain.id, all.id, adminsOnly.id, mentionsOnly.id, muted.id] },
      { token: owner.token },
    );
    const groupId = created.data.createGroup.group.id;
    const mode = async (u: TestUser, input: Record<string, unknown>) => {
      const res = await server.gql(
        `mutation($g: ID!, $i: UpdateGroupMembershipInput!) { updateGroupMembership(groupId: $g, input: $i) { __typename } }`,
        { g: groupId, i: input },
        { token: u.token },
      );
      expect(res.errors).toBeUndefined();
    };
    await mode(adminsOnly, { msgPushMode: 'ADMINS' });
    await mode(mentionsOnly, { msgPushMode: 'MENTIONS' });
    await mode(muted, { msgMuteMode: 'NO_NOTIFICATION' });
    const say = async (from: TestUser, content: string, mentions: string[] = []) => {
      const res = await server.gql(
        `mutation($input: SendMessageInput!) { sendMessage(input: $input) { __typename } }`,
        { input: { toKind: 'GROUP', targets: [groupId], contentType: 'TEXT', content, mentions } },
        { token: from.token },
      );
      expect(res.data.sendMessage.__typename).not.toMatch(/Error/);
    };
    await settled();
    apns.inbox.skip();
    const start = apns.inbox.all.length;
    await say(owner, 'from the owner');
    await say(plain, 'from a member');
    await say(plain, 'hey you', [mentionsOnly.id]);
    await settled();
    const got = (u: { pushToken: string }) =>
      apns.inbox.all
        .slice(start)
        .filter((r) => r.path.endsWith(u.pushToken))
        .map((r) => r.json.aps.alert.body)
        .sort();
    expect(got(all)).toEqual([`${owner.username}: from the owner`, `${plain.username}: from a member`, `${plain.username}: hey you`].sort());
    expect(got(adminsOnly)).toEqual([`${owner.username}: from the owner`]);
    expect(got(mentionsOnly)).toEqual([`${plain.username}: hey you`]);
    expect(got(muted)).toEqual([]);
    expect(got(owner)).toEqual([`${plain.username}: from a member`, `${plain.username}: hey you`].sort());
    expect(apns.inbox.all.slice(start).every((r) => r.json.aps.alert.title === 'Team')).toBe(true);
  });
});

describe('/push/notify and /push/task/detail', () => {
  it('push to devices by token, in-app to users online (acknowledged by the client), with counts per channel', async () => {
    const restAdmin = await server.restAdminToken();
    const [carol, dan] = [await phone('apns'), await phone('fcm')];
    const socket = server.ws({ token: dan.token });
    await socket.connected;
    const events = collect(socket.client, `subscription { events { __typename ... on PushNotificationReceivedEvent { taskId title body ext } } }`);
    expect((await events.next()).events.__typename).toBe('StreamReadyEvent');
    apns.inbox.skip();
    const res = await server.rest('POST', '/push/notify', {
      token: restAdmin,
      json: {
        audience: { user_id: [Number(carol.id), Number(dan.id)] },
        message: { type: 'text', title: 'Sale', body: 'Half price today', badge: '7', ext: { promo: 'x1' }, ios: { apns_collapse_id: 'sale' } },
        setting: { request_id: 'req-1' },
      },
    });
    expect(res.body).toMatchObject({ code: 200, data: { task_id: expect.any(Number) } });
    const taskId = res.body.data.task_id;

    const pushed = await apns.inbox.next();
    expect(pushed.path).toBe(`/3/device/${carol.pushToken}`);
    expect(pushed.headers['apns-collapse-id']).toBe('sale');
    expect(pushed.json).toMatchObject({ promo: 'x1', aps: { alert: { title: 'Sale', body: 'Half price today' }, badge: 7 } });
    const live = await events.next();
    expect(live.events).toEqual({ __typename: 'PushNotificationReceivedEvent', taskId: String(taskId), title: 'Sale', body: 'Half price today', ext: { promo: 'x1' } });
    await settled();

    const detail = async () => (await server.rest('POST', '/push/task/detail', { token: restAdmin, json: { list: [taskId] } })).body;
    expect((await detail()).data).toEqual([
      expect.objectContaining({ task_id: taskId, apns_target: 1, apns_sent: 1, apns_received: 1, mxpush_target: 1, mxpush_sent: 1, mxpush_received: 0, fcm_target: 0 }),
    ]);
    expect((await detail()).data[0].unsupported_channels).toEqual(['huawei', 'xiaomi', 'flyme', 'vivo', 'oppo']);
    const ack = await server.gql(`mutation($t: ID!) { acknowledgePushNotification(taskId: $t) { ... on AcknowledgePushNotificationPayload { acknowledged } } }`, { t: String(taskId) }, { token: dan.token });
    expect(ack.data.acknowledgePushNotification.acknowledged).toBe(true);
    expect((await detail()).data[0]).toMatchObject({ mxpush_received: 1 });

    // The same request id answers the same task and pushes nothing more.
    const again = await server.rest('POST', '/push/notify', {
      token: restAdmin,
      json: { audience: { user_id: [Number(carol.id)] }, message: { body: 'again?' }, setting: { request_id: 'req-1' } },
    });
    expect(again.body.data.task_id).toBe(taskId);
    await settled();
    expect(apns.inbox.all.filter((r) => r.json?.aps?.alert?.body === 'again?')).toHaveLength(0);
    events.dispose();
    await socket.client.dispose();
  });

  it('answer bad input with the documented codes, and only to admins', async () => {
    const restAdmin = await server.restAdminToken();
    const user = await server.user(`n${++n}`);
    const notify = (json: unknown, token = restAdmin) => server.rest('POST', '/push/notify', { token, json }).then((r) => r.body);
    expect(await notify({ audience: { country: ['cn'] }, message: { body: 'x' } })).toMatchObject({ code: 10002 });
    // An unknown key beside a known one is refused too, not ignored.
    expect(await notify({ audience: { user_id: [Number(user.id)], country: ['cn'] }, message: { body: 'x' } })).toMatchObject({ code: 10002 });
    expect(await notify({ audience: { user_id: [Number(user.id)], tag: ['a'] }, message: { body: 'x' } })).toMatchObject({ code: 10002 });
    expect(await notify({ message: { body: 'x' } })).toMatchObject({ code: 10002 });
    expect(await notify({ audience: {}, message: { body: 'x' } })).toMatchObject({ code: 10002 });
    expect(await notify({ audience: { tag: [] }, message: { body: 'x' } })).toMatchObject({ code: 10002 });
    expect(await notify({ audience: { push_token: Array.from({ length: 501 }, (_, i) => `t${i}`) }, message: { body: 'x' } })).toMatchObject({ code: 12004 });
    expect(await notify({ audience: 'all', message: { body: 'x', badge: '+x' } })).toMatchObject({ code: 10002, message: expect.stringContaining('badge') });
    expect(await notify({ audience: 'all', message: { body: 'x' } }, user.token)).toMatchObject({ code: 10010 });
    const cert = await server.rest('GET', '/push/certificate', { token: user.token, query: { provider: 1 } });
    expect(cert.body.code).toBe(10010);
    const bad = await server.rest('GET', '/push/certificate', { token: restAdmin, query: { provider: 42 } });
    expect(bad.body.code).toBe(10002);
    const huawei = await server.rest('GET', '/push/certificate', { token: restAdmin, query: { provider: 2 } });
    expect(huawei.body).toMatchObject({ code: 12006, message: expect.stringContaining('not supported') });
  });

  it('/push/certificate shows an admin the credentials', async () => {
    const restAdmin = await server.restAdminToken();
    const res = await server.rest('GET', '/push/certificate', { token: restAdmin, query: { provider: 1, environment: 1 } });
    expect(res.body).toEqual({
      code: 200,
      message: null,
      data: { app_id: 'com.example.chat', app_key: 'KEY1234567', app_secret: 'TEAM123456', certificate: key.p8, name: 'store' },
    });
    expect((await server.rest('GET', '/push/certificate', { token: restAdmin, query: { provider: 1, environment: 0 } })).body).toMatchObject({ code: 200, data: null });
  });
});

describe('a provider that does not answer, or answers 500', () => {
  // A server of its own with a short PUSH_TIMEOUT_MS: the fakes never answer in these tests, so
  // the deadline races nothing (the other tests keep the default).
  let quick: TestServer;
  beforeAll(async () => {
    quick = await TestServer.start({
      env: {
        PUSH_APNS_URL: apns.url,
        PUSH_FCM_URL: fcm.url,
        PUSH_CA_FILE: apns.caFile,
        PUSH_POLL_MS: '50',
        PUSH_RETRY_BASE_MS: '20',
        PUSH_MAX_ATTEMPTS: '2',
        PUSH_TIMEOUT_MS: '300',
      },
    });
    const quickAdmin = await quick.adminToken();
    expect((await quick.gql(SET, { input: apnsInput() }, { token: quickAdmin })).data.setPushCredential.__typename).toBe('SetPushCredentialPayload');
    const setFcm = await quick.gql(SET, { input: { provider: 'FCM', certificate: serviceAccount(fcm.tokenUrl).json } }, { token: quickAdmin });
    expect(setFcm.data.setPushCredential.__typename).toBe('SetPushCredentialPayload');
  });
  afterAll(async () => {
    apns.answer(() => ({ status: 200 }));
    fcm.answer(() => ({ status: 200, body: { name: 'x' } }));
    apns.release();
    await quick?.close();
  });

  async function quickPhone(notifierName: 'apns' | 'fcm') {
    const name = `q${++n}`;
    const user = await quick.user(name, { deviceGuid: `guid-${name}` });
    const token = `${notifierName}-quick-${name}`;
    await quick.gql(`mutation($t: String!, $n: String) { bindPushToken(deviceSn: 1, deviceToken: $t, notifierName: $n) { __typename } }`, { t: token, n: notifierName }, { token: user.token });
    return { ...user, pushToken: token };
  }
  async function quickRows(query: string): Promise<any[]> {
    const result = (await quick.running.database.db.execute(sql.raw(query))) as any;
    return Array.isArray(result) ? result : result.rows;
  }
  const quickSend = async (from: TestUser, to: { id: string }, content: string) => {
    const res = await quick.gql(
      `mutation($input: SendMessageInput!) { sendMessage(input: $input) { __typename } }`,
      { input: { toKind: 'USER', targets: [to.id], contentType: 'TEXT', content } },
      { token: from.token },
    );
    expect(res.data.sendMessage.__typename).toBe('SendMessagePayload');
  };

  it('times out after PUSH_TIMEOUT_MS, retries, then fails with the reason', async () => {
    const [alice, bob] = [await quickPhone('apns'), await quickPhone('apns')];
    apns.answer((r) => (r.path.endsWith(bob.pushToken) ? 'hang' : { status: 200 }));
    await quickSend(alice, bob, 'into silence');
    await apns.inbox.until((all) => all.filter((r) => r.path.endsWith(bob.pushToken)).length === 2);
    await quick.running.drainPush();
    const log = await quickRows(`select status, attempts, last_error from push_deliveries where token = '${bob.pushToken}'`);
    expect(log.map((r) => [Number(r.status), Number(r.attempts), r.last_error])).toEqual([[2, 2, 'APNs did not answer within 300 ms']]);
    apns.release();
    apns.answer(() => ({ status: 200 }));
  });

  it('retries FCM 500 and an FCM that does not answer, recording each reason', async () => {
    const [alice, bob, carol] = [await quickPhone('apns'), await quickPhone('fcm'), await quickPhone('fcm')];
    fcm.answer((r) =>
      r.json?.message?.token === bob.pushToken ? { status: 500, body: { error: { code: 500, status: 'INTERNAL' } } } : r.json?.message?.token === carol.pushToken ? 'hang' : { status: 200, body: { name: 'x' } },
    );
    await quickSend(alice, bob, 'to a failing FCM');
    await quickSend(alice, carol, 'to a silent FCM');
    const to = (token: string) => (all: { json: any }[]) => all.filter((r) => r.json?.message?.token === token).length;
    await fcm.inbox.until((all) => to(bob.pushToken)(all) === 2 && to(carol.pushToken)(all) === 2);
    await quick.running.drainPush();
    const log = await quickRows(`select token, status, attempts, last_error from push_deliveries where token in ('${bob.pushToken}', '${carol.pushToken}') order by token`);
    expect(log.map((r) => [r.token, Number(r.status), Number(r.attempts), r.last_error])).toEqual([
      [bob.pushToken, 2, 2, 'FCM 500 INTERNAL'],
      [carol.pushToken, 2, 2, 'no answer within 300 ms'],
    ]);
    fcm.answer(() => ({ status: 200, body: { name: 'x' } }));
  });
});
