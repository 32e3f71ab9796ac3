import { and, asc, eq, gt, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import { accessTokens, devices } from '../../db/schema/index.js';
import type { Deps } from '../deps.js';
import { NotFoundError } from '../errors.js';
import { transaction } from '../transactions.js';
import { countRows } from '../paging.js';
import { parseInput } from '../validation.js';
import { requireUser, type Viewer } from '../viewer.js';
import { endSessions } from './tokens.js';

export type Device = typeof devices.$inferSelect;

const deviceSn = z.number({ error: 'must be a device number' }).int('must be a device number').positive('must be a device number');

/** The viewer's devices by device_sn, `limit` after the device numbered `after`. */
export async function listDevices(deps: Deps, viewer: Viewer, page: { after?: number; limit: number }): Promise<Device[]> {
  const { userId } = requireUser(viewer);
  return deps.db
    .select()
    .from(devices)
    .where(and(eq(devices.userId, userId), page.after === undefined ? undefined : gt(devices.deviceSn, page.after)))
    .orderBy(asc(devices.deviceSn))
    .limit(page.limit);
}

/** How many devices the viewer has. */
export async function countDevices(deps: Deps, viewer: Viewer): Promise<number> {
  const { userId } = requireUser(viewer);
  return countRows(deps.db, devices, eq(devices.userId, userId));
}

async function requireDevice(deps: Deps, userId: number, sn: number): Promise<Device> {
  const [device] = await deps.db
    .select()
    .from(devices)
    .where(and(eq(devices.userId, userId), eq(devices.deviceSn, sn)));
  if (!device) throw new NotFoundError('DEVICE_NOT_FOUND', `device ${sn} does not exist`);
  return device;
}

/** Forgets a device of the viewer: its tokens stop working and its connections close. */
export async function removeDevice(deps: Deps, viewer: Viewer, sn: number): Promise<boolean> {
  const { appId, userId } = requireUser(viewer);
  const device = await requireDevice(deps, userId, parseInput(deviceSn, sn, 'deviceSn'));
  await transaction(deps.db, async (tx) => {
    await endSessions(deps, appId, userId, eq(accessTokens.deviceId, device.id), 'DEVICE_REMOVED', tx);
    await tx.delete(devices).where(eq(devices.id, device.id));
  });
  return true;
}

/**
 * Signs a device of the viewer out (it must log in again), or, without a device number, every
 * session of the viewer but the one asking. Answers how many sessions ended.
 */
export async function kickDevices(deps: Deps, viewer: Viewer, sn?: number): Promise<number> {
  const user = requireUser(viewer);
  if (sn === undefined) {
    const others = user.viaAdmin ? sql`true` : ne(accessTokens.id, user.tokenId);
    return endSessions(deps, user.appId, user.userId, others, 'DEVICE_KICKED');
  }
  const device = await requireDevice(deps, user.userId, parseInput(deviceSn, sn, 'deviceSn'));
  return endSessions(deps, user.appId, user.userId, eq(accessTokens.deviceId, device.id), 'DEVICE_KICKED');
}

const bindInput = z.object({
  deviceSn,
  deviceToken: z.string().min(1, 'must not be empty').max(512, 'must be at most 512 characters'),
  notifierName: z.string().max(64, 'must be at most 64 characters').optional(),
});

/**
 * Binds a push token to a device of the viewer. A push token names a physical device, so it is
 * taken from any other device of the app that had it: a phone that changes hands stops
 * receiving the previous user's notifications.
 */
export async function bindPushToken(deps: Deps, viewer: Viewer, input: z.input<typeof bindInput>): Promise<Device> {
  const { appId, userId } = requireUser(viewer);
  const { deviceSn: sn, deviceToken, notifierName } = parseInput(bindInput, input);
  const device = await requireDevice(deps, userId, sn);
  return transaction(deps.db, async (tx) => {
    await tx
      .update(devices)
      .set({ pushToken: null, notifierName: null })
      .where(and(eq(devices.appId, appId), eq(devices.pushToken, deviceToken), ne(devices.id, device.id)));
    const [bound] = await tx
      .update(devices)
      .set({ pushToken: deviceToken, notifierName: notifierName ?? null })
      .where(eq(devices.id, device.id))
      .returning();
    return bound!;
  });
}

/** Removes the push token of a device of the viewer; answers the device as it is now. */
export async function unbindPushToken(deps: Deps, viewer: Viewer, sn: number): Promise<Device> {
  const { userId } = requireUser(viewer);
  const device = await requireDevice(deps, userId, parseInput(deviceSn, sn, 'deviceSn'));
  const [unbound] = await deps.db.update(devices).set({ pushToken: null, notifierName: null }).where(eq(devices.id, device.id)).returning();
  return unbound!;
}
