/** A recipient's push settings, as user_settings and group_members hold them. */
export interface PushPreferences {
  noPush: boolean;
  noPushDetail: boolean;
  noPushStartHour: number;
  noPushEndHour: number;
  silenceStartTime: number;
  silenceEndTime: number;
  noSounds: boolean;
}

export interface GroupPreferences {
  /** 0 all, 1 none, 2 admins and @-mentions, 3 admins only, 4 @-mentions only. */
  pushMode: number;
  /** 0 normal, 1 no notification, 2 do not receive. */
  muteMode: number;
  senderIsAdmin: boolean;
  mentioned: boolean;
}

/** Whether a message is pushed to a user, and how: not at all, without sound, or with sound. */
export type Decision = 'none' | 'silent' | 'sound';

/**
 * The rules of offline push, in one place: no_push and the group's modes decide whether; the
 * do-not-disturb hours (no_push_start_hour..no_push_end_hour) hold notifications back; silence
 * times (seconds of the day) and no_sounds keep them quiet. Equal start and end mean "no window";
 * a window may wrap past midnight. Times are read in `timeZone`.
 */
export function decide(p: PushPreferences, group: GroupPreferences | null, now: Date, timeZone: string): Decision {
  if (p.noPush) return 'none';
  if (group && !groupAllows(group)) return 'none';
  const { hour, second } = clock(now, timeZone);
  if (within(hour, p.noPushStartHour, p.noPushEndHour)) return 'none';
  if (p.noSounds || within(second, p.silenceStartTime, p.silenceEndTime)) return 'silent';
  return 'sound';
}

function groupAllows(g: GroupPreferences): boolean {
  if (g.muteMode !== 0) return false;
  switch (g.pushMode) {
    case 0:
      return true;
    case 2:
      return g.senderIsAdmin || g.mentioned;
    case 3:
      return g.senderIsAdmin;
    case 4:
      return g.mentioned;
    default:
      return false;
  }
}

/** Whether `value` is in [start, end), wrapping past the end of the day; start = end is no window. */
export function within(value: number, start: number, end: number): boolean {
  if (start === end) return false;
  return start < end ? value >= start && value < end : value >= start || value < end;
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** The hour (0–23) and second of the day at `now` in `timeZone`. */
let last: { at: number; timeZone: string; value: { hour: number; second: number } } | undefined;

export function clock(now: Date, timeZone: string): { hour: number; second: number } {
  // A fan-out asks for every recipient at the same instant: formatting once is enough.
  if (last && last.at === now.getTime() && last.timeZone === timeZone) return last.value;
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    formats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(now).map((p) => [p.type, p.value]));
  const hour = Number(parts['hour']) % 24;
  const value = { hour, second: hour * 3600 + Number(parts['minute']) * 60 + Number(parts['second']) };
  last = { at: now.getTime(), timeZone, value };
  return value;
}
