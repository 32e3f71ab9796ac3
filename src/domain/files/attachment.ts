import { FILE_PURPOSE } from '../../db/schema/index.js';
import { CONTENT_TYPES } from '../messages/vocabulary.js';
import type { Deps } from '../deps.js';
import { ForbiddenError, InvalidInputError } from '../errors.js';
import type { Target } from '../messages/model.js';
import type { Sender } from '../messages/send.js';
import { chatScope, findReadyFile, verifyReference, type FileRef } from './model.js';

/** Message content types that carry a file, with the media types each takes (FILE: any). */
const CARRIERS: Record<number, string | null> = {
  [CONTENT_TYPES.indexOf('IMAGE')]: 'image/',
  [CONTENT_TYPES.indexOf('AUDIO')]: 'audio/',
  [CONTENT_TYPES.indexOf('VIDEO')]: 'video/',
  [CONTENT_TYPES.indexOf('FILE')]: null,
};

/**
 * The file reference a message to `target` may carry, checked before anything is sent: a
 * genuine, unexpired reference of the sender's app, with its bytes, made for this very
 * conversation (a chat file uploaded or forwarded to it, or a file shared in the group), and of
 * a type the content type promises. Answers the reference id to store, or null without a file.
 */
export async function checkAttachment(
  deps: Deps,
  sender: Sender,
  target: Target,
  input: { contentType: number; file?: string },
): Promise<number | null> {
  if (input.file === undefined) return null;
  if (!(input.contentType in CARRIERS)) throw new InvalidInputError('file', 'only IMAGE, AUDIO, VIDEO and FILE messages carry a file');
  const { refId } = await verifyReference(deps.db, sender.appId, input.file, 'd', 'file');
  const { ref, file } = await findReadyFile(deps.db, sender.appId, refId);
  if (!usableIn(ref, sender.userId, target)) {
    throw new ForbiddenError('this file belongs to another conversation: forward it to this one first (forwardFile)', 'FILE_NOT_IN_CONVERSATION');
  }
  const expected = CARRIERS[input.contentType];
  if (expected && !file.mimeType.startsWith(expected)) {
    throw new InvalidInputError('file', `a ${CONTENT_TYPES[input.contentType]} message needs a ${expected.slice(0, -1)} file; this one is ${file.mimeType}`);
  }
  return ref.id;
}

function usableIn(ref: FileRef, userId: number | null, target: Target): boolean {
  const scope = chatScope(userId, target);
  if (ref.purpose === FILE_PURPOSE.GROUP_SHARED) return scope.scopeKind === ref.scopeKind && ref.scopeLow === target.id;
  return ref.purpose === FILE_PURPOSE.CHAT && ref.scopeKind === scope.scopeKind && ref.scopeLow === scope.scopeLow && ref.scopeHigh === scope.scopeHigh;
}
