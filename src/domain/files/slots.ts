import { z } from 'zod';
import { FILE_PURPOSE, fileRefs } from '../../db/schema/index.js';
import { CONVERSATION } from '../messages/vocabulary.js';
import type { Deps } from '../deps.js';
import { InvalidInputError } from '../errors.js';
import { actOn } from '../groups/access.js';
import type { Target } from '../messages/model.js';
import { checkTarget, senderOf } from '../messages/send.js';
import { entityId, parseInput } from '../validation.js';
import { requireUser, type Viewer } from '../viewer.js';
import { groupSeq } from './access.js';
import { CHAT_FILE_TYPES, SHARED_FILE_TYPES, chatScope, type FileRef, type Purpose } from './model.js';

export type SlotPurpose = 'CHAT' | 'GROUP_SHARED' | 'USER_AVATAR' | 'GROUP_AVATAR';

export interface SlotRequest {
  purpose: SlotPurpose;
  /** Chat files 100–104, shared files 200–203; avatars take none. */
  fileType?: number;
  /** Chat files: the conversation they are for. */
  to?: Target;
  /** Shared files and group avatars: the group. */
  groupId?: string | number;
}

export interface UploadSlot {
  ref: FileRef;
  expiresAt: Date;
}

const typeIn = (types: readonly number[], what: string) =>
  z.number({ error: `must be one of ${types.join(', ')} for ${what}` }).refine((t) => types.includes(t), `must be one of ${types.join(', ')} for ${what}`);

/**
 * Opens an upload slot: an empty reference that takes bytes until FILE_SLOT_TTL_SECONDS pass.
 * Who may open one depends on what it is for: a chat file, for a conversation the viewer may
 * send to; a shared file, for a group they are a member of; their own avatar; the avatar of a
 * group they administer.
 */
export async function createUploadSlot(deps: Deps, viewer: Viewer, request: SlotRequest): Promise<UploadSlot> {
  const expiresAt = new Date(Date.now() + deps.config.files.slotTtlSeconds * 1000);
  const values = await slotValues(deps, viewer, request);
  const [ref] = await deps.db
    .insert(fileRefs)
    .values({ ...values, expiresAt })
    .returning();
  return { ref: ref!, expiresAt };
}

async function slotValues(deps: Deps, viewer: Viewer, request: SlotRequest) {
  switch (request.purpose) {
    case 'CHAT': {
      const fileType = parseInput(typeIn(CHAT_FILE_TYPES, 'chat files'), request.fileType, 'fileType');
      if (!request.to) throw new InvalidInputError('conversation', 'name the conversation the file is for');
      const target = { kind: request.to.kind, id: parseInput(entityId, request.to.id, 'conversation.id') } as Target;
      const sender = await senderOf(deps, viewer, undefined);
      await checkTarget(deps, sender, target);
      const scopeSeq = target.kind === CONVERSATION.GROUP ? await groupSeq(deps, sender.appId, target.id) : 0;
      return refValues(sender.appId, FILE_PURPOSE.CHAT, fileType, sender.userId, { ...chatScope(sender.userId, target), scopeSeq });
    }
    case 'GROUP_SHARED': {
      const fileType = parseInput(typeIn(SHARED_FILE_TYPES, 'shared files'), request.fileType, 'fileType');
      const { group, actor } = await actOn(deps.db, viewer, request.groupId ?? '', 'MEMBER');
      return refValues(group.appId, FILE_PURPOSE.GROUP_SHARED, fileType, actor.userId, groupScope(group.id));
    }
    case 'USER_AVATAR': {
      const me = requireUser(viewer);
      return refValues(me.appId, FILE_PURPOSE.USER_AVATAR, 0, me.userId, { scopeKind: CONVERSATION.DIRECT, scopeLow: me.userId, scopeHigh: null });
    }
    case 'GROUP_AVATAR': {
      const { group, actor } = await actOn(deps.db, viewer, request.groupId ?? '', 'ADMIN');
      return refValues(group.appId, FILE_PURPOSE.GROUP_AVATAR, 0, actor.userId, groupScope(group.id));
    }
  }
}

const groupScope = (groupId: number) => ({ scopeKind: CONVERSATION.GROUP, scopeLow: groupId, scopeHigh: null });

const refValues = (
  appId: string,
  purpose: Purpose,
  fileType: number,
  ownerId: number | null,
  scope: { scopeKind: number; scopeLow: number; scopeHigh: number | null; scopeSeq?: number },
) => ({ appId, purpose, fileType, ownerId, ...scope });
