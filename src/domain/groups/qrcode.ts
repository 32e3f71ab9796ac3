import { z } from 'zod';
import type { Deps } from '../deps.js';
import { ForbiddenError, InvalidInputError } from '../errors.js';
import { seal, unseal } from '../keys.js';
import { transaction } from '../transactions.js';
import { requireUser, type Viewer } from '../viewer.js';
import { actOn, atLeast, findGroup, findMember, roleOf, type Group } from './access.js';
import { admitOne } from './admission.js';

const PURPOSE = 'group-qr';

export interface GroupQrCode {
  qrInfo: string;
  createdAt: Date;
  expiresAt: Date;
}

/** What a QR code says: the group, who signed it (null: an app admin), and when it was made and expires (ms). */
const payload = z.object({ g: z.number().int(), u: z.number().int().nullable(), c: z.number().int(), e: z.number().int() });
type Payload = z.infer<typeof payload>;

/**
 * A QR code that lets whoever scans it into the group until it expires: `<payload>.<HMAC>`, both
 * base64url, signed with the app's own key. Those who may invite may make one.
 */
export async function signGroupQrCode(deps: Deps, viewer: Viewer, groupId: string | number): Promise<GroupQrCode> {
  const { group, actor } = await actOn(deps.db, viewer, groupId, 'MEMBER');
  requireInviter(group, actor.role);
  const createdAt = new Date();
  const expiresAt = new Date(createdAt.getTime() + deps.config.groups.qrTtlSeconds * 1000);
  const code = { g: group.id, u: actor.userId, c: createdAt.getTime(), e: expiresAt.getTime() } satisfies Payload;
  return { qrInfo: await seal(deps.db, group.appId, PURPOSE, code), createdAt, expiresAt };
}

function requireInviter(group: Group, role: ReturnType<typeof roleOf>) {
  if (!atLeast(role, 'ADMIN') && !group.memberInvite) {
    throw new ForbiddenError('only admins may invite to this group (member_invite is off)', 'NEEDS_GROUP_ADMIN');
  }
}

/**
 * The viewer joins the group of a QR code: it must be genuine (QR_CODE_INVALID), unexpired
 * (QR_CODE_EXPIRED), and its signer must still be able to invite.
 */
export async function joinByQrCode(deps: Deps, viewer: Viewer, qrInfo: string): Promise<Group> {
  const { appId, userId } = requireUser(viewer);
  const code = await verify(deps, appId, qrInfo);
  return transaction(deps.db, async (tx) => {
    const group = await findGroup(tx, appId, code.g, { lock: true });
    if (code.u !== null) {
      const signer = roleOf(group, await findMember(tx, group.id, code.u));
      if (signer === null || (!atLeast(signer, 'ADMIN') && !group.memberInvite)) throw invalid('its signer can no longer invite to the group');
    }
    await admitOne(deps, tx, group, userId);
    return group;
  });
}

async function verify(deps: Deps, appId: string, qrInfo: string): Promise<Payload> {
  const sealed = await unseal(deps.db, appId, PURPOSE, qrInfo);
  if (sealed === undefined) throw invalid('is not a genuine QR code of this app');
  const parsed = payload.safeParse(sealed);
  if (!parsed.success) throw invalid('is not a group QR code');
  if (parsed.data.e <= Date.now()) throw new InvalidInputError('qrInfo', 'this QR code has expired', 'QR_CODE_EXPIRED');
  return parsed.data;
}

const invalid = (why: string) => new InvalidInputError('qrInfo', why, 'QR_CODE_INVALID');

