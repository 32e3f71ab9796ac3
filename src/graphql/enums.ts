import {
  AUTH_MODE,
  GROUP_APPLICATION_POLICY,
  GROUP_MUTE_MODE,
  GROUP_PUSH_MODE,
  GROUP_TYPE,
  PLATFORM,
  REQUEST_STATUS_CODES,
  type CodeTable,
} from '../domain/codes.js';
import { builder } from './builder.js';

/** A GraphQL enum over a table of integer codes: resolvers and the domain keep the numbers. */
function codeEnum<T extends CodeTable>(name: string, description: string, table: T) {
  const values = Object.fromEntries(
    Object.entries(table).map(([key, [value, about]]) => [key, { value, description: about }]),
  ) as { [K in keyof T]: { value: T[K][0]; description: string } };
  return builder.enumType(name, { description, values });
}

export const PlatformEnum = codeEnum('Platform', 'The operating system of a client installation.', PLATFORM);
export const AuthModeEnum = codeEnum('AuthMode', 'How a user takes friend requests.', AUTH_MODE);
export const GroupApplicationPolicyEnum = codeEnum(
  'GroupApplicationPolicy',
  'What happens to applications to join a group.',
  GROUP_APPLICATION_POLICY,
);
export const GroupMuteModeEnum = codeEnum('GroupMuteMode', "How a member's devices receive a group's messages.", GROUP_MUTE_MODE);
export const GroupPushModeEnum = codeEnum('GroupPushMode', "Which of a group's messages are pushed to a member's devices.", GROUP_PUSH_MODE);
export const GroupTypeEnum = codeEnum('GroupType', 'What kind of group it is, and how users join it.', GROUP_TYPE);
export const GroupRequestStatusEnum = codeEnum(
  'GroupRequestStatus',
  'Where an application to a group, or an invitation to one, stands.',
  REQUEST_STATUS_CODES,
);

/** A stored code as a value of its enum (the domain checked it when it was stored). */
export const stored = <E extends { $inferType: unknown }>(_enum: E, code: number) => code as E['$inferType'];
