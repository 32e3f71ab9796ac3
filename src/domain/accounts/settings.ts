import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { userSettings } from '../../db/schema/index.js';
import { userKey } from '../../realtime/events.js';
import type { Deps } from '../deps.js';
import { InvalidInputError } from '../errors.js';
import * as v from '../validation.js';
import { parseInput } from '../validation.js';
import { requireUser, type Viewer } from '../viewer.js';
import type { UserSettings } from './users.js';

const SECONDS_PER_DAY = 86_400;
const timeOfDay = z
  .number({ error: 'must be seconds of the day, 0–86399' })
  .int('must be seconds of the day, 0–86399')
  .min(0, 'must be seconds of the day, 0–86399')
  .max(SECONDS_PER_DAY - 1, 'must be seconds of the day, 0–86399');

const settingsInput = z.object({
  authMode: z.number().int().min(0, 'must be 0 to 3').max(3, 'must be 0 to 3').optional(),
  authQuestion: z.string().max(256, 'must be at most 256 characters').optional(),
  authAnswer: z.string().max(256, 'must be at most 256 characters').optional(),
  autoDownload: z.boolean().optional(),
  groupConfirm: z.boolean().optional(),
  noPush: z.boolean().optional(),
  noPushDetail: z.boolean().optional(),
  noPushStartHour: v.hour.optional(),
  noPushEndHour: v.hour.optional(),
  silenceStartTime: timeOfDay.optional(),
  silenceEndTime: timeOfDay.optional(),
  noSounds: z.boolean().optional(),
  vibratory: z.boolean().optional(),
  pushNickName: z.string().max(64, 'must be at most 64 characters').optional(),
});
export type SettingsInput = z.input<typeof settingsInput>;

/**
 * Changes some of the viewer's settings (absent fields stay) and tells the user's other devices.
 * Every single-setting route and the whole-settings routes come through here.
 */
export async function updateSettings(deps: Deps, viewer: Viewer, input: SettingsInput): Promise<UserSettings> {
  const { appId, userId } = requireUser(viewer);
  const changes = parseInput(settingsInput, input);
  if (Object.values(changes).every((value) => value === undefined)) {
    throw new InvalidInputError('input', 'names no setting to change');
  }
  const [settings] = await deps.db
    .update(userSettings)
    .set({ ...changes, updatedAt: new Date() })
    .where(eq(userSettings.userId, userId))
    .returning();
  deps.events.publish('user', userKey(appId, userId), { type: 'SETTINGS_CHANGED', at: Date.now() });
  return settings!;
}
