import { randomInt } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { apps, users } from '../../db/schema/index.js';
import type { Deps } from '../deps.js';
import { AuthenticationError, ForbiddenError, InvalidInputError, NotFoundError } from '../errors.js';
import { hmacSha1WithState } from '../signing-state.js';
import { parseInput } from '../validation.js';
import { viewerApp, type Viewer } from '../viewer.js';

/** What a signature lets its client do: log in, start a conversation, invite to or kick from one. */
export type SignatureAction = 'LOGIN' | 'START' | 'INVITE' | 'KICK';

export interface Signature {
  action: SignatureAction;
  appId: string;
  clientId: string;
  conversationId: string | null;
  /** The member ids, ascending, joined with `:`. */
  sortedMemberIds: string;
  /** Seconds since the epoch, with a fraction, as text. */
  timestamp: string;
  nonce: string;
  signature: string;
}

const part = (what: string) =>
  z
    .string()
    .min(1, 'must not be empty')
    .max(64, 'must be at most 64 characters')
    .refine((s) => !s.includes(':'), `${what} must not contain ':'`);

const signatureInput = z.object({
  action: z.enum(['LOGIN', 'START', 'INVITE', 'KICK']),
  appId: z.string().min(1, 'is required'),
  clientId: part('a client id'),
  conversationId: part('a conversation id').optional(),
  memberIds: z.array(part('a member id')).max(500, 'must have at most 500 ids').default([]),
});

/**
 * The signature of the legacy signature service (seed 002): lowercase hex HMAC-SHA1 keyed with the
 * app secret over `app_id:client_id::timestamp:nonce` (login), `app_id:client_id:sorted_member_ids:
 * timestamp:nonce` (start) or `app_id:client_id:conversation_id:sorted_member_ids:timestamp:nonce:
 * action` (invite, kick). Unlike the original, it signs only for the client id's own user (a
 * client id is a username, or a user id when all digits) or an app admin.
 */
export async function signConversationAction(deps: Deps, viewer: Viewer, raw: z.input<typeof signatureInput>): Promise<Signature> {
  const appId = viewerApp(viewer);
  const input = parseInput(signatureInput, raw);
  if (input.appId !== appId) throw new AuthenticationError('TOKEN_INVALID', `the credentials are not of app ${input.appId}`);
  if ((input.action === 'INVITE' || input.action === 'KICK') && !input.conversationId) {
    throw new InvalidInputError('conversationId', 'is required to invite or kick');
  }
  const userId = await userOfClientId(deps, appId, input.clientId);
  if (userId === undefined) throw new NotFoundError('USER_NOT_FOUND', `no user has client id ${input.clientId}`);
  if (viewer.kind === 'user' && viewer.userId !== userId) throw new ForbiddenError('a client signs only for its own client id');

  const [app] = await deps.db.select({ state: apps.signatureState }).from(apps).where(eq(apps.id, appId));
  if (!app?.state) throw new ForbiddenError('signatures need the app secret once: mint an admin token (createAdminToken) first');
  const sortedMemberIds = input.action === 'LOGIN' ? '' : [...input.memberIds].sort().join(':');
  const timestamp = (Date.now() / 1000).toFixed(6);
  const nonce = Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  const conversationId = input.conversationId ?? null;
  const fields =
    input.action === 'LOGIN'
      ? [appId, input.clientId, '', timestamp, nonce]
      : input.action === 'START'
        ? [appId, input.clientId, sortedMemberIds, timestamp, nonce]
        : [appId, input.clientId, conversationId!, sortedMemberIds, timestamp, nonce, input.action.toLowerCase()];
  const signature = hmacSha1WithState(app.state, fields.join(':'));
  return { action: input.action, appId, clientId: input.clientId, conversationId, sortedMemberIds, timestamp, nonce, signature };
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** The user a client id names: a username, or (all digits, which no username is) a user id. */
async function userOfClientId(deps: Deps, appId: string, clientId: string): Promise<number | undefined> {
  const where = /^\d{1,16}$/.test(clientId) ? eq(users.id, Number(clientId)) : eq(users.username, clientId);
  const [row] = await deps.db.select({ id: users.id }).from(users).where(and(eq(users.appId, appId), where));
  return row?.id;
}
