import { AUTH_MODE, PLATFORM } from '../../../domain/codes.js';
import { bool, code, codeNumber, idText, int, list, str, type Params } from '../params.js';
import { SETTINGS_FIELDS, settingsData } from './accounts.js';
import { done, id, yes, type Json, type Route } from './types.js';

// Chapter 3 of the document: the viewer's profile, settings, devices and push state, and the
// admin's user management. Registration (3.46–3.49) is in accounts.ts.

const UPDATE_SETTINGS = `mutation Settings($input: UpdateSettingsInput!) {
  result: updateSettings(input: $input) { ...Failure ... on UpdateSettingsPayload { settings { authMode } } }
}`;

const UPDATE_PROFILE = `mutation Profile($input: UpdateProfileInput!) {
  result: updateProfile(input: $input) { ...Failure ... on UpdateProfilePayload { user { id } } }
}`;

const UPDATE_PROFILES = `mutation Profiles($input: [UserProfileInput!]!) {
  result: updateProfiles(input: $input) { ...Failure ... on UpdateProfilesPayload { outcomes { userId success reason } } }
}`;

const twins = ['POST', 'PUT'] as const;

/** A route that changes some settings: `input` picks them from the parameters. */
const settingRoute = (path: string, input: (p: Params) => Json): Route => ({
  methods: [...twins],
  path,
  document: UPDATE_SETTINGS,
  variables: (p) => ({ input: input(p) }),
  data: () => true,
});

/** A route that changes some profile fields of the viewer. */
const profileRoute = (path: string, input: (p: Params) => Json): Route => ({
  methods: [...twins],
  path,
  document: UPDATE_PROFILE,
  variables: (p) => ({ input: input(p) }),
  data: () => true,
});

const batchItems = (value: Json) =>
  value.outcomes.map((item: Json) => ({ user_id: id(item.userId), success: item.success, reason: item.reason }));

const profileItems = (p: Params, pick: (item: Json) => Json) =>
  (list(p, 'list') ?? (Array.isArray(p.body) ? p.body : [])).map((item: Json) => ({
    userId: String(item?.user_id ?? ''),
    ...pick(item ?? {}),
  }));

/** A Boolean mutation of the viewer, its arguments taken from the parameters. */
const booleanRoute = (
  methods: Route['methods'],
  path: string,
  field: string,
  signature: string,
  args: string,
  variables: (p: Params) => Json,
): Route => {
  return {
    methods,
    path,
    document: `mutation Op${signature} { result: ${field}${args} { ...Failure ${done(field)} } }`,
    variables,
    data: yes,
  };
};

const optionalString = (value: unknown) => (value === undefined || value === null ? undefined : String(value));

export const userRoutes: Route[] = [
  // Settings, one at a time (3.1–3.2, 3.13–3.14, 3.32–3.33, 3.36–3.41, 3.53–3.54, 3.61–3.62) and whole (3.50–3.52).
  settingRoute('/user/authmode', (p) => ({ authMode: code(p, 'value', AUTH_MODE) })),
  settingRoute('/user/download', (p) => ({ autoDownload: bool(p, 'value') })),
  settingRoute('/user/push', (p) => ({ noPush: bool(p, 'value') })),
  settingRoute('/user/push/detail', (p) => ({ noPushDetail: bool(p, 'value') })),
  settingRoute('/user/push/nickname', (p) => ({ pushNickName: str(p, 'value') ?? '' })),
  settingRoute('/user/push/limit', (p) => ({
    noPushStartHour: int(p, 'no_push_start_hour'),
    noPushEndHour: int(p, 'no_push_end_hour'),
  })),
  settingRoute('/user/sounds', (p) => ({ noSounds: bool(p, 'value') })),
  settingRoute('/user/vibratory', (p) => ({ vibratory: bool(p, 'value') })),
  settingRoute('/user/settings', (p) => ({
    authMode: code(p, 'auth_mode', AUTH_MODE),
    authQuestion: str(p, 'auth_question'),
    authAnswer: str(p, 'auth_answer'),
    autoDownload: bool(p, 'auto_download'),
    groupConfirm: bool(p, 'group_confirm'),
    noPush: bool(p, 'no_push'),
    noPushDetail: bool(p, 'no_push_detail'),
    noPushStartHour: int(p, 'no_push_start_hour'),
    noPushEndHour: int(p, 'no_push_end_hour'),
    silenceStartTime: int(p, 'silence_start_time'),
    silenceEndTime: int(p, 'silence_end_time'),
    noSounds: bool(p, 'no_sounds'),
    vibratory: bool(p, 'vibratory'),
    pushNickName: str(p, 'push_nick_name'),
  })),
  {
    methods: ['GET'],
    path: '/user/settings',
    document: `query Settings {
      result: viewer { id settings { ${SETTINGS_FIELDS} } }
      devices(first: 100) { edges { node { current pushToken } } }
    }`,
    data: (viewer: Json, all: Json) => ({
      ...settingsData(viewer.id, viewer.settings),
      push_token: all.devices.edges.find((e: Json) => e.node.current)?.node.pushToken ?? null,
    }),
  },

  // Profile (3.3–3.6, 3.18–3.31, 3.59–3.60).
  profileRoute('/user/avatar', (p) => ({ avatar: str(p, 'avatar') ?? '' })),
  profileRoute('/user/mobile', (p) => ({ mobile: str(p, 'mobile') ?? '' })),
  profileRoute('/user/nickname', (p) => ({ nickName: str(p, 'nick_name') ?? '' })),
  profileRoute('/user/username', (p) => ({ username: str(p, 'username') ?? '' })),
  profileRoute('/user/private', (p) => ({ privateInfo: p.text })),
  profileRoute('/user/public', (p) => ({ publicInfo: p.text })),
  profileRoute('/user/profile', (p) => ({
    description: str(p, 'description'),
    nickName: str(p, 'nick_name'),
    privateInfo: str(p, 'private_info'),
    publicInfo: str(p, 'public_info'),
  })),
  {
    methods: ['GET'],
    path: '/user/profile',
    document: `query Profile { result: viewer { id username nickName avatar description email mobile privateInfo publicInfo } }`,
    data: (u: Json) => ({
      user_id: id(u.id),
      username: u.username,
      nick_name: u.nickName,
      avatar: u.avatar,
      description: u.description,
      email: u.email,
      mobile: u.mobile,
      private_info: u.privateInfo,
      public_info: u.publicInfo,
    }),
  },
  {
    methods: [...twins],
    path: '/user/profile/batch',
    document: UPDATE_PROFILES,
    variables: (p) => ({
      input: profileItems(p, (item) => ({
        description: optionalString(item.description),
        nickName: optionalString(item.nick_name),
        privateInfo: optionalString(item.private_info),
        publicInfo: optionalString(item.public_info),
      })),
    }),
    data: batchItems,
  },
  {
    methods: [...twins],
    path: '/user/avatar/batch',
    document: UPDATE_PROFILES,
    variables: (p) => ({ input: profileItems(p, (item) => ({ avatar: String(item.avatar ?? '') })) }),
    data: batchItems,
  },

  // Password, devices, presence (3.8–3.11, 3.16–3.17, 3.22).
  booleanRoute(['POST'], '/user/change_password', 'changePassword', '($old: String!, $new: String!)', '(oldPassword: $old, newPassword: $new)', (p) => ({
    old: str(p, 'old_password') ?? '',
    new: str(p, 'new_password') ?? '',
  })),
  {
    methods: ['GET'],
    path: '/user/device/list',
    document: `query Devices($after: String) {
      viewer { id }
      result: devices(first: 100, after: $after) {
        edges { node { deviceSn platform userAgent } }
        pageInfo { hasNextPage endCursor }
      }
    }`,
    variables: (p) => ({ after: str(p, 'cursor') }),
    data: (c: Json, all: Json) =>
      c.edges.map((e: Json) => ({
        device_sn: e.node.deviceSn,
        platform: codeNumber(PLATFORM, e.node.platform),
        user_agent: e.node.userAgent,
        user_id: id(all.viewer.id),
      })),
    extra: (c: Json) => ({ ...(c.pageInfo.hasNextPage && { cursor: c.pageInfo.endCursor }), version: 0 }),
  },
  booleanRoute(['POST', 'DELETE'], '/user/device/remove', 'removeDevice', '($sn: Int!)', '(deviceSn: $sn)', (p) => ({
    sn: int(p, 'device_sn'),
  })),
  {
    methods: [...twins],
    path: '/user/kick',
    document: `mutation Kick($sn: Int) { result: kickDevices(deviceSn: $sn) { ...Failure ${done('kickDevices')} } }`,
    variables: (p) => ({ sn: int(p, 'device_sn') }),
    data: () => true,
  },
  {
    methods: ['GET'],
    path: '/user/online_status',
    document: `query Online { result: viewer { online } }`,
    data: (u: Json) => ({ online: u.online }),
  },

  // Admin (3.12, 3.15).
  booleanRoute(['PUT'], '/user/disable', 'disableUsers', '($ids: [ID!]!)', '(userIds: $ids)', (p) => ({
    ids: (list(p, 'list') ?? (Array.isArray(p.body) ? p.body : [])).map(idText),
  })),
  booleanRoute(['PUT'], '/user/enable', 'enableUsers', '($ids: [ID!]!)', '(userIds: $ids)', (p) => ({
    ids: (list(p, 'list') ?? (Array.isArray(p.body) ? p.body : [])).map(idText),
  })),

  // Push state (3.7, 3.34–3.35, 3.42–3.45, 3.55–3.58).
  booleanRoute(['GET'], '/user/bind_openid', 'bindOpenId', '($openId: ID!, $type: String!)', '(openId: $openId, type: $type)', (p) => ({
    openId: str(p, 'open_id') ?? '',
    type: str(p, 'type') ?? '',
  })),
  booleanRoute(['POST'], '/user/push/alias', 'setPushAlias', '($alias: String!)', '(alias: $alias)', (p) => ({
    alias: str(p, 'alias') ?? '',
  })),
  booleanRoute(['POST'], '/user/push/badge', 'setPushBadge', '($badge: Int!)', '(badge: $badge)', (p) => ({
    badge: int(p, 'badge'),
  })),
  {
    methods: ['GET'],
    path: '/user/push/tag',
    document: `query Tags { result: pushTags }`,
  },
  booleanRoute(['POST'], '/user/push/tag', 'addPushTags', '($tags: [String!]!)', '(tags: $tags)', (p) => ({
    tags: list(p, 'tags') ?? [],
  })),
  booleanRoute(['DELETE'], '/user/push/tag', 'removePushTags', '($tags: [String!]!)', '(tags: $tags)', (p) => ({
    tags: list(p, 'tags') ?? [],
  })),
  booleanRoute(['DELETE'], '/user/push/tag/all', 'removePushTags', '', '', () => ({})),
  {
    methods: [...twins],
    path: '/user/token/bind',
    document: `mutation Bind($sn: Int!, $token: String!, $notifier: String) {
      result: bindPushToken(deviceSn: $sn, deviceToken: $token, notifierName: $notifier) { ...Failure ${done('bindPushToken')} }
    }`,
    variables: (p) => ({ sn: int(p, 'device_sn'), token: str(p, 'device_token') ?? '', notifier: str(p, 'notifier_name') }),
    data: () => true,
  },
  booleanRoute(['POST', 'DELETE'], '/user/token/unbind', 'unbindPushToken', '($sn: Int!)', '(deviceSn: $sn)', (p) => ({
    sn: int(p, 'deviceSn') ?? int(p, 'device_sn'),
  })),
];
