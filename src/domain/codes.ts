/**
 * Closed sets of small integer codes the domain stores (they are the legacy dialect's numbers),
 * each by the name GraphQL gives it. GraphQL enums map these names to the numbers, so resolvers
 * and the domain keep numbers; REST dialects map numbers to names and back with `codeName` and
 * `codeOf`. Each entry is [number, description].
 */
export const PLATFORM = {
  UNKNOWN: [0, 'Not said by the client.'],
  IOS: [1, 'iOS.'],
  ANDROID: [2, 'Android.'],
  WINDOWS: [3, 'Windows.'],
  MACOS: [4, 'macOS.'],
  LINUX: [5, 'Linux.'],
  WEB: [6, 'A web browser.'],
} as const;

export const AUTH_MODE = {
  ANYONE: [0, 'Anyone may add the user as a friend at once.'],
  APPROVAL: [1, 'Friend requests wait for the user to accept them.'],
  QUESTION: [2, "Friend requests must carry the answer to the user's question."],
  NOBODY: [3, 'Every friend request is refused.'],
} as const;

export const GROUP_APPLICATION_POLICY = {
  ACCEPT_ALL: [0, 'Applications are accepted at once.'],
  ADMIN_APPROVAL: [1, 'An admin accepts or declines each application.'],
  REFUSE_ALL: [2, 'The group takes no applications.'],
} as const;

export const GROUP_MUTE_MODE = {
  NORMAL: [0, 'Messages arrive and notify.'],
  NO_NOTIFICATION: [1, 'Messages arrive without a notification.'],
  BLOCKED: [2, 'Messages of the group are not delivered to this member.'],
} as const;

export const GROUP_PUSH_MODE = {
  ALL: [0, 'Push every message.'],
  NONE: [1, 'Push nothing.'],
  ADMINS_AND_MENTIONS: [2, "Push admins' messages and messages that mention the member."],
  ADMINS: [3, "Push admins' messages only."],
  MENTIONS: [4, 'Push messages that mention the member only.'],
} as const;

export const GROUP_TYPE = {
  PRIVATE: [0, 'Members join only by invitation (or QR code).'],
  PUBLIC: [1, 'Listed in publicGroups; users may apply to join.'],
  CHATROOM: [2, 'A chatroom: users may apply to join; it is not listed.'],
} as const;

export const REQUEST_STATUS_CODES = {
  PENDING: [0, 'Waiting for an answer (see `expired`).'],
  ACCEPTED: [1, 'Accepted.'],
  DECLINED: [2, 'Declined.'],
} as const;

export type CodeTable = Readonly<Record<string, readonly [number, string]>>;

/** The name of a code (undefined when it is not one of the table's). */
export function codeName(table: CodeTable, code: number): string | undefined {
  return Object.entries(table).find(([, [value]]) => value === code)?.[0];
}

/** The number of a name (undefined when it is not one of the table's). */
export function codeOf(table: CodeTable, name: string): number | undefined {
  return Object.hasOwn(table, name) ? table[name]![0] : undefined;
}
