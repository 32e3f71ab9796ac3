import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, TestServer, type RestOptions } from './helpers/server.js';

// Chapter 6 of the Maximtop document over REST.
let server: TestServer;
let adminToken: string;
beforeAll(async () => {
  server = await TestServer.start();
  adminToken = await server.restAdminToken();
});
afterAll(() => server.close());

let n = 0;
async function restUser() {
  const name = `msg${++n}`;
  const reg = await server.rest('POST', '/user/register/v2', { json: { username: name, password: PASSWORD } });
  const token = (await server.rest('POST', '/token/user', { json: { name, password: PASSWORD, device_guid: 'dev' } })).body.data.token as string;
  return { name, id: reg.body.data.user_id as number, token };
}
type RestUser = Awaited<ReturnType<typeof restUser>>;
const call = async (method: string, path: string, token: string, options: RestOptions = {}) =>
  (await server.rest(method, path, { token, ...options })).body;
const send = (from: RestUser, to: RestUser, content: string, extra: Record<string, unknown> = {}, method = 'POST') =>
  call(method, '/message/send', from.token, { json: { type: 1, targets: [to.id], content_type: 0, content, ...extra } });

describe('sending', () => {
  it.each(['POST', 'PUT'])('%s /message/send answers true and the message id for one receiver', async (method) => {
    const [a, b] = [await restUser(), await restUser()];
    const res = await send(a, b, 'hello', { ext: '{"k":1}', config: '{"mentionAll":false}' }, method);
    expect(res).toMatchObject({ code: 200, message: null, data: true });
    expect(res.msg_ids).toEqual([expect.any(Number)]);
    const two = await call(method, '/message/send', a.token, { json: { type: 1, targets: [b.id, (await restUser()).id], content_type: 0, content: 'x' } });
    expect(two.data).toBe(true);
    expect(two).not.toHaveProperty('msg_ids');
  });

  it('de-duplicates with transaction_id', async () => {
    const [a, b] = [await restUser(), await restUser()];
    const first = await send(a, b, 'once', { transaction_id: 42 });
    const again = await send(a, b, 'once', { transaction_id: 42 });
    expect(again.msg_ids).toEqual(first.msg_ids);
    const history = await call('GET', '/message/conversation', b.token, { query: { opposite_id: a.id } });
    expect(history.data.messages).toHaveLength(1);
  });

  it('refuses with the documented codes', async () => {
    const [a, b] = [await restUser(), await restUser()];
    await call('POST', '/roster/block', b.token, { query: { user_id: a.id } });
    expect((await send(a, b, 'blocked')).code).toBe(10006);
    expect((await send(a, { ...b, id: 99999999999 }, 'ghost')).code).toBe(10000);
    expect((await send(b, a, '')).code).toBe(10002);
    expect((await send(b, a, 'x', { ext: 'not json' })).code).toBe(10002);
    expect((await call('POST', '/message/send', b.token, { json: { type: 3, targets: [a.id], content_type: 0, content: 'x' } })).code).toBe(10002);
    expect((await call('POST', '/message/send', b.token, { json: { type: 1, targets: [a.id], content_type: 9, content: 'x' } })).code).toBe(10002);
  });

  it('lets an admin send as from_user_id, and /message/notify send system notices', async () => {
    const [a, b] = [await restUser(), await restUser()];
    const res = await call('POST', '/message/send', adminToken, { json: { type: 1, targets: [b.id], content_type: 0, content: 'on behalf', from_user_id: a.id } });
    expect(res.code).toBe(200);
    const history = await call('GET', '/message/conversation', b.token, { query: { opposite_id: a.id } });
    expect(history.data.messages[0]).toMatchObject({ content: 'on behalf', from_xid: { uid: a.id } });
    for (const method of ['POST', 'PUT']) {
      expect((await call(method, '/message/notify', adminToken, { json: { type: 1, targets: [b.id], content_type: 0, content: 'notice' } })).data).toBe(true);
    }
    expect((await call('POST', '/message/notify', b.token, { json: { type: 1, targets: [a.id], content_type: 0, content: 'x' } })).code).toBe(10010);
  });
});

describe('history, unread, ack, delete', () => {
  it('GET /message/conversation pages backwards with next_msg_id and is_last', async () => {
    const [a, b] = [await restUser(), await restUser()];
    for (let i = 1; i <= 5; i++) await send(a, b, `#${i}`);
    const first = await call('GET', '/message/conversation', b.token, { query: { opposite_id: a.id, msg_id_start: 0, limit: 2 } });
    expect(first.data.messages.map((m: any) => m.content)).toEqual(['#5', '#4']);
    expect(first.data.is_last).toBe(false);
    expect(first.data.messages[0]).toEqual({
      msg_id: expect.any(Number),
      from_xid: { uid: a.id, device_sn: 1 },
      to_xid: { uid: b.id },
      content: '#5',
      ctype: 'TEXT',
      ext: '',
      config: '',
      attachment: '',
      status: 'UNREAD',
      timestamp: expect.any(Number),
    });
    const second = await call('GET', '/message/conversation', b.token, { query: { opposite_id: a.id, msg_id_start: first.data.next_msg_id, limit: 2 } });
    expect(second.data.messages.map((m: any) => m.content)).toEqual(['#3', '#2']);
    const last = await call('GET', '/message/conversation', b.token, { query: { opposite_id: a.id, msg_id_start: second.data.next_msg_id, limit: 2 } });
    expect(last.data).toMatchObject({ is_last: true, next_msg_id: 0 });
    expect(last.data.messages.map((m: any) => m.content)).toEqual(['#1']);
  });

  it('GET /message/unread and GET /message/ack', async () => {
    const [a, b, c] = [await restUser(), await restUser(), await restUser()];
    await send(a, b, 'one');
    const second = await send(a, b, 'two');
    await send(c, b, 'three');
    await send(b, c, 'mine does not count');
    const unread = await call('GET', '/message/unread', b.token);
    expect(unread.data).toEqual(expect.arrayContaining([{ conversation_id: { uid: a.id }, num: 2 }, { conversation_id: { uid: c.id }, num: 1 }]));
    expect((await call('GET', '/message/ack', b.token, { query: { conversation_id: a.id, msg_id: second.msg_ids![0]!, device_sn: 1 } })).data).toBe(true);
    const after = await call('GET', '/message/unread', b.token);
    expect(after.data).toEqual(expect.arrayContaining([{ conversation_id: { uid: a.id }, num: 0 }]));
    const status = await call('GET', '/message/conversation', a.token, { query: { opposite_id: b.id } });
    expect(status.data.messages.map((m: any) => m.status)).toEqual(['READ', 'READ']);
    expect((await call('GET', '/message/ack', b.token, { query: { conversation_id: 99999999999, msg_id: 1 } })).code).toBe(10002);
  });

  it('DELETE /message/conversation hides history for the viewer', async () => {
    const [a, b] = [await restUser(), await restUser()];
    await send(a, b, 'bye');
    expect((await call('DELETE', '/message/conversation', b.token, { query: { conversation_id: a.id } })).data).toBe(true);
    expect((await call('GET', '/message/conversation', b.token, { query: { opposite_id: a.id } })).data.messages).toEqual([]);
    expect((await call('GET', '/message/conversation', a.token, { query: { opposite_id: b.id } })).data.messages).toHaveLength(1);
  });
});
