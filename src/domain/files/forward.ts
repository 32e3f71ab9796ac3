import { and, eq, isNull } from 'drizzle-orm';
import { FILE_PURPOSE, fileRefs, storedFiles } from '../../db/schema/index.js';
import { CONVERSATION } from '../messages/vocabulary.js';
import type { Deps } from '../deps.js';
import { AuthenticationError, NotFoundError } from '../errors.js';
import type { Target } from '../messages/model.js';
import { checkTarget, senderOf } from '../messages/send.js';
import { transaction } from '../transactions.js';
import { entityId, parseInput } from '../validation.js';
import type { Viewer } from '../viewer.js';
import { groupSeq, requireReadable } from './access.js';
import { chatScope, findReadyFile, verifyReference, type ReadyFile, type StoredFile } from './model.js';

/**
 * A reference to the same bytes, valid in another conversation: the viewer must be able to open
 * the file and to send to the target. Nothing is copied; the bytes now have one more reference.
 */
export async function forwardFile(deps: Deps, viewer: Viewer, reference: string, to: Target): Promise<ReadyFile> {
  if (viewer.kind === 'anonymous') throw new AuthenticationError('TOKEN_MISSING', 'an access token is required');
  const target = { kind: to.kind, id: parseInput(entityId, to.id, 'to.id') } as Target;
  const { refId } = await verifyReference(deps.db, viewer.appId, reference, 'd', 'file_sign');
  const source = await findReadyFile(deps.db, viewer.appId, refId);
  await requireReadable(deps, viewer, source.ref);
  const sender = await senderOf(deps, viewer, undefined);
  await checkTarget(deps, sender, target);
  const scopeSeq = target.kind === CONVERSATION.GROUP ? await groupSeq(deps, sender.appId, target.id) : 0;
  return transaction(deps.db, async (tx) => {
    // Holds off the release of the file's last other reference until this one exists (see releaseReferences).
    const [file] = await tx
      .select()
      .from(storedFiles)
      .where(and(eq(storedFiles.id, source.file.id), isNull(storedFiles.deletedAt)))
      .for('share');
    if (!file) throw new NotFoundError('FILE_NOT_FOUND', `file ${refId} does not exist any more`);
    const [ref] = await tx
      .insert(fileRefs)
      .values({
        appId: sender.appId,
        fileId: file.id,
        purpose: FILE_PURPOSE.CHAT,
        fileType: chatFileType(file),
        ownerId: sender.userId,
        name: source.ref.name,
        ...chatScope(sender.userId, target),
        scopeSeq,
      })
      .returning();
    return { ref: ref!, file };
  });
}

/** The chat file type (100–104) that fits the bytes. */
function chatFileType(file: StoredFile): number {
  if (file.mimeType === 'audio/amr') return 101;
  if (file.mimeType === 'audio/mpeg') return 104;
  if (file.mimeType.startsWith('image/')) return 102;
  if (file.mimeType.startsWith('video/')) return 103;
  return 100;
}
