import { AuthenticationError, DomainError, ForbiddenError, InvalidInputError, NotFoundError } from '../../domain/errors.js';
import { requireReadable } from '../../domain/files/access.js';
import { forwardFile } from '../../domain/files/forward.js';
import { downloadSign, findReadyFile, verifyReference, type ReadyFile } from '../../domain/files/model.js';
import { createUploadSlot, type SlotPurpose, type SlotRequest } from '../../domain/files/slots.js';
import { uploadFile } from '../../domain/files/upload.js';
import type { Target } from '../../domain/messages/model.js';
import { downloadUrl, uploadTarget } from '../../files/urls.js';
import type { Context } from '../../context.js';
import { builder } from '../builder.js';
import { GroupRef } from './group.js';
import { GroupFileRef } from './group-content.js';
import { ConversationInput, MessageRef, targetFrom } from './message.js';
import { UserRef } from './user.js';

// Files: upload slots and direct uploads, stored files with their signed URLs, forwarding, and
// the files that messages, shared-file listings and avatars point at. Bytes travel over
// /file/upload/bytes and /file/download/* (src/files/http.ts), never through GraphQL results.

const FileTypeEnum = builder.enumType('FileType', {
  description: 'What a chat or shared file is, as the REST dialect numbers it (`file_type`).',
  values: {
    FILE: { value: 100, description: 'A chat file of any type (100).' },
    VOICE_AMR: { value: 101, description: 'A chat voice message in AMR (101).' },
    IMAGE: { value: 102, description: 'A chat image (102).' },
    VIDEO: { value: 103, description: 'A chat video (103).' },
    VOICE_MP3: { value: 104, description: 'A chat voice message in MP3 (104).' },
    SHARED_FILE: { value: 200, description: 'A file shared in a group, of any type (200).' },
    SHARED_VOICE: { value: 201, description: 'A voice file shared in a group (201).' },
    SHARED_IMAGE: { value: 202, description: 'An image shared in a group (202).' },
    SHARED_VIDEO: { value: 203, description: 'A video shared in a group (203).' },
  } as const,
});

const UploadPurposeEnum = builder.enumType('UploadPurpose', {
  description: 'What an upload is for; it decides who may upload and who may later open the file.',
  values: {
    CHAT_FILE: { value: 'CHAT', description: 'A file for a conversation the viewer may send to (fileType 100–104, conversation).' },
    GROUP_FILE: { value: 'GROUP_SHARED', description: "A file for a group's shared files (fileType 200–203, groupId; members)." },
    USER_AVATAR: { value: 'USER_AVATAR', description: "The viewer's avatar." },
    GROUP_AVATAR: { value: 'GROUP_AVATAR', description: "A group's avatar (groupId; the group's admins)." },
  } as const,
});

export const StoredFileRef = builder.objectRef<ReadyFile>('StoredFile').implement({
  description:
    'A stored file as seen from one conversation, group or profile. Its URLs are signed and expire (avatars excepted); fetch them with the access token in an `Authorization: Bearer` or `access-token` header, or as `access-token` and `app_id` query parameters.',
  fields: (t) => ({
    id: t.id({ description: 'The reference id (one per conversation the file was uploaded or forwarded to).', resolve: (f) => f.ref.id }),
    reference: t.string({
      description: 'The signed reference (`file_sign`, or `object_name` for avatars) to pass to sendMessage, forwardFile or addGroupFile.',
      resolve: (f, _a, ctx) => downloadSign(ctx.deps, f.ref),
    }),
    name: t.string({ description: 'The name it was uploaded with (shown, never trusted).', resolve: (f) => f.ref.name }),
    size: t.float({ description: 'Bytes.', resolve: (f) => f.file.size }),
    mimeType: t.string({ description: 'The media type detected from the bytes.', resolve: (f) => f.file.mimeType }),
    width: t.int({ nullable: true, description: 'Pixels, for images and videos.', resolve: (f) => f.file.width }),
    height: t.int({ nullable: true, description: 'Pixels, for images and videos.', resolve: (f) => f.file.height }),
    durationMs: t.int({ nullable: true, description: 'Milliseconds, for audio and video (when ffprobe is installed).', resolve: (f) => f.file.durationMs }),
    url: t.string({ description: 'Downloads the bytes (supports Range, ETag and Last-Modified).', resolve: (f, _a, ctx) => downloadUrl(ctx.deps, ctx.urls, f.ref) }),
    thumbnailUrl: t.string({
      nullable: true,
      description: 'A JPEG thumbnail (at most 256×256) of an image or video; null for other files.',
      resolve: (f, _a, ctx) => variantUrl(f, ctx, 'image_type=2'),
    }),
    previewUrl: t.string({
      nullable: true,
      description: "A JPEG preview of an image (at most 1280×1280) or a video's cover; null for other files.",
      resolve: (f, _a, ctx) => variantUrl(f, ctx, 'image_type=3'),
    }),
    mp3Url: t.string({
      nullable: true,
      description: 'The audio as MP3 (transcoded from AMR when the server has ffmpeg); null for other files.',
      resolve: async (f, _a, ctx) => (f.file.mimeType.startsWith('audio/') ? `${await downloadUrl(ctx.deps, ctx.urls, f.ref)}&format=mp3` : null),
    }),
    createdAt: t.field({ type: 'Timestamp', description: 'When the bytes were stored.', resolve: (f) => f.file.createdAt }),
  }),
});

async function variantUrl(f: ReadyFile, ctx: Context, query: string) {
  const visual = f.file.mimeType.startsWith('image/') || f.file.mimeType.startsWith('video/');
  return visual ? `${await downloadUrl(ctx.deps, ctx.urls, f.ref)}&${query}` : null;
}

const UploadSlotRef = builder
  .objectRef<{ uploadUrl: string; formFields: Record<string, string>; downloadUrl: string; expiresAt: Date }>('UploadSlot')
  .implement({
    description:
      'Where to upload one file: POST multipart/form-data to `uploadUrl` with the `formFields` first and the bytes in a part named `file` (or PUT the bytes to `putUrl`). Streamed: any size up to the limit of its kind.',
    fields: (t) => ({
      uploadUrl: t.exposeString('uploadUrl', { description: 'Takes a multipart/form-data POST.' }),
      formFields: t.field({ type: 'JSON', description: 'Form fields to send before the file (`token`).', resolve: (s) => s.formFields }),
      putUrl: t.string({
        description: 'Takes the raw bytes in a PUT (add `&name=` for the file name).',
        resolve: (s) => `${s.uploadUrl}?token=${encodeURIComponent(s.formFields['token']!)}`,
      }),
      downloadUrl: t.exposeString('downloadUrl', { description: 'Where the file will be, once uploaded.' }),
      expiresAt: t.field({ type: 'Timestamp', description: 'The slot takes bytes until then; unused, it is swept.', resolve: (s) => s.expiresAt }),
    }),
  });

type BuilderTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

/** What an upload is for: the fields a slot and a direct upload share. */
const purposeFields = (t: PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'InputObject'>) => ({
  purpose: t.field({ type: UploadPurposeEnum, required: true, description: 'What the file is for.' }),
  fileType: t.field({ type: FileTypeEnum, description: 'For chat and shared files.' }),
  conversation: t.field({ type: ConversationInput, description: 'For chat files: the conversation.' }),
  groupId: t.id({ description: 'For shared files and group avatars: the group.' }),
});

const CreateUploadSlotInput = builder.inputType('CreateUploadSlotInput', {
  description: 'What an upload is for: CHAT_FILE needs fileType 100–104 and conversation; GROUP_FILE fileType 200–203 and groupId; GROUP_AVATAR groupId.',
  fields: (t) => purposeFields(t),
});

const UploadFileInput = builder.inputType('UploadFileInput', {
  description: 'A file sent with the GraphQL multipart request spec, and what it is for (as CreateUploadSlotInput). Bounded by GRAPHQL_UPLOAD_MAX_BYTES: larger files go through createUploadSlot.',
  fields: (t) => ({ ...purposeFields(t), file: t.field({ type: 'File', required: true, description: 'The bytes.' }) }),
});

const ForwardFileInput = builder.inputType('ForwardFileInput', {
  description: 'A file the viewer can open, and the conversation to make it usable in.',
  fields: (t) => ({
    reference: t.string({ required: true, description: 'The file’s `StoredFile.reference` or download URL.' }),
    conversation: t.field({ type: ConversationInput, required: true, description: 'The conversation to forward it to.' }),
  }),
});

type TargetInput = { purpose: SlotPurpose; fileType?: number | null; conversation?: typeof ConversationInput.$inferInput | null; groupId?: string | null };

async function slotRequest(input: TargetInput, ctx: Context): Promise<SlotRequest> {
  const to: Target | undefined = input.conversation ? await targetFrom(input.conversation, ctx) : undefined;
  return { purpose: input.purpose, fileType: input.fileType ?? undefined, to, groupId: input.groupId ?? undefined };
}

const CreateUploadSlotPayload = builder.objectRef<{ slot: Awaited<ReturnType<typeof uploadTarget>> }>('CreateUploadSlotPayload').implement({
  description: 'A new upload slot.',
  fields: (t) => ({ slot: t.field({ type: UploadSlotRef, description: 'Where and how to upload.', resolve: (p) => p.slot }) }),
});

const FilePayload = (name: string, description: string) =>
  builder.objectRef<{ file: ReadyFile }>(name).implement({
    description,
    fields: (t) => ({ file: t.field({ type: StoredFileRef, description: 'The stored file.', resolve: (p) => p.file }) }),
  });
const UploadFilePayload = FilePayload('UploadFilePayload', 'The uploaded file, stored.');
const ForwardFilePayload = FilePayload('ForwardFilePayload', 'The file, as usable in the target conversation.');

/** A multipart file's bytes (yoga's ponyfill streams are async-iterable, not Node's own web streams). */
async function* chunksOf(file: File): AsyncIterable<Buffer> {
  for await (const chunk of file.stream() as unknown as AsyncIterable<Uint8Array>) yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

const FILE_ERRORS = [InvalidInputError, NotFoundError, ForbiddenError, AuthenticationError];

builder.mutationFields((t) => ({
  createUploadSlot: t.field({
    type: CreateUploadSlotPayload,
    description: 'Opens an upload slot: the viewer may then upload one file for the purpose named (streamed, up to the limit of its kind).',
    authScopes: { signedIn: true },
    errors: { types: FILE_ERRORS, union: { name: 'CreateUploadSlotResult', description: 'A new upload slot, or why not.' } },
    args: { input: t.arg({ type: CreateUploadSlotInput, required: true, description: 'What the upload is for.' }) },
    resolve: async (_root, { input }, ctx) => {
      const slot = await createUploadSlot(ctx.deps, ctx.viewer, await slotRequest(input, ctx));
      return { slot: await uploadTarget(ctx.deps, ctx.urls, slot.ref, slot.expiresAt) };
    },
  }),
  uploadFile: t.field({
    type: UploadFilePayload,
    description: 'Uploads a file in the request itself (GraphQL multipart request spec). The type is detected from the bytes.',
    authScopes: { signedIn: true },
    errors: { types: FILE_ERRORS, union: { name: 'UploadFileResult', description: 'The stored file, or why not.' } },
    args: { input: t.arg({ type: UploadFileInput, required: true, description: 'The file and what it is for.' }) },
    resolve: async (_root, { input }, ctx) => {
      const file = await uploadFile(ctx.deps, ctx.viewer, await slotRequest(input, ctx), { stream: chunksOf(input.file), filename: input.file.name });
      return { file };
    },
  }),
  forwardFile: t.field({
    type: ForwardFilePayload,
    description: 'Makes a file the viewer can open usable in another conversation they may send to, without copying its bytes.',
    authScopes: { signedIn: true },
    errors: { types: FILE_ERRORS, union: { name: 'ForwardFileResult', description: 'The forwarded file, or why not.' } },
    args: { input: t.arg({ type: ForwardFileInput, required: true, description: 'The file and where to.' }) },
    resolve: async (_root, { input }, ctx) => ({
      file: await forwardFile(ctx.deps, ctx.viewer, input.reference, await targetFrom(input.conversation, ctx)),
    }),
  }),
}));

builder.queryFields((t) => ({
  file: t.field({
    type: StoredFileRef,
    nullable: true,
    description: 'A file by its reference, if the viewer may open it; null otherwise (unknown, expired, forged, or not theirs to see).',
    authScopes: { signedIn: true },
    args: { reference: t.arg.string({ required: true, description: 'A `StoredFile.reference` or download URL.' }) },
    resolve: async (_root, { reference }, { deps, viewer }) => {
      if (viewer.kind === 'anonymous') return null;
      try {
        const { refId } = await verifyReference(deps.db, viewer.appId, reference, 'd', 'reference');
        const found = await findReadyFile(deps.db, viewer.appId, refId);
        await requireReadable(deps, viewer, found.ref);
        return found;
      } catch (error) {
        if (error instanceof DomainError) return null;
        throw error;
      }
    },
  }),
}));

// What points at files.

builder.objectFields(MessageRef, (t) => ({
  file: t.field({
    type: StoredFileRef,
    nullable: true,
    description: 'The file an IMAGE, AUDIO, VIDEO or FILE message carries; null for other messages, recalled ones, and files sent as foreign URLs.',
    resolve: async (m, _a, { loaders }) => (m.fileRefId === null || m.recalledAt !== null ? null : ((await loaders.file.load(m.fileRefId)) ?? null)),
  }),
}));

builder.objectFields(GroupFileRef, (t) => ({
  file: t.field({
    type: StoredFileRef,
    nullable: true,
    description: 'The stored bytes; null for files listed before uploads were stored here.',
    resolve: async (g, _a, { loaders }) => (g.fileRefId === null ? null : ((await loaders.file.load(g.fileRefId)) ?? null)),
  }),
  url: t.string({
    description: 'Downloads the file (a fresh signed URL).',
    resolve: async (g, _a, ctx) => {
      const found = g.fileRefId === null ? undefined : await ctx.loaders.file.load(g.fileRefId);
      return found ? downloadUrl(ctx.deps, ctx.urls, found.ref) : g.url;
    },
  }),
}));

/** Avatars stored here are served by /file/download/avatar, which also makes thumbnails. */
const thumbnailOf = (avatar: string | null | undefined) =>
  avatar && /\/file\/download\/avatar\?(.*&)?object_name=/.test(avatar) ? `${avatar}&image_type=2` : null;

builder.objectFields(UserRef, (t) => ({
  avatarThumbnailUrl: t.string({
    nullable: true,
    description: 'A thumbnail of the avatar when it is stored here (uploaded with purpose USER_AVATAR); null otherwise.',
    resolve: (u) => thumbnailOf(u.avatar),
  }),
}));

builder.objectFields(GroupRef, (t) => ({
  avatarThumbnailUrl: t.string({
    nullable: true,
    description: 'A thumbnail of the avatar when it is stored here (uploaded with purpose GROUP_AVATAR); null otherwise.',
    resolve: (g) => thumbnailOf(g.avatar),
  }),
}));
