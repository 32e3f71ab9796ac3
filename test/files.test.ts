import { request } from 'node:http';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyReference } from '../src/domain/files/model.js';
import { amr, clip, download, image, upload, type Slot } from './helpers/files.js';
import { GroupClient } from './helpers/groups.js';
import { startS3 } from './helpers/s3.js';
import { TestServer, type TestUser } from './helpers/server.js';

// Every file test runs on both storages: local disk (the default) and an S3-compatible server
// (s3rver) started here.

const STORAGES = ['local', 's3'] as const;
/** These tests move megabytes and run sharp and ffmpeg: a generous budget, so a busy machine does not fail them. */
const SLOW = { timeout: 180_000 };

describe.each(STORAGES)('files on %s storage', (storage) => {
  let server: TestServer;
  let groups: GroupClient;
  let s3: Awaited<ReturnType<typeof startS3>> | undefined;
  let n = 0;
  const person = () => server.user(`f${storage}${++n}`);

  beforeAll(async () => {
    s3 = storage === 's3' ? await startS3() : undefined;
    server = await TestServer.start({ env: { ...s3?.env, UPLOAD_MAX_BYTES_IMAGE: String(2 * 1024 * 1024) } });
    groups = new GroupClient(server);
  });
  afterAll(async () => {
    await server?.close();
    await s3?.close();
  });

  const rest = (method: string, path: string, as: TestUser | string, query: Record<string, string | number> = {}, json?: unknown) =>
    server.rest(method, path, { token: typeof as === 'string' ? as : as.token, query, json }).then((r) => r.body);
  const chatSlot = async (as: TestUser, fileType: number, toType: 1 | 2, toId: string): Promise<Slot> => {
    const res = await rest('GET', '/file/upload/chat', as, { file_type: fileType, to_type: toType, to_id: toId });
    expect(res).toMatchObject({ code: 200, message: null });
    return res.data;
  };
  const objects = () => server.running.storage.list('');
  const SEND = `mutation($input: SendMessageInput!) {
    sendMessage(input: $input) { __typename ... on SendMessagePayload { messages { id file { name size mimeType width height durationMs url thumbnailUrl } } } ... on Error { code message } }
  }`;
  const send = (as: TestUser, input: Record<string, unknown>) => server.gql(SEND, { input }, { token: as.token }).then((r) => r.data.sendMessage);

  it('uploads a chat image through a slot and lets only the conversation open it (REST, chapter 9)', SLOW, async () => {
    const [alice, bob, carol] = [await person(), await person(), await person()];
    const slot = await chatSlot(alice, 102, 1, bob.id);
    expect(slot.upload_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/file\/upload\/bytes$/);
    expect(slot.download_url).toContain('/file/download/chat?file_sign=');
    expect(Object.keys(slot.oss_body_param)).toEqual(['token']);

    const jpeg = await image('jpeg');
    const done = await upload(slot, jpeg, 'cat.jpg');
    expect(done.status).toBe(200);
    expect(done.body.data).toMatchObject({ name: 'cat.jpg', size: jpeg.length, mime_type: 'image/jpeg', width: 640, height: 480 });

    for (const viewer of [alice, bob]) {
      const got = await download(server, slot.download_url, viewer);
      expect(got.status).toBe(200);
      expect(got.headers.get('content-type')).toBe('image/jpeg');
      expect(got.bytes.equals(jpeg)).toBe(true);
    }
    const refused = await download(server, slot.download_url, carol);
    expect(refused.status).toBe(403);
    expect(refused.json()).toMatchObject({ code: 10010, error: 'FORBIDDEN' });
    expect((await download(server, slot.download_url, undefined)).json()).toMatchObject({ code: 10003 });

    // The slot took its one file.
    expect((await upload(slot, jpeg)).body).toMatchObject({ code: 10002, error: 'UPLOAD_SLOT_CLOSED' });
  });

  it('makes thumbnails and previews of JPEG, PNG, WebP, GIF and AVIF, cached, with validators', SLOW, async () => {
    const [alice, bob] = [await person(), await person()];
    for (const format of ['jpeg', 'png', 'webp', 'gif', 'avif'] as const) {
      const slot = await chatSlot(alice, 102, 1, bob.id);
      expect((await upload(slot, await image(format, 900, 600))).status).toBe(200);
      const thumb = await download(server, slot.download_url, bob, { image_type: '2' });
      expect(thumb.status, format).toBe(200);
      expect(thumb.headers.get('content-type')).toBe('image/jpeg');
      expect(await sharp(thumb.bytes).metadata()).toMatchObject({ format: 'jpeg', width: 256, height: 171 });
      const preview = await download(server, slot.download_url, bob, { image_type: '3' });
      expect(await sharp(preview.bytes).metadata()).toMatchObject({ width: 900, height: 600 }); // never enlarged

      const etag = thumb.headers.get('etag')!;
      expect((await download(server, slot.download_url, bob, { image_type: '2' }, { 'if-none-match': etag })).status).toBe(304);
      const since = thumb.headers.get('last-modified')!;
      expect((await download(server, slot.download_url, bob, { image_type: '2' }, { 'if-modified-since': since })).status).toBe(304);
    }
  });

  it('uploads with the GraphQL multipart request spec, and IMAGE messages carry the file', SLOW, async () => {
    const [alice, bob, carol] = [await person(), await person(), await person()];
    const png = await image('png', 300, 200);
    const up = await multipart(alice, { purpose: 'CHAT_FILE', fileType: 'IMAGE', conversation: { userId: bob.id } }, png, 'dot.png');
    expect(up.__typename).toBe('UploadFilePayload');
    expect(up.file).toMatchObject({ name: 'dot.png', size: png.length, mimeType: 'image/png', width: 300, height: 200 });

    const sent = await send(alice, { toKind: 'USER', targets: [bob.id], contentType: 'IMAGE', file: up.file.reference });
    expect(sent.__typename).toBe('SendMessagePayload');
    expect(sent.messages[0].file).toMatchObject({ name: 'dot.png', mimeType: 'image/png', width: 300, height: 200 });
    const seen = await server.gql(
      `query($u: ID!) { messages(conversation: { userId: $u }, last: 1) { edges { node { file { name size thumbnailUrl } } } } }`,
      { u: alice.id },
      { token: bob.token },
    );
    const file = seen.data.messages.edges[0].node.file;
    expect(file).toMatchObject({ name: 'dot.png', size: png.length });
    expect((await download(server, file.thumbnailUrl, bob)).status).toBe(200);

    // Another conversation needs a forward first; the type must match the content type.
    const elsewhere = await send(alice, { toKind: 'USER', targets: [carol.id], contentType: 'IMAGE', file: up.file.reference });
    expect(elsewhere).toMatchObject({ code: 'FILE_NOT_IN_CONVERSATION' });
    expect(await send(alice, { toKind: 'USER', targets: [bob.id], contentType: 'VIDEO', file: up.file.reference })).toMatchObject({ code: 'INVALID_INPUT' });
    expect(await send(alice, { toKind: 'USER', targets: [bob.id], contentType: 'TEXT', content: 'x', file: up.file.reference })).toMatchObject({
      code: 'INVALID_INPUT',
    });
    const originals = async () => (await objects()).filter((key) => !key.includes('.')).length;
    const stored = await originals();
    const forwarded = await server.gql(
      `mutation($input: ForwardFileInput!) { forwardFile(input: $input) { __typename ... on ForwardFilePayload { file { reference url size } } ... on Error { code } } }`,
      { input: { reference: up.file.reference, conversation: { userId: carol.id } } },
      { token: alice.token },
    );
    const copy = forwarded.data.forwardFile.file;
    expect(copy.size).toBe(png.length);
    expect((await send(alice, { toKind: 'USER', targets: [carol.id], contentType: 'IMAGE', file: copy.reference })).__typename).toBe('SendMessagePayload');
    expect((await download(server, copy.url, carol)).bytes.equals(png)).toBe(true);
    expect(await originals()).toBe(stored); // forwarding copied no bytes
  });

  it('sends through REST: the attachment URL of an upload becomes the message file; /file/upload/forward', SLOW, async () => {
    const [alice, bob, carol] = [await person(), await person(), await person()];
    const slot = await chatSlot(alice, 100, 1, bob.id);
    const doc = Buffer.from('minutes of the meeting\n'.repeat(100));
    expect((await upload(slot, doc, 'minutes.txt')).body.data).toMatchObject({ mime_type: 'text/plain', size: doc.length });
    const attachment = JSON.stringify({ url: slot.download_url, dName: 'minutes.txt', fLen: doc.length });
    const sent = await server.rest('POST', '/message/send', { token: alice.token, json: { type: 1, targets: [Number(bob.id)], content_type: 4, attachment } });
    expect(sent.body.code).toBe(200);
    const read = await server.gql(`query($id: ID!) { messages(conversation: { userId: $id }, last: 1) { edges { node { file { name mimeType } } } } }`, { id: alice.id }, { token: bob.token });
    expect(read.data.messages.edges[0].node.file).toEqual({ name: 'minutes.txt', mimeType: 'text/plain' });

    const sign = new URL(slot.download_url).searchParams.get('file_sign')!;
    const forward = await rest('GET', '/file/upload/forward', alice, { file_sign: sign, to_id: carol.id, to_type: 1 });
    expect(forward.code).toBe(200);
    expect(typeof forward.data).toBe('string');
    expect((await download(server, forward.data, carol)).bytes.equals(doc)).toBe(true);
    // Carol cannot forward what she cannot open.
    expect((await rest('GET', '/file/upload/forward', carol, { file_sign: sign, to_id: alice.id, to_type: 1 })).code).toBe(10010);
  });

  it('gives group files to members only, and later joiners only what history shows them', SLOW, async () => {
    const [owner, member, late, outsider] = [await person(), await person(), await person(), await person()];
    const groupId = await groups.group(owner, [member]);
    const before = await chatSlot(owner, 102, 2, groupId);
    await upload(before, await image('jpeg'));
    await send(owner, { toKind: 'GROUP', targets: [groupId], contentType: 'IMAGE', file: before.download_url });

    await groups.batch(owner, 'inviteGroupMembers', groupId, [late.id]);
    const after = await chatSlot(member, 102, 2, groupId);
    await upload(after, await image('png'));

    expect((await download(server, before.download_url, member)).status).toBe(200);
    expect((await download(server, before.download_url, late)).status).toBe(403);
    expect((await download(server, after.download_url, late)).status).toBe(200);
    expect((await download(server, after.download_url, outsider)).status).toBe(403);
    // A file uploaded before a later joiner came, sent after: they see the message, so the file.
    const early = await chatSlot(owner, 102, 2, groupId);
    await send(owner, { toKind: 'GROUP', targets: [groupId], contentType: 'TEXT', content: 'history moves on' });
    await groups.batch(owner, 'inviteGroupMembers', groupId, [outsider.id]);
    await upload(early, await image('webp'));
    expect((await download(server, early.download_url, outsider)).status).toBe(403);
    await send(owner, { toKind: 'GROUP', targets: [groupId], contentType: 'IMAGE', file: early.download_url });
    expect((await download(server, early.download_url, outsider)).status).toBe(200);
    // Leaving ends access.
    await server.gql(`mutation($g: ID!) { leaveGroup(groupId: $g) { __typename } }`, { g: groupId }, { token: member.token });
    expect((await download(server, after.download_url, member)).status).toBe(403);
  });

  it('stores shared group files, and deleting the last reference frees the bytes and their renditions', SLOW, async () => {
    const [owner, member, outsider] = [await person(), await person(), await person()];
    const groupId = await groups.group(owner, [member]);
    const start = (await objects()).length;
    const slot = (await rest('GET', '/file/upload/chat', member, { file_type: 202, to_type: 2, to_id: groupId })).data as Slot;
    expect((await rest('GET', '/file/upload/chat', outsider, { file_type: 202, to_type: 2, to_id: groupId })).code).toBe(20011);
    const jpeg = await image('jpeg');
    await upload(slot, jpeg, 'team.jpg');
    const listed = await rest('POST', '/group/file/upload', member, {}, { group_id: Number(groupId), name: 'team.jpg', size: 1, type: 'text/plain', url: slot.download_url });
    expect(listed.data).toMatchObject({ name: 'team.jpg', size: jpeg.length, type: 'image/jpeg' });
    const fileId = listed.data.file_id;
    const shown = await rest('GET', '/group/file', owner, { group_id: groupId, file_id: fileId });
    expect((await download(server, shown.data.url, owner)).bytes.equals(jpeg)).toBe(true);
    expect((await download(server, shown.data.url, owner, { image_type: '2' })).status).toBe(200);
    expect((await download(server, shown.data.url, outsider)).status).toBe(403);
    expect((await objects()).length).toBe(start + 2); // the original and its thumbnail

    // A URL that is not an upload of this group is refused.
    const foreign = await rest('POST', '/group/file/upload', member, {}, { group_id: Number(groupId), name: 'x', url: 'https://example.com/x.png' });
    expect(foreign.code).toBe(10002);

    expect((await rest('POST', '/group/file/delete', owner, {}, { group_id: Number(groupId), file_list: [fileId] })).data[0].result).toBe('success');
    expect(await objects()).toHaveLength(start);
    expect((await download(server, shown.data.url, owner)).status).toBe(404);
  });

  it('streams audio and video: ranges, covers, durations, and MP3 of AMR voice', SLOW, async () => {
    const [alice, bob] = [await person(), await person()];
    const video = await clip();
    const slot = await chatSlot(alice, 103, 1, bob.id);
    expect((await upload(slot, video, 'clip.mp4')).body.data).toMatchObject({ mime_type: 'video/mp4', width: 320, height: 240, duration: 1000 });
    const part = await download(server, slot.download_url, bob, {}, { range: 'bytes=0-99' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 0-99/${video.length}`);
    expect(part.bytes.equals(video.subarray(0, 100))).toBe(true);
    const tail = await download(server, slot.download_url, bob, {}, { range: 'bytes=-10' });
    expect(tail.bytes.equals(video.subarray(video.length - 10))).toBe(true);
    expect((await download(server, slot.download_url, bob, {}, { range: `bytes=${video.length}-` })).status).toBe(416);
    const cover = await download(server, slot.download_url, bob, { image_type: '3' });
    expect(cover.headers.get('content-type')).toBe('image/jpeg');
    expect(await sharp(cover.bytes).metadata()).toMatchObject({ width: 320, height: 240 });

    const voice = await chatSlot(alice, 101, 1, bob.id);
    expect((await upload(voice, amr(), 'hello.amr')).body.data).toMatchObject({ mime_type: 'audio/amr', duration: expect.any(Number) });
    const mp3 = await download(server, voice.download_url, bob, { format: 'mp3' });
    expect(mp3.status).toBe(200);
    expect(mp3.headers.get('content-type')).toBe('audio/mpeg');
    expect(mp3.bytes.subarray(0, 3).toString('latin1') === 'ID3' || mp3.bytes[0] === 0xff).toBe(true);
    const count = (await objects()).length;
    expect((await download(server, voice.download_url, bob, { format: 'mp3' })).bytes.equals(mp3.bytes)).toBe(true);
    expect(await objects()).toHaveLength(count); // cached, not made again
    expect((await download(server, voice.download_url, bob, { image_type: '2' })).json()).toMatchObject({ error: 'NO_SUCH_VARIANT' });
  });

  it('refuses bad uploads and leaves nothing half-written', SLOW, async () => {
    const [alice, bob] = [await person(), await person()];
    const start = await objects();

    // Bytes that are not what the slot takes, whatever name or header they come with.
    const imageSlot = await chatSlot(alice, 102, 1, bob.id);
    const text = await upload(imageSlot, Buffer.from('not an image at all'), 'photo.jpg');
    expect(text).toMatchObject({ status: 415, body: { code: 10002, error: 'FILE_TYPE_NOT_ALLOWED' } });
    const videoSlot = await chatSlot(alice, 103, 1, bob.id);
    expect((await upload(videoSlot, await image('png'), 'movie.mp4')).status).toBe(415);
    const amrSlot = await chatSlot(alice, 101, 1, bob.id);
    expect((await upload(amrSlot, (await clip()).subarray(0, 5000), 'voice.amr')).status).toBe(415);

    // Over the limit of its kind (UPLOAD_MAX_BYTES_IMAGE is 2 MiB here).
    const big = Buffer.concat([await image('png'), Buffer.alloc(3 * 1024 * 1024)]);
    expect(await upload(imageSlot, big)).toMatchObject({ status: 413, body: { error: 'FILE_TOO_LARGE' } });

    // A multipart body that ends before its closing boundary.
    const truncated = await rawUpload(imageSlot, await image('jpeg'), { cut: 'boundary' });
    expect(truncated).toMatchObject({ status: 400, error: 'UPLOAD_INCOMPLETE' });
    // A connection that drops halfway.
    await rawUpload(imageSlot, await image('jpeg'), { cut: 'connection' });

    expect(await objects()).toEqual(start);
    // The slot still takes a good upload afterwards.
    expect((await upload(imageSlot, await image('jpeg'))).status).toBe(200);
    expect(await objects()).toHaveLength(start.length + 1);
    if (storage === 'local') await expect.poll(() => temporaryFiles()).toEqual([]);

    // Forged, foreign and malformed references.
    const sign = new URL(imageSlot.download_url).searchParams.get('file_sign')!;
    const forged = `${sign.split('.')[0]}.${Buffer.alloc(32).toString('base64url')}`;
    expect((await download(server, `${server.url}/file/download/chat?file_sign=${forged}`, bob)).json()).toMatchObject({ code: 10002, error: 'FILE_REFERENCE_INVALID' });
    expect((await download(server, `${server.url}/file/download/chat?file_sign=nonsense`, bob)).status).toBe(403);
    const badToken = await upload({ ...imageSlot, oss_body_param: { token: forged } }, await image('jpeg'));
    expect(badToken.body.error).toBe('FILE_REFERENCE_INVALID');
  });

  it('expires references and sweeps abandoned slots (clock injected, no waiting)', SLOW, async () => {
    const [alice, bob] = [await person(), await person()];
    const slot = await chatSlot(alice, 102, 1, bob.id);
    const db = server.running.database.db;
    const sign = new URL(slot.download_url).searchParams.get('file_sign')!;
    const tomorrow = Date.now() + 2 * 24 * 3600 * 1000;
    await expect(verifyReference(db, server.appId, sign, 'd', 'file_sign', tomorrow)).rejects.toMatchObject({ code: 'FILE_REFERENCE_EXPIRED' });
    await expect(verifyReference(db, server.appId, slot.oss_body_param['token']!, 'u', 'token', tomorrow)).rejects.toMatchObject({
      code: 'FILE_REFERENCE_EXPIRED',
    });

    const swept = await server.running.sweepFiles(new Date(Date.now() + 2 * 3600 * 1000));
    expect(swept.slots).toBeGreaterThanOrEqual(1);
    expect((await upload(slot, await image('jpeg'))).body.error).toBe('UPLOAD_SLOT_CLOSED');
  });

  it('stores avatars for anyone of the app to see, with thumbnails; nothing crosses apps', SLOW, async () => {
    const [alice, bob] = [await person(), await person()];
    const slot = (await rest('GET', '/file/upload/avatar/user', alice)).data as Slot;
    expect(slot.download_url).toContain('/file/download/avatar?object_name=');
    expect((await upload(slot, await image('png', 512, 512), 'me.png')).status).toBe(200);
    expect((await rest('POST', '/user/avatar', alice, {}, { avatar: slot.download_url })).code).toBe(200);
    const profile = await server.gql(`query($id: ID!) { user(id: $id) { avatar avatarThumbnailUrl } }`, { id: alice.id }, { token: bob.token });
    expect(profile.data.user.avatar).toBe(slot.download_url);
    const thumb = await download(server, profile.data.user.avatarThumbnailUrl, bob);
    expect(await sharp(thumb.bytes).metadata()).toMatchObject({ width: 256, height: 256 });

    const other = await server.createApp();
    const strangerToken = (await server.user('stranger', { appId: other.appId })).token;
    const target = new URL(slot.download_url);
    target.searchParams.set('access-token', strangerToken);
    target.searchParams.set('app_id', other.appId);
    const res = await fetch(target);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: 'FILE_REFERENCE_INVALID' });
    // The app_id of the URL must be the token's.
    expect((await download(server, slot.download_url, strangerToken)).status).toBe(401);

    // Group avatars: admins only.
    const groupId = await groups.group(alice, [bob]);
    expect((await rest('GET', '/file/upload/avatar/group', bob, { group_id: groupId })).code).toBe(20012);
    const groupSlot = (await rest('GET', '/file/upload/avatar/group', alice, { group_id: groupId })).data as Slot;
    expect((await upload(groupSlot, await image('jpeg'))).status).toBe(200);
  });

  // ---- helpers that need the server ----

  async function multipart(as: TestUser, input: Record<string, unknown>, bytes: Buffer, name: string) {
    const form = new FormData();
    form.append(
      'operations',
      JSON.stringify({
        query: `mutation($input: UploadFileInput!) { uploadFile(input: $input) { __typename
          ... on UploadFilePayload { file { reference name size mimeType width height url } } ... on Error { code message } } }`,
        variables: { input: { ...input, file: null } },
      }),
    );
    form.append('map', JSON.stringify({ 0: ['variables.input.file'] }));
    form.append('0', new Blob([new Uint8Array(bytes)]), name);
    const res = await fetch(`${server.url}/graphql`, { method: 'POST', body: form, headers: { authorization: `Bearer ${as.token}`, 'graphql-require-preflight': '1' } });
    const body = (await res.json()) as any;
    return body.data?.uploadFile ?? body;
  }

  async function temporaryFiles() {
    const { readdir } = await import('node:fs/promises');
    const { join } = await import('node:path');
    return readdir(join(server.database.env.DATA_DIR ?? './data', 'files', '.tmp'));
  }

  /** A multipart upload cut short: before its closing boundary, or by dropping the connection. */
  function rawUpload(slot: Slot, bytes: Buffer, options: { cut: 'boundary' | 'connection' }) {
    const boundary = 'cutcutcut';
    const head = Buffer.from(
      `--${boundary}\r\ncontent-disposition: form-data; name="token"\r\n\r\n${slot.oss_body_param['token']}\r\n` +
        `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="a.jpg"\r\ncontent-type: image/jpeg\r\n\r\n`,
    );
    const body = Buffer.concat([head, bytes.subarray(0, bytes.length >> 1)]);
    return new Promise<any>((resolve) => {
      const req = request(slot.upload_url, {
        method: 'POST',
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': options.cut === 'boundary' ? body.length : body.length + 1000 },
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, ...JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
      });
      req.on('error', () => resolve({ status: 0 }));
      if (options.cut === 'boundary') return req.end(body);
      req.write(body, () => setImmediate(() => req.destroy()));
    });
  }
});

describe('files without a converter', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await TestServer.start({ env: { FFMPEG_PATH: '/nonexistent/ffmpeg', FFPROBE_PATH: '/nonexistent/ffprobe' } });
  });
  afterAll(() => server?.close());

  it('answers a clear error for MP3 of AMR and for video covers, and still serves the originals', SLOW, async () => {
    const [alice, bob] = [await server.user('nc1'), await server.user('nc2')];
    const slot = async (fileType: number) =>
      (await server.rest('GET', '/file/upload/chat', { token: alice.token, query: { file_type: fileType, to_type: 1, to_id: bob.id } })).body.data as Slot;
    const voice = await slot(101);
    expect((await upload(voice, amr())).body.data).toMatchObject({ mime_type: 'audio/amr', duration: null });
    const mp3 = await download(server, voice.download_url, bob, { format: 'mp3' });
    expect(mp3.status).toBe(501);
    expect(mp3.json()).toMatchObject({ code: 10009, error: 'CONVERTER_UNAVAILABLE', message: expect.stringContaining('/nonexistent/ffmpeg') });
    expect((await download(server, voice.download_url, bob)).bytes.equals(amr())).toBe(true);

    const video = await slot(103);
    await upload(video, await clip());
    expect((await download(server, video.download_url, bob, { image_type: '2' })).status).toBe(501);
    expect(await server.running.storage.list('')).toHaveLength(2); // no half-made rendition
  });
});
