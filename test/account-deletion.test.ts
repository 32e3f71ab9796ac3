import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPrepared } from '../src/db/raw.js';
import { collect, PASSWORD, TestServer, type TestUser } from './helpers/server.js';

let server: TestServer;
let admin: string;
beforeAll(async () => {
  server = await TestServer.start();
  admin = await server.adminToken();
});
afterAll(() => server.close());

const DELETE_ACCOUNT = `mutation($p: String!) { deleteAccount(password: $p) { __typename ... on DeleteAccountPayload { userId } ... on Error { code } } }`;
const DELETE_USER = `mutation($id: ID!) { deleteUser(userId: $id) { __typename ... on DeleteUserPayload { userId } ... on Error { code } } }`;
const VIEWER = `{ viewer { id username } }`;
const EXPORT = `query($id: ID, $after: String, $first: Int) {
  userDataExport(userId: $id, after: $after, first: $first) { profile settings contacts blocked groups messages endCursor }
}`;
const SEND = `mutation($to: ID!, $c: String!) { sendMessage(input: { toKind: USER, targets: [$to], contentType: TEXT, content: $c }) { __typename } }`;
const HISTORY = `query($with: ID!) { messages(conversation: { userId: $with }, last: 10) { edges { node { content from { id username } } } } }`;
const CREATE_GROUP = `mutation($members: [ID!]!) { createGroup(input: { name: "club", memberIds: $members }) { __typename ... on CreateGroupPayload { group { id memberCount } } } }`;

const code = (res: { errors?: { extensions?: { code?: string } }[] }) => res.errors?.[0]?.extensions?.code;
let n = 0;
const person = () => server.user(`del${++n}`);
const send = (from: TestUser, to: TestUser, content: string) => server.gql(SEND, { to: to.id, c: content }, { token: from.token });

describe('deleteAccount', () => {
  it('refuses a wrong password and changes nothing', async () => {
    const ann = await person();
    const res = await server.gql(DELETE_ACCOUNT, { p: 'not my password' }, { token: ann.token });
    expect(res.data.deleteAccount).toEqual({ __typename: 'AuthenticationError', code: 'BAD_CREDENTIALS' });
    expect((await server.gql(VIEWER, {}, { token: ann.token })).data.viewer.username).toBe(ann.username);
  });

  it('anonymises the account, ends its live sessions and tokens; its messages stay with the people who got them', async () => {
    const [ben, cat] = [await person(), await person()];
    await send(ben, cat, 'before I go');
    const live = server.ws({ token: ben.token });
    const events = collect(live.client, `subscription { events { __typename ... on TokenRevokedEvent { reason } } }`);
    expect((await events.next()).events.__typename).toBe('StreamReadyEvent');

    const res = await server.gql(DELETE_ACCOUNT, { p: PASSWORD }, { token: ben.token });
    expect(res.data.deleteAccount).toEqual({ __typename: 'DeleteAccountPayload', userId: ben.id });

    expect((await events.next()).events).toEqual({ __typename: 'TokenRevokedEvent', reason: 'ACCOUNT_DELETED' });
    expect((await live.closed).code).toBe(4403);
    expect(code(await server.gql(VIEWER, {}, { token: ben.token }))).toBe('TOKEN_REVOKED');
    await expect(server.login(ben.username)).rejects.toThrow();

    const history = await server.gql(HISTORY, { with: ben.id }, { token: cat.token });
    expect(history.data.messages.edges.map((e: any) => e.node)).toEqual([{ content: 'before I go', from: { id: ben.id, username: `deleted-${ben.id}` } }]);
    // The name is free again: a new account, a new id.
    const again = await server.user(ben.username);
    expect(again.id).not.toBe(ben.id);
  });

  it('refuses an owner of groups until they hand them over, and changes nothing', async () => {
    const [owner, member] = [await person(), await person()];
    const created = await server.gql(CREATE_GROUP, { members: [member.id] }, { token: owner.token });
    expect(created.data.createGroup.__typename).toBe('CreateGroupPayload');
    const res = await server.gql(DELETE_ACCOUNT, { p: PASSWORD }, { token: owner.token });
    expect(res.data.deleteAccount).toEqual({ __typename: 'ForbiddenError', code: 'OWNER_CANNOT_LEAVE' });
    expect((await server.gql(VIEWER, {}, { token: owner.token })).data.viewer.id).toBe(owner.id);
  });
});

describe('deleteUser (admins)', () => {
  it('deletes a user of the app and takes them out of their groups', async () => {
    const [owner, dee] = [await person(), await person()];
    const created = await server.gql(CREATE_GROUP, { members: [dee.id] }, { token: owner.token });
    const group = created.data.createGroup.group;
    expect(group.memberCount).toBe(2);
    expect((await server.gql(DELETE_USER, { id: dee.id }, { token: admin })).data.deleteUser).toEqual({ __typename: 'DeleteUserPayload', userId: dee.id });
    const after = await server.gql(`query($id: ID!) { group(id: $id) { memberCount } }`, { id: group.id }, { token: owner.token });
    expect(after.data.group.memberCount).toBe(1);
    // Once deleted, the user is gone for a second deletion.
    expect((await server.gql(DELETE_USER, { id: dee.id }, { token: admin })).data.deleteUser).toEqual({ __typename: 'NotFoundError', code: 'USER_NOT_FOUND' });
  });

  it('refuses users, and admins of another app (their users are not there)', async () => {
    const [eve, fay] = [await person(), await person()];
    expect(code(await server.gql(DELETE_USER, { id: fay.id }, { token: eve.token }))).toBe('FORBIDDEN');
    const other = await server.createApp('deleteother');
    const otherAdmin = await server.adminToken(other.appId, other.appSecret);
    expect((await server.gql(DELETE_USER, { id: fay.id }, { token: otherAdmin })).data.deleteUser.code).toBe('USER_NOT_FOUND');
    expect((await server.gql(VIEWER, {}, { token: fay.token })).data.viewer.id).toBe(fay.id);
  });
});

describe('userDataExport', () => {
  it('gives users their own data, messages a page at a time, and no password hash', async () => {
    const [gus, hal] = [await person(), await person()];
    for (const c of ['one', 'two', 'three']) await send(gus, hal, c);
    await send(hal, gus, 'not mine');
    const first = (await server.gql(EXPORT, { first: 2 }, { token: gus.token })).data.userDataExport;
    expect(first.profile).toMatchObject({ id: Number(gus.id), username: gus.username });
    expect(first.profile).not.toHaveProperty('passwordHash');
    expect(JSON.stringify(first)).not.toMatch(/argon2/);
    expect(first.settings).toMatchObject({ userId: Number(gus.id) });
    expect(first.messages.map((m: any) => m.content)).toEqual(['one', 'two']);
    expect(first.endCursor).toEqual(expect.any(String));
    const second = (await server.gql(EXPORT, { first: 2, after: first.endCursor }, { token: gus.token })).data.userDataExport;
    expect(second.messages.map((m: any) => m.content)).toEqual(['three']);
    expect(second.endCursor).toBeNull();
  });

  it('lets admins export any user of their app; nobody else', async () => {
    const [ida, jon] = [await person(), await person()];
    const byAdmin = await server.gql(EXPORT, { id: ida.id }, { token: admin });
    expect(byAdmin.data.userDataExport.profile.username).toBe(ida.username);
    expect(code(await server.gql(EXPORT, { id: ida.id }, { token: jon.token }))).toBe('FORBIDDEN');
    expect(code(await server.gql(EXPORT, {}, { token: admin }))).toBe('FORBIDDEN');
    const other = await server.createApp('exportother');
    const otherAdmin = await server.adminToken(other.appId, other.appSecret);
    expect(code(await server.gql(EXPORT, { id: ida.id }, { token: otherAdmin }))).toBe('USER_NOT_FOUND');
    expect(code(await server.gql(EXPORT, { first: 5000 }, { token: ida.token }))).toBe('INVALID_INPUT');
    expect(code(await server.gql(EXPORT, {}))).toBe('TOKEN_MISSING');
  });
});

describe('account deletion as the app chooses (REMOVE)', () => {
  const SETTINGS = `{ appSettings { accountDeletion } }`;
  const SET_MODE = `mutation($m: AccountDeletionMode!) { setAccountDeletion(mode: $m) { __typename ... on SetAccountDeletionPayload { settings { accountDeletion } } } }`;
  const GROUP_HISTORY = `query($g: ID!) { messages(conversation: { groupId: $g }, last: 20) { edges { node { seq content recalled from { id } } } } }`;
  const SEND_GROUP = `mutation($g: ID!, $c: String!) { sendMessage(input: { toKind: GROUP, targets: [$g], contentType: TEXT, content: $c }) { __typename } }`;
  let app: { appId: string; appSecret: string };
  let appAdmin: string;
  let m = 0;
  const member = () => server.user(`rem${++m}`, { appId: app.appId });
  const rows = (text: string, params: unknown[]) => runPrepared(server.running.database.db, text, params);

  beforeAll(async () => {
    app = await server.createApp('remover');
    appAdmin = await server.adminToken(app.appId, app.appSecret);
  });

  it('is ANONYMISE until an admin of the app sets REMOVE; users and other apps cannot change it', async () => {
    expect((await server.gql(SETTINGS, {}, { token: appAdmin })).data.appSettings.accountDeletion).toBe('ANONYMISE');
    const someone = await member();
    expect(code(await server.gql(SET_MODE, { m: 'REMOVE' }, { token: someone.token }))).toBe('FORBIDDEN');
    const bad = await server.gql(SET_MODE, { m: 'SHRED' }, { token: appAdmin });
    expect(bad.data).toBeUndefined();
    expect(bad.errors?.[0]?.message).toMatch(/SHRED.*AccountDeletionMode/);
    const set = await server.gql(SET_MODE, { m: 'REMOVE' }, { token: appAdmin });
    expect(set.data.setAccountDeletion.settings.accountDeletion).toBe('REMOVE');
    // The default app is another tenant: its setting is its own.
    expect((await server.gql(SETTINGS, {}, { token: admin })).data.appSettings.accountDeletion).toBe('ANONYMISE');
  });

  it('deleteAccount removes the user’s rows: 1:1 conversations go, group messages stay as empty recalled ones, seqs gap-free', async () => {
    const [ann, bob, cal] = [await member(), await member(), await member()];
    await send(ann, bob, 'private words');
    await send(bob, ann, 'a reply');
    await send(bob, cal, 'unrelated');
    const created = await server.gql(CREATE_GROUP, { members: [ann.id, bob.id] }, { token: cal.token });
    const group = created.data.createGroup.group;
    for (const [who, text] of [[cal, 'hello'], [ann, 'ann says'], [bob, 'bob says']] as const) {
      expect((await server.gql(SEND_GROUP, { g: group.id, c: text }, { token: who.token })).data.sendMessage.__typename).toBe('SendMessagePayload');
    }

    const res = await server.gql(DELETE_ACCOUNT, { p: PASSWORD }, { token: ann.token });
    expect(res.data.deleteAccount).toEqual({ __typename: 'DeleteAccountPayload', userId: ann.id });

    // Nothing of ann's is left: no user row, no message from her, no conversation with her.
    expect(await rows('select id from users where id = $1', [ann.id])).toEqual([]);
    expect(await rows('select id from messages where from_user_id = $1', [ann.id])).toEqual([]);
    expect(await rows('select id from conversations where kind = 1 and (user_low = $1 or user_high = $1)', [ann.id])).toEqual([]);
    expect(await rows('select user_id from conversation_members where user_id = $1', [ann.id])).toEqual([]);
    expect(code(await server.gql(EXPORT, { id: ann.id }, { token: appAdmin }))).toBe('USER_NOT_FOUND');
    // The token row went with the user: the token is unknown now.
    expect(code(await server.gql(VIEWER, {}, { token: ann.token }))).toBe('TOKEN_INVALID');

    // Others' conversations: bob and cal's one stays; the group keeps every seq, ann's message emptied.
    const direct = await server.gql(HISTORY, { with: cal.id }, { token: bob.token });
    expect(direct.data.messages.edges.map((e: any) => e.node.content)).toEqual(['unrelated']);
    const history = await server.gql(GROUP_HISTORY, { g: group.id }, { token: cal.token });
    const nodes = history.data.messages.edges.map((e: any) => e.node);
    const said = nodes.filter((n: any) => n.content !== '' || n.recalled);
    expect(said.map((n: any) => [n.content, n.recalled, n.from?.id ?? null])).toEqual([
      ['hello', false, cal.id],
      ['', true, null],
      ['bob says', false, bob.id],
    ]);
    const seqs = nodes.map((n: any) => n.seq);
    expect(seqs).toEqual(seqs.map((_: number, i: number) => seqs[0] + i));
    const after = await server.gql(`query($id: ID!) { group(id: $id) { memberCount } }`, { id: group.id }, { token: cal.token });
    expect(after.data.group.memberCount).toBe(2);
    // The name is free again.
    expect((await server.user(ann.username, { appId: app.appId })).id).not.toBe(ann.id);
  });

  it('deleteUser (admins) removes as well; a user, or an admin of another app, cannot', async () => {
    const [dan, eva] = [await member(), await member()];
    await send(dan, eva, 'hi eva');
    expect(code(await server.gql(DELETE_USER, { id: dan.id }, { token: eva.token }))).toBe('FORBIDDEN');
    expect((await server.gql(DELETE_USER, { id: dan.id }, { token: admin })).data.deleteUser.code).toBe('USER_NOT_FOUND');
    expect((await rows('select id from users where id = $1', [dan.id])).length).toBe(1);

    expect((await server.gql(DELETE_USER, { id: dan.id }, { token: appAdmin })).data.deleteUser).toEqual({ __typename: 'DeleteUserPayload', userId: dan.id });
    expect(await rows('select id from users where id = $1', [dan.id])).toEqual([]);
    expect(await rows('select id from messages where from_user_id = $1', [dan.id])).toEqual([]);
    expect((await server.gql(DELETE_USER, { id: dan.id }, { token: appAdmin })).data.deleteUser.code).toBe('USER_NOT_FOUND');
  });

  it('refuses an owner of a live group and changes nothing (one transaction)', async () => {
    const [own, fan] = [await member(), await member()];
    await send(own, fan, 'still here');
    expect((await server.gql(CREATE_GROUP, { members: [fan.id] }, { token: own.token })).data.createGroup.__typename).toBe('CreateGroupPayload');
    expect((await server.gql(DELETE_USER, { id: own.id }, { token: appAdmin })).data.deleteUser.code).toBe('OWNER_CANNOT_LEAVE');
    expect((await rows('select id from messages where from_user_id = $1', [own.id])).length).toBe(1);
    expect((await server.gql(VIEWER, {}, { token: own.token })).data.viewer.id).toBe(own.id);
  });

  it('the REST dialect’s user deletion (JPush DELETE /v1/users/:name) follows the app’s choice', async () => {
    const gil = await member();
    const auth = `Basic ${Buffer.from(`${app.appId}:${app.appSecret}`).toString('base64')}`;
    const res = await fetch(`${server.url}/v1/users/${gil.username}`, { method: 'DELETE', headers: { authorization: auth } });
    expect(res.status).toBe(204);
    expect(await rows('select id from users where id = $1', [gil.id])).toEqual([]);
  });
});
