import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import documented from '../src/compat/projectgroup/routes.json' with { type: 'json' };
import { TestServer, type TestUser } from './helpers/server.js';

// Seed 001: the project-group app API, spoken over HTTP to a real server.

let server: TestServer;
let alice: TestUser;
let bob: TestUser;
let carol: TestUser;
let groupId: string;

async function chat(action: string, user: TestUser | null, data: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const h: Record<string, string> = { 'content-type': 'application/json', client: 'F9FQXGP8FCM5', expire: '1411527886457' };
  if (user) Object.assign(h, { uid: user.id, accessToken: user.token });
  Object.assign(h, headers);
  const res = await fetch(new URL(`/chat/${action}`, server.url), { method: 'POST', headers: h, body: JSON.stringify(data) });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

beforeAll(async () => {
  server = await TestServer.start();
  [alice, bob, carol] = await Promise.all([server.user('alice'), server.user('bob'), server.user('carol')]);
  const created = await server.gql(
    `mutation { createGroup(input: { name: "悦尚九鲜项目群", type: PUBLIC, applyApproval: ACCEPT_ALL, description: "intro", ext: { projectName: "悦尚九鲜" } }) { ... on CreateGroupPayload { group { id } } } }`,
    {},
    { token: alice.token },
  );
  groupId = created.data.createGroup.group.id;
  await server.gql(`mutation($ext: JSON!) { updateProfile(input: { nickName: "彪彪小王子", description: "sig", ext: $ext }) { __typename } }`, { ext: { sex: '1', age: 28, company: '汇梦', school: '深圳大学' } }, { token: bob.token });
});
afterAll(() => server?.close());

describe('project-group app API', () => {
  it('refuses a call without a valid accessToken, or whose uid is not the token user, before reading the body', async () => {
    const none = await chat('group!groupList', null);
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ success: false, code: 'TOKEN_MISSING' });
    const forged = await chat('group!joinGroup', null, {}, { uid: bob.id, accessToken: 'forged' });
    expect(forged.body).toMatchObject({ success: false, code: 'TOKEN_INVALID' });
    const wrongUid = await chat('group!groupList', bob, {}, { uid: alice.id });
    expect(wrongUid.status).toBe(401);
    expect(wrongUid.body.success).toBe(false);
  });

  it('joinGroup joins at once and echoes the headers; groupList lists the groups', async () => {
    const res = await chat('group!joinGroup', bob, { groupId });
    expect(res.body).toEqual({ success: true, info: '申请入群成功' });
    expect(res.headers.get('uid')).toBe(bob.id);
    expect(res.headers.get('client')).toBe('F9FQXGP8FCM5');
    expect(res.headers.get('expire')).toBe('1411527886457');
    await chat('group!joinGroup', carol, { groupId });
    const again = await chat('group!joinGroup', bob, { groupId });
    expect(again.body).toMatchObject({ success: false, code: 'ALREADY_GROUP_MEMBER' });

    const list = await chat('group!groupList', bob);
    expect(list.body).toMatchObject({ success: true, info: '获取群列表成功' });
    expect(list.body.groupList).toEqual([
      { groupId, projectName: '悦尚九鲜', groupName: '悦尚九鲜项目群', type: '1', introduction: 'intro', notice: '', creator_id: alice.id },
    ]);
  });

  it('updateGroup lets only the owner and admins change name, type, introduction and notice', async () => {
    const refused = await chat('group!updateGroup', bob, { groupId, groupName: 'mine' });
    expect(refused.body).toMatchObject({ success: false, code: 'NEEDS_GROUP_ADMIN' });
    const res = await chat('group!updateGroup', alice, { groupId, groupName: '悦尚九鲜股东群', type: '2', introduction: '这是股东群', notice: '这是群公告内容' });
    expect(res.body).toEqual({ success: true, info: '修改群资料成功' });
    const [group] = (await chat('group!groupList', bob)).body.groupList;
    expect(group).toMatchObject({ groupName: '悦尚九鲜股东群', type: '2', introduction: '这是股东群', notice: '这是群公告内容', projectName: '悦尚九鲜' });
    expect((await chat('group!updateGroup', alice, { groupId, type: '3' })).status).toBe(400);
  });

  it('getGroupDetail answers the group and member profiles; userSetGroup sets the viewer\'s show name', async () => {
    expect((await chat('group!userSetGroup', bob, { groupId, showName: '彪彪' })).body).toEqual({ success: true, info: '设置群显示名称成功' });
    const res = await chat('group!getGroupDetail', bob, { groupId });
    expect(res.body).toMatchObject({ success: true, groupInfo: { groupId, creator_id: alice.id } });
    const byId = Object.fromEntries(res.body.userList.map((u: any) => [String(u.userId), u]));
    expect(byId[alice.id].user_type).toBe('1');
    expect(byId[bob.id]).toMatchObject({ userId: Number(bob.id), user_type: '3', show_name: '彪彪', nickName: '彪彪小王子', signature: 'sig', sex: '1', age: '28', company: '汇梦', school: '深圳大学', phoneNumber: '' });
    const outsider = await server.user('dave');
    expect((await chat('group!getGroupDetail', outsider, { groupId })).body).toMatchObject({ success: false, code: 'NEEDS_GROUP_MEMBER' });
    expect((await chat('group!getGroupDetail', bob, { groupId: 'abc' })).status).toBe(400);
    // Ids are canonical, as everywhere: a leading zero names no group (`0<id>` is not that id).
    expect((await chat('group!getGroupDetail', bob, { groupId: `0${groupId}` })).status).toBe(400);
    expect((await chat('group!getGroupDetail', bob, { groupId: '0' })).status).toBe(400);
    expect((await chat('group!getGroupDetail', bob, { groupId: '999999' })).body).toMatchObject({ success: false, code: 'GROUP_NOT_FOUND' });
  });

  it('loadChatRecords answers the records after lastTime, for a group or a user', async () => {
    const send = (token: string, to: Record<string, unknown>, content: string) =>
      server.gql(`mutation($input: SendMessageInput!) { sendMessage(input: $input) { ... on SendMessagePayload { messages { createdAt } } } }`, { input: { ...to, contentType: 'TEXT', content } }, { token });
    const first = await send(alice.token, { toKind: 'GROUP', targets: [groupId] }, 'one');
    await send(bob.token, { toKind: 'GROUP', targets: [groupId] }, 'two');
    const after = first.data.sendMessage.messages[0].createdAt;
    const res = await chat('chat!loadChatRecords', carol, { groupId, lastTime: String(after) });
    expect(res.body.success).toBe(true);
    expect(res.body.recordList).toEqual([{ fromId: bob.id, msg_id: expect.any(String), chat_type: 'groupchat', msg: 'two', type: 'txt', timestamp: expect.any(Number), toId: groupId }]);
    await send(alice.token, { toKind: 'USER', targets: [bob.id] }, 'private');
    const direct = await chat('chat!loadChatRecords', bob, { chatUserId: alice.id, lastTime: '0' });
    expect(direct.body.recordList.map((r: any) => [r.msg, r.chat_type, r.toId])).toEqual([['private', 'chat', bob.id]]);
    expect((await chat('chat!loadChatRecords', bob, { groupId, chatUserId: alice.id })).status).toBe(400);
    expect((await chat('chat!loadChatRecords', bob, { groupId, lastTime: 'yesterday' })).status).toBe(400);
    expect((await chat('chat!loadChatRecords', bob, { groupId: `0${groupId}`, lastTime: '0' })).status).toBe(400);
    expect((await chat('chat!loadChatRecords', bob, { chatUserId: `0${alice.id}`, lastTime: '0' })).status).toBe(400);
  });

  it('deleteUser: the owner and admins kick members, never the owner or an admin; exitGroup: not admins or the owner', async () => {
    expect((await chat('group!deleteUser', bob, { groupId, groupUserId: carol.id })).body).toMatchObject({ success: false });
    expect((await chat('group!deleteUser', carol, { groupId, groupUserId: alice.id })).body).toMatchObject({ success: false, code: 'FORBIDDEN' });
    const kicked = await chat('group!deleteUser', alice, { groupId, groupUserId: carol.id });
    expect(kicked.body).toEqual({ success: true, info: '已成功踢出成员carol' });
    expect((await chat('group!deleteUser', alice, { groupId, groupUserId: carol.id })).body).toMatchObject({ success: false, code: 'NOT_GROUP_MEMBER' });

    await server.gql(`mutation($g: ID!, $u: [ID!]!) { addGroupAdmins(groupId: $g, userIds: $u) { __typename } }`, { g: groupId, u: [bob.id] }, { token: alice.token });
    expect((await chat('group!deleteUser', alice, { groupId, groupUserId: bob.id })).body).toMatchObject({ success: false, code: 'FORBIDDEN' });
    expect((await chat('group!exitGroup', bob, { groupId })).body).toMatchObject({ success: false, code: 'FORBIDDEN' });
    expect((await chat('group!exitGroup', alice, { groupId })).body).toMatchObject({ success: false, code: 'OWNER_CANNOT_LEAVE' });
    await server.gql(`mutation($g: ID!, $u: [ID!]!) { removeGroupAdmins(groupId: $g, userIds: $u) { __typename } }`, { g: groupId, u: [bob.id] }, { token: alice.token });
    expect((await chat('group!exitGroup', bob, { groupId })).body).toEqual({ success: true, info: '您已成功退出悦尚九鲜股东群群' });
  });

  it('serves every documented route', async () => {
    let served = 0;
    for (const { path } of documented.routes) {
      const res = await chat(path.slice('/chat/'.length), alice, { groupId });
      if (res.status !== 404 && typeof res.body.success === 'boolean') served++;
    }
    console.info(`project-group coverage: ${served} of ${documented.routes.length} documented routes served`);
    expect(served).toBe(documented.routes.length);
  });
});
