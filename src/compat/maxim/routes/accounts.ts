import { str, type Params } from '../params.js';
import { AUTH_MODE } from '../../../domain/codes.js';
import { codeNumber } from '../params.js';
import { id, type Json, type Route, type RouteHeaders } from './types.js';

export const SETTINGS_FIELDS = `authMode authQuestion authAnswer autoDownload groupConfirm noPush noPushDetail
  noPushStartHour noPushEndHour silenceStartTime silenceEndTime noSounds vibratory pushNickName`;

export const settingsData = (userId: string, s: Json) => ({
  id: id(userId),
  user_id: id(userId),
  auth_mode: codeNumber(AUTH_MODE, s.authMode),
  auth_question: s.authQuestion,
  auth_answer: s.authAnswer,
  auto_download: s.autoDownload,
  group_confirm: s.groupConfirm,
  no_push: s.noPush,
  no_push_detail: s.noPushDetail,
  no_push_start_hour: s.noPushStartHour,
  no_push_end_hour: s.noPushEndHour,
  silence_start_time: s.silenceStartTime,
  silence_end_time: s.silenceEndTime,
  no_sounds: s.noSounds,
  vibratory: s.vibratory,
  push_nick_name: s.pushNickName,
});

const registrationData = (r: Json) => settingsData(r.user.id, r.settings);

const tokenData = ({ accessToken: t }: Json) => ({
  token: t.token,
  user_id: id(t.userId),
  expire: t.expiresAt,
  push_token: t.pushToken,
  device_sn: t.deviceSn,
  encrypt_type: 0,
});

const LOGIN = `mutation Login($appId: ID!, $input: CreateAccessTokenInput!) {
  result: createAccessToken(appId: $appId, input: $input) {
    ...Failure
    ... on CreateAccessTokenPayload { accessToken { token userId expiresAt pushToken deviceSn } }
  }
}`;

const REGISTER = `mutation Register($appId: ID!, $input: RegisterUserInput!) {
  result: registerUser(appId: $appId, input: $input) {
    ...Failure
    ... on RegisterUserPayload { user { id } settings { ${SETTINGS_FIELDS} } }
  }
}`;

const loginVariables = (login: Json) => (p: Params, h: RouteHeaders) => ({
  appId: h.appId ?? '',
  input: { ...login, password: str(p, 'password') ?? '', deviceGuid: str(p, 'device_guid') },
});

/** Chapter 5 (tokens), the registration routes of chapter 3 (3.46–3.49), and admin tokens. */
export const accountRoutes: Route[] = [
  // Chapter 5: tokens.
  {
    methods: ['POST'],
    path: '/token/user',
    document: LOGIN,
    variables: (p, h) => loginVariables({ username: str(p, 'name') ?? str(p, 'username') ?? '' })(p, h),
    data: tokenData,
  },
  {
    methods: ['POST'],
    path: '/token/id',
    document: LOGIN,
    variables: (p, h) => loginVariables({ userId: str(p, 'user_id') ?? '' })(p, h),
    data: tokenData,
  },
  {
    methods: ['POST'],
    path: '/token/login',
    document: LOGIN,
    variables: (p, h) => loginVariables({ loginName: str(p, 'login_name') ?? '' })(p, h),
    data: tokenData,
  },
  // Not in the document: admin tokens from the app secret (see docs/compat-maxim.md).
  {
    methods: ['POST'],
    path: '/app/token',
    document: `mutation AdminToken($appId: ID!, $appSecret: String!) {
      result: createAdminToken(appId: $appId, appSecret: $appSecret) { ...Failure ... on CreateAdminTokenPayload { adminToken { token expiresAt } } }
    }`,
    variables: (p, h) => ({ appId: str(p, 'app_id') ?? h.appId ?? '', appSecret: str(p, 'app_secret') ?? '' }),
    data: ({ adminToken: t }: Json) => ({ token: t.token, expire: t.expiresAt }),
  },

  // Chapter 3: registration (3.46–3.49).
  {
    methods: ['POST'],
    path: '/user/register',
    document: REGISTER,
    // verification_code is accepted and ignored: this server sends no SMS or email codes.
    variables: (p, h) => ({
      appId: h.appId ?? '',
      input: {
        username: str(p, 'username') ?? '',
        password: str(p, 'password') ?? '',
        mobile: str(p, 'mobile'),
        email: str(p, 'email'),
      },
    }),
    data: registrationData,
  },
  {
    methods: ['POST'],
    path: '/user/register/v2',
    document: REGISTER,
    variables: (p, h) => ({
      appId: h.appId ?? '',
      input: { username: str(p, 'username') ?? '', password: str(p, 'password') ?? '' },
    }),
    data: registrationData,
  },
  {
    methods: ['POST'],
    path: '/user/register/push',
    document: `mutation RegisterPush($appId: ID!, $input: RegisterPushUserInput!) {
      result: registerPushUser(appId: $appId, input: $input) {
        ...Failure
        ... on RegisterPushUserPayload { user { id } settings { ${SETTINGS_FIELDS} } }
      }
    }`,
    variables: (p, h) => ({
      appId: h.appId ?? '',
      input: {
        username: str(p, 'username') ?? '',
        password: str(p, 'password') ?? '',
        deviceGuid: str(p, 'device_guid') ?? '',
        pushToken: str(p, 'push_token'),
        alias: str(p, 'alias'),
      },
    }),
    data: registrationData,
  },
  {
    methods: ['POST'],
    path: '/user/register/batch',
    document: `mutation RegisterBatch($input: [RegisterUserInput!]!) {
      result: registerUsers(input: $input) {
        ...Failure
        ... on RegisterUsersPayload { outcomes { username success userId reason } }
      }
    }`,
    variables: (p) => {
      const list = Array.isArray(p.fields['list']) ? p.fields['list'] : Array.isArray(p.body) ? p.body : [];
      return {
        input: list.map((item: Json) => ({
          username: String(item?.username ?? ''),
          password: String(item?.password ?? ''),
        })),
      };
    },
    data: (r: Json) =>
      r.outcomes.map((item: Json) => ({
        user_id: id(item.userId),
        username: item.username,
        success: item.success,
        reason: item.reason,
      })),
  },
];

