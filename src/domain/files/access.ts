import { and, eq, sql } from 'drizzle-orm';
import { FILE_PURPOSE, conversationMembers, conversations, messages } from '../../db/schema/index.js';
import { CONVERSATION } from '../messages/vocabulary.js';
import type { Deps } from '../deps.js';
import { AuthenticationError, ForbiddenError } from '../errors.js';
import { findMember } from '../groups/access.js';
import type { Viewer } from '../viewer.js';
import { isAvatar, type FileRef } from './model.js';

/**
 * May the viewer open the bytes of a reference? Avatars: anyone of the app. Shared files: the
 * group's members. Chat files: the two users of a 1:1 conversation; in a group, its members,
 * except that a later joiner without visible history sees only files shared after they joined
 * (or carried by a message they can see). App admins may open any file of their app. The
 * reference was looked up in the viewer's app already: other apps' references never get here.
 */
export async function requireReadable(deps: Deps, viewer: Viewer, ref: FileRef): Promise<void> {
  if (viewer.kind === 'anonymous') throw new AuthenticationError('TOKEN_MISSING', 'an access token is required');
  if (viewer.appId !== ref.appId) throw refused();
  if (viewer.kind === 'admin' || isAvatar(ref)) return;
  if (ref.purpose === FILE_PURPOSE.GROUP_SHARED) {
    if (await findMember(deps.db, ref.scopeLow, viewer.userId)) return;
    throw refused();
  }
  if (ref.scopeKind === CONVERSATION.DIRECT) {
    if (viewer.userId === ref.scopeLow || viewer.userId === ref.scopeHigh) return;
    throw refused();
  }
  if (await seesInGroup(deps, viewer.userId, ref)) return;
  throw refused();
}

async function seesInGroup(deps: Deps, userId: number, ref: FileRef): Promise<boolean> {
  const [row] = await deps.db
    .select({
      joinedSeq: conversationMembers.joinedSeq,
      // A message the member can see carries it (a file uploaded before they joined, sent after).
      carried: sql<boolean>`exists (select 1 from ${messages} m where m.file_ref_id = ${ref.id}
        and m.conversation_id = ${conversations.id} and m.seq > ${conversationMembers.joinedSeq})`,
    })
    .from(conversations)
    .innerJoin(conversationMembers, and(eq(conversationMembers.conversationId, conversations.id), eq(conversationMembers.userId, userId)))
    .where(and(eq(conversations.appId, ref.appId), eq(conversations.kind, CONVERSATION.GROUP), eq(conversations.groupId, ref.scopeLow), eq(conversationMembers.active, true)));
  return row !== undefined && (ref.scopeSeq >= row.joinedSeq || row.carried);
}

const refused = () => new ForbiddenError('you may not open this file: it belongs to a conversation you are not part of');

/** The group conversation's last seq (0 before its first message): where a new reference sits in its history. */
export async function groupSeq(deps: Deps, appId: string, groupId: number): Promise<number> {
  const [row] = await deps.db
    .select({ lastSeq: conversations.lastSeq })
    .from(conversations)
    .where(and(eq(conversations.appId, appId), eq(conversations.kind, CONVERSATION.GROUP), eq(conversations.groupId, groupId)));
  return row?.lastSeq ?? 0;
}
