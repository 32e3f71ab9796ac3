import { int, str, type Params } from '../params.js';
import type { Json, Route, RouteHeaders } from './types.js';

// Chapter 9 of the document: upload slots and forwarding. Each route runs one GraphQL mutation of
// src/graphql/schema/file.ts. The downloads (9.1, 9.2) and the upload itself carry bytes, not
// JSON: src/files/http.ts serves them.

const FILE_TYPES: Record<number, string> = {
  100: 'FILE',
  101: 'VOICE_AMR',
  102: 'IMAGE',
  103: 'VIDEO',
  104: 'VOICE_MP3',
  200: 'SHARED_FILE',
  201: 'SHARED_VOICE',
  202: 'SHARED_IMAGE',
  203: 'SHARED_VIDEO',
};

const SLOT = `mutation Slot($input: CreateUploadSlotInput!) {
  result: createUploadSlot(input: $input) { ...Failure ... on CreateUploadSlotPayload { slot { uploadUrl formFields downloadUrl } } }
}`;

/** The document's answer: where to upload, the form fields to send first, and where the file will be. */
const slotData = (value: Json) => ({
  upload_url: value.slot.uploadUrl,
  download_url: value.slot.downloadUrl,
  oss_body_param: value.slot.formFields,
});

/** `to_type` 1 user, 2 group; an id passed as is for GraphQL to check. */
const conversation = (p: Params) => {
  const toType = int(p, 'to_type');
  const toId = str(p, 'to_id') ?? '';
  return toType === 2 ? { groupId: toId } : toType === 1 ? { userId: toId } : { id: toId };
};

const enumOf = (table: Record<number, string>, value: unknown) => (typeof value === 'number' ? (table[value] ?? String(value)) : value);

export const fileRoutes: Route[] = [
  {
    methods: ['GET'],
    path: '/file/upload/chat',
    document: SLOT,
    variables: (p) => {
      const fileType = int(p, 'file_type');
      // 200–203 are files shared in the group named by to_id; 100–104 chat files of the conversation.
      const shared = typeof fileType === 'number' && fileType >= 200;
      return {
        input: shared
          ? { purpose: 'GROUP_FILE', fileType: enumOf(FILE_TYPES, fileType), groupId: str(p, 'to_id') ?? '' }
          : { purpose: 'CHAT_FILE', fileType: enumOf(FILE_TYPES, fileType ?? 100), conversation: conversation(p) },
      };
    },
    data: slotData,
  },
  {
    methods: ['GET'],
    path: '/file/upload/avatar/user',
    document: SLOT,
    variables: () => ({ input: { purpose: 'USER_AVATAR' } }),
    data: slotData,
  },
  {
    methods: ['GET'],
    path: '/file/upload/avatar/group',
    document: SLOT,
    variables: (p: Params, h: RouteHeaders) => ({ input: { purpose: 'GROUP_AVATAR', groupId: str(p, 'group_id') ?? h.groupId ?? '' } }),
    data: slotData,
  },
  {
    methods: ['GET'],
    path: '/file/upload/forward',
    document: `mutation Forward($input: ForwardFileInput!) {
      result: forwardFile(input: $input) { ...Failure ... on ForwardFilePayload { file { url } } }
    }`,
    variables: (p) => ({ input: { reference: str(p, 'file_sign') ?? '', conversation: conversation(p) } }),
    data: (value: Json) => value.file.url,
  },
];
