import { eq, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import { accessTokens, users } from '../../db/schema/index.js';
import type { Deps } from '../deps.js';
import { AuthenticationError } from '../errors.js';
import { hashPassword, verifyPassword } from '../secrets.js';
import { transaction } from '../transactions.js';
import * as v from '../validation.js';
import { parseInput } from '../validation.js';
import { requireUser, type Viewer } from '../viewer.js';
import { endSessions } from './tokens.js';
import { getUser } from './users.js';

const changeInput = z.object({
  oldPassword: z.string({ error: 'is required' }).min(1, 'is required'),
  newPassword: v.password,
});

/**
 * Changes the viewer's password after checking the old one, and signs out every other session:
 * whoever knew the old password loses access.
 */
export async function changePassword(deps: Deps, viewer: Viewer, input: z.input<typeof changeInput>): Promise<boolean> {
  const user = requireUser(viewer);
  const { oldPassword, newPassword } = parseInput(changeInput, input);
  const current = await getUser(deps.db, user.appId, user.userId);
  if (!(await verifyPassword(current.passwordHash, oldPassword))) {
    throw new AuthenticationError('BAD_CREDENTIALS', 'the old password is wrong');
  }
  const passwordHash = await hashPassword(newPassword);
  await transaction(deps.db, async (tx) => {
    await tx.update(users).set({ passwordHash, updatedAt: new Date() }).where(eq(users.id, user.userId));
    const others = user.viaAdmin ? sql`true` : ne(accessTokens.id, user.tokenId);
    await endSessions(deps, user.appId, user.userId, others, 'PASSWORD_CHANGED', tx);
  });
  return true;
}
