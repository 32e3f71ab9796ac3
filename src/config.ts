import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const port = z.coerce.number().int().min(0).max(65535);
const seconds = z.coerce.number().int().min(1);
const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === '' ? undefined : v));

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: port.default(4000),
    HOST: z.string().min(1).default('0.0.0.0'),
    DATA_DIR: z.string().min(1).default('./data'),
    DATABASE_URL: optionalText.pipe(
      z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' }).optional(),
    ),
    REDIS_URL: optionalText.pipe(z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional()),
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
    TOKEN_TTL_SECONDS: seconds.default(7 * 24 * 3600),
    ADMIN_TOKEN_TTL_SECONDS: seconds.default(24 * 3600),
    IM_BOOTSTRAP_APP_ID: optionalText,
    IM_BOOTSTRAP_APP_SECRET: optionalText,
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
    PRESENCE_TTL_SECONDS: seconds.default(60),
    FRIEND_REQUEST_TTL_SECONDS: seconds.default(7 * 24 * 3600),
    MESSAGE_RECALL_SECONDS: seconds.default(120),
    LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(10),
    LOGIN_LOCKOUT_SECONDS: seconds.default(900),
    GROUP_CAPACITY: z.coerce.number().int().min(2).max(1_000_000).default(2000),
    GROUP_OWNED_LIMIT: z.coerce.number().int().min(1).default(100),
    GROUP_JOINED_LIMIT: z.coerce.number().int().min(1).default(1000),
    GROUP_ADMIN_LIMIT: z.coerce.number().int().min(1).default(20),
    GROUP_REQUEST_TTL_SECONDS: seconds.default(7 * 24 * 3600),
    GROUP_QR_TTL_SECONDS: seconds.default(7 * 24 * 3600),
    MESSAGE_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
    MESSAGE_BATCH_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(0),
    STREAM_BUFFER: z.coerce.number().int().min(1).max(100_000).default(1000),
    WORKERS: z.coerce.number().int().min(1).max(64).default(1),
  })
  .refine((env) => (env.IM_BOOTSTRAP_APP_ID === undefined) === (env.IM_BOOTSTRAP_APP_SECRET === undefined), {
    path: ['IM_BOOTSTRAP_APP_SECRET'],
    message: 'IM_BOOTSTRAP_APP_ID and IM_BOOTSTRAP_APP_SECRET must be set together',
  })
  .refine((env) => env.WORKERS === 1 || env.DATABASE_URL !== undefined, {
    path: ['WORKERS'],
    message: 'more than one worker needs DATABASE_URL: the embedded database belongs to one process',
  })
  .refine((env) => env.WORKERS === 1 || env.REDIS_URL !== undefined, {
    path: ['WORKERS'],
    message: 'more than one worker needs REDIS_URL: workers hear each other\'s events through Redis',
  });

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  logLevel: (typeof LOG_LEVELS)[number];
  tokenTtlSeconds: number;
  adminTokenTtlSeconds: number;
  bootstrapApp: { appId: string; appSecret: string } | undefined;
  shutdownTimeoutMs: number;
  /** A connection whose server has not refreshed it for this long no longer makes its user online. */
  presenceTtlSeconds: number;
  /** How long a friend request waits for an answer. */
  friendRequestTtlSeconds: number;
  /** How long a sender may recall their message (group admins may recall any time). */
  messageRecallSeconds: number;
  /** Failed logins (per login name, or app secret attempts per app) allowed per lockout window. */
  loginMaxFailures: number;
  loginLockoutSeconds: number;
  groups: GroupLimits;
  messages: MessageSettings;
  /** Server processes sharing the port (node:cluster); more than one needs PostgreSQL and Redis. */
  workers: number;
}

export interface MessageSettings {
  /** Most messages committed in one transaction (group commit). */
  batchSize: number;
  /** How long an idle writer waits for more sends before it writes a batch; 0 writes at once. */
  batchDelayMs: number;
  /** Events a live stream holds for a slow consumer; one more ends the stream (RESYNC_REQUIRED). */
  streamBuffer: number;
}

export interface GroupLimits {
  /** Members a new group may hold. */
  capacity: number;
  /** Groups one user may own. */
  ownedLimit: number;
  /** Groups one user may belong to. */
  joinedLimit: number;
  /** Admins one group may have, besides its owner. */
  adminLimit: number;
  /** How long an application or invitation can be answered. */
  requestTtlSeconds: number;
  /** How long a group QR code lets people in. */
  qrTtlSeconds: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates the environment; a bad value throws a ConfigError naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    logLevel: e.LOG_LEVEL,
    tokenTtlSeconds: e.TOKEN_TTL_SECONDS,
    adminTokenTtlSeconds: e.ADMIN_TOKEN_TTL_SECONDS,
    bootstrapApp:
      e.IM_BOOTSTRAP_APP_ID && e.IM_BOOTSTRAP_APP_SECRET
        ? { appId: e.IM_BOOTSTRAP_APP_ID, appSecret: e.IM_BOOTSTRAP_APP_SECRET }
        : undefined,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    presenceTtlSeconds: e.PRESENCE_TTL_SECONDS,
    friendRequestTtlSeconds: e.FRIEND_REQUEST_TTL_SECONDS,
    messageRecallSeconds: e.MESSAGE_RECALL_SECONDS,
    loginMaxFailures: e.LOGIN_MAX_FAILURES,
    loginLockoutSeconds: e.LOGIN_LOCKOUT_SECONDS,
    groups: {
      capacity: e.GROUP_CAPACITY,
      ownedLimit: e.GROUP_OWNED_LIMIT,
      joinedLimit: e.GROUP_JOINED_LIMIT,
      adminLimit: e.GROUP_ADMIN_LIMIT,
      requestTtlSeconds: e.GROUP_REQUEST_TTL_SECONDS,
      qrTtlSeconds: e.GROUP_QR_TTL_SECONDS,
    },
    messages: { batchSize: e.MESSAGE_BATCH_SIZE, batchDelayMs: e.MESSAGE_BATCH_DELAY_MS, streamBuffer: e.STREAM_BUFFER },
    workers: e.WORKERS,
  };
}
