import { join } from 'node:path';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const port = z.coerce.number().int().min(0).max(65535);
const seconds = z.coerce.number().int().min(1);
const points = z.coerce.number().int().min(1);
const MiB = 1024 * 1024;
const bytes = z.coerce.number().int().min(1);
const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
/** A comma-separated list of media types; `*` allows any. */
const mimeList = z
  .string()
  .transform((v) => v.split(',').map((t) => t.trim().toLowerCase()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^(\*|[a-z0-9.+-]+\/[a-z0-9.+-]+)$/, 'must be media types like image/png, comma-separated, or *')).min(1));
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });
function validTimeZone(zone: string) {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
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
    WS_MAX_PAYLOAD_BYTES: bytes.default(MiB),
    ACTION_LOGIN_TIMEOUT_MS: z.coerce.number().int().min(50).max(600_000).default(10_000),
    MAX_LIVE_CONNECTIONS: z.coerce.number().int().min(1).default(50_000),
    MAX_LIVE_CONNECTIONS_PER_USER: z.coerce.number().int().min(1).default(32),
    MAX_SUBSCRIPTIONS_PER_CONNECTION: z.coerce.number().int().min(1).default(100),
    HEADERS_TIMEOUT_SECONDS: seconds.default(10),
    BODY_TIMEOUT_SECONDS: seconds.default(30),
    CORS_ORIGINS: z
      .string()
      .transform((v) => v.split(',').map((o) => o.trim()).filter(Boolean))
      .pipe(z.array(z.union([z.literal('*'), z.url({ protocol: /^https?$/, error: 'must be origins like https://app.example.com, comma-separated, or *' })])))
      .default([]),
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
    PRESENCE_TTL_SECONDS: seconds.default(60),
    FRIEND_REQUEST_TTL_SECONDS: seconds.default(7 * 24 * 3600),
    MESSAGE_RECALL_SECONDS: seconds.default(120),
    LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(10),
    LOGIN_LOCKOUT_SECONDS: seconds.default(900),
    LOGIN_ADDRESS_MAX_FAILURES: z.coerce.number().int().min(1).default(100),
    LOGIN_ADDRESS_WINDOW_SECONDS: seconds.default(60),
    REDIS_CHANNEL_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9:_-]{0,64}$/, 'must be up to 64 letters, digits, colons, dashes or underscores')
      .default(''),
    RATE_LIMIT_PREFIX: z.string().regex(/^[A-Za-z0-9:_-]{1,64}$/, 'must be 1-64 letters, digits, colons, dashes or underscores').default('im'),
    RATE_LIMIT_SENDS: points.default(50),
    RATE_LIMIT_SENDS_SECONDS: seconds.default(1),
    RATE_LIMIT_READS: points.default(3000),
    RATE_LIMIT_READS_SECONDS: seconds.default(60),
    RATE_LIMIT_REGISTRATIONS_PER_ADDRESS: points.default(100),
    RATE_LIMIT_REGISTRATIONS_PER_APP: points.default(10_000),
    RATE_LIMIT_REGISTRATIONS_SECONDS: seconds.default(3600),
    RATE_LIMIT_LOGINS_PER_ADDRESS: points.default(300),
    RATE_LIMIT_LOGINS_PER_APP: points.default(6000),
    RATE_LIMIT_LOGINS_SECONDS: seconds.default(60),
    RATE_LIMIT_ADMIN: points.default(200),
    RATE_LIMIT_ADMIN_SECONDS: seconds.default(1),
    // The REST dialects' own documents cost up to 12,875 (a page of 1,000 blocked users).
    GRAPHQL_MAX_COST: z.coerce.number().int().min(13_000, 'must be at least 13000: the REST dialects\' own documents cost up to 12875').default(20_000),
    GRAPHQL_MAX_DEPTH: points.default(15),
    GRAPHQL_MAX_ALIASES: points.default(30),
    GRAPHQL_MAX_TOKENS: points.default(5000),
    TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
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
    PUBLIC_URL: optionalText.pipe(z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional()),
    FILE_STORAGE: z.enum(['local', 's3']).default('local'),
    FILES_DIR: optionalText,
    S3_ENDPOINT: optionalText.pipe(z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional()),
    S3_BUCKET: optionalText,
    S3_REGION: z.string().min(1).default('us-east-1'),
    S3_ACCESS_KEY_ID: optionalText,
    S3_SECRET_ACCESS_KEY: optionalText,
    S3_FORCE_PATH_STYLE: flag.default(false),
    FILE_SLOT_TTL_SECONDS: seconds.default(3600),
    FILE_URL_TTL_SECONDS: seconds.default(24 * 3600),
    FILE_SWEEP_INTERVAL_SECONDS: seconds.default(300),
    UPLOAD_MAX_BYTES_FILE: bytes.default(256 * MiB),
    UPLOAD_MAX_BYTES_IMAGE: bytes.default(20 * MiB),
    UPLOAD_MAX_BYTES_VOICE: bytes.default(20 * MiB),
    UPLOAD_MAX_BYTES_VIDEO: bytes.default(256 * MiB),
    UPLOAD_MAX_BYTES_AVATAR: bytes.default(5 * MiB),
    UPLOAD_TYPES_FILE: mimeList.default(['*']),
    UPLOAD_TYPES_IMAGE: mimeList.default(['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/heic', 'image/heif', 'image/avif']),
    UPLOAD_TYPES_VOICE: mimeList.default(['audio/amr', 'audio/mpeg']),
    UPLOAD_TYPES_VIDEO: mimeList.default(['video/mp4', 'video/quicktime', 'video/webm', 'video/x-matroska', 'video/3gpp']),
    UPLOAD_TYPES_AVATAR: mimeList.default(['image/jpeg', 'image/png', 'image/webp', 'image/gif']),
    GRAPHQL_UPLOAD_MAX_BYTES: bytes.default(16 * MiB),
    FFMPEG_PATH: z.string().min(1).default('ffmpeg'),
    FFPROBE_PATH: z.string().min(1).default('ffprobe'),
    METRICS_TOKEN: optionalText,
    RETENTION_SWEEP_INTERVAL_SECONDS: seconds.default(3600),
    METRICS_PORT: port.min(1).optional(),
    OTEL_EXPORTER_OTLP_ENDPOINT: optionalText.pipe(httpUrl.optional()),
    OTEL_EXPORTER_OTLP_HEADERS: optionalText.pipe(
      z
        .string()
        .regex(/^\s*[^=,\s]+\s*=[^,]*(,\s*[^=,\s]+\s*=[^,]*)*$/, 'must be key=value pairs, comma-separated')
        .optional(),
    ),
    OTEL_SERVICE_NAME: z.string().min(1).default('im-server'),
    PERSISTED_OPERATIONS: optionalText,
    PUSH_WORKER: z
      .enum(['inline', 'process', 'off', 'true', 'false', '1', '0'])
      .transform((v) => (v === 'true' || v === '1' ? 'inline' : v === 'false' || v === '0' ? 'off' : v))
      .optional(),
    PUSH_WORKER_NICE: z.coerce.number().int().min(0).max(19).default(10),
    PUSH_SECRET_KEY: optionalText.pipe(
      z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'must be 32 random bytes in base64 (openssl rand -base64 32)').optional(),
    ),
    PUSH_TIMEZONE: z.string().refine(validTimeZone, 'must be an IANA time zone such as UTC or Asia/Shanghai').default('UTC'),
    PUSH_APNS_URL: httpUrl.default('https://api.push.apple.com'),
    PUSH_APNS_SANDBOX_URL: httpUrl.default('https://api.sandbox.push.apple.com'),
    PUSH_FCM_URL: httpUrl.default('https://fcm.googleapis.com'),
    PUSH_FCM_TOKEN_URL: optionalText.pipe(httpUrl.optional()),
    PUSH_CA_FILE: optionalText,
    PUSH_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
    PUSH_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
    PUSH_LEASE_SECONDS: seconds.default(60),
    PUSH_POLL_MS: z.coerce.number().int().min(10).max(600_000).default(1000),
    PUSH_RETRY_BASE_MS: z.coerce.number().int().min(1).max(3_600_000).default(2000),
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
  })
  .refine((env) => env.PUSH_WORKER !== 'process' || (env.DATABASE_URL !== undefined && env.REDIS_URL !== undefined), {
    path: ['PUSH_WORKER'],
    message: 'a push worker process needs DATABASE_URL and REDIS_URL: the embedded database belongs to one process, and in-app notifications reach subscribers through Redis',
  })
  .refine((env) => env.PUSH_LEASE_SECONDS * 1000 >= 4 * env.PUSH_TIMEOUT_MS, {
    // A send may take a token exchange and one retry with a fresh token: four requests.
    path: ['PUSH_LEASE_SECONDS'],
    message: 'must be at least 4 × PUSH_TIMEOUT_MS: a delivery still being sent must not be taken again',
  })
  .refine((env) => env.FILE_STORAGE !== 's3' || env.S3_BUCKET !== undefined, {
    path: ['S3_BUCKET'],
    message: 'is required when FILE_STORAGE is s3',
  })
  .refine((env) => (env.S3_ACCESS_KEY_ID === undefined) === (env.S3_SECRET_ACCESS_KEY === undefined), {
    path: ['S3_SECRET_ACCESS_KEY'],
    message: 'S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be set together',
  });

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  /**
   * Put before every event-bus channel on Redis: deployments (or test runs) that share one Redis
   * keep their events apart; every process of one deployment sets the same.
   */
  redisChannelPrefix: string;
  logLevel: (typeof LOG_LEVELS)[number];
  tokenTtlSeconds: number;
  adminTokenTtlSeconds: number;
  bootstrapApp: { appId: string; appSecret: string } | undefined;
  shutdownTimeoutMs: number;
  /** Largest WebSocket frame (message) a client may send; a larger one closes the socket with 1009. */
  wsMaxPayloadBytes: number;
  /** A socket of the action protocol (`/action/ws`) that has not logged in by then is closed with 4401. */
  actionLoginTimeoutMs: number;
  /** Bounds on live connections (graphql-ws sockets and SSE streams) of this process. */
  live: LiveLimits;
  /** Slow clients: headers must arrive within `headersSeconds`, a body within `bodySeconds` (uploads: no gap longer). */
  timeouts: { headersSeconds: number; bodySeconds: number };
  /** Origins (besides the server's own) whose browser pages may call the API; `*` allows any, without credentials. */
  corsOrigins: string[];
  /** A connection whose server has not refreshed it for this long no longer makes its user online. */
  presenceTtlSeconds: number;
  /** How long a friend request waits for an answer. */
  friendRequestTtlSeconds: number;
  /** How long a sender may recall their message (group admins may recall any time). */
  messageRecallSeconds: number;
  /** Failed logins of one account (or wrong secrets of one app) from one client address allowed per lockout window. */
  loginMaxFailures: number;
  loginLockoutSeconds: number;
  /** Failed password and secret checks one client address may cause per window, across accounts. */
  loginAddressMaxFailures: number;
  loginAddressWindowSeconds: number;
  /** Request budgets (see domain/limits.ts); shared by every process through Redis when REDIS_URL is set. */
  rateLimits: RateLimitSettings;
  /** What one GraphQL document may ask (graphql-armor); generous for real clients, GraphiQL's introspection included. */
  graphqlLimits: GraphQLLimits;
  /** Reverse proxies in front of the server: the client address is read this many hops back in X-Forwarded-For. */
  trustProxyHops: number;
  groups: GroupLimits;
  messages: MessageSettings;
  /** Server processes sharing the port (node:cluster); more than one needs PostgreSQL and Redis. */
  workers: number;
  files: FileSettings;
  /** `GET /metrics`: behind a bearer token when one is set; on a port of its own when one is set. */
  metrics: { token: string | undefined; port: number | undefined };
  /** How often messages past their app's retention are deleted. */
  retentionSweepIntervalSeconds: number;
  /** OpenTelemetry traces over OTLP/HTTP (JSON), when OTEL_EXPORTER_OTLP_ENDPOINT is set (src/tracing.ts). */
  tracing: TracingSettings | undefined;
  /**
   * A persisted-operations manifest (JSON: `{ "<sha256 of the document>": "<document>" }`): when set,
   * only the documents it lists are run (src/graphql/persisted.ts).
   */
  persistedOperations: string | undefined;
  push: PushSettings;
}

export interface TracingSettings {
  /** Where spans are posted: the endpoint's `/v1/traces`. */
  tracesUrl: string;
  /** Sent with every export (OTEL_EXPORTER_OTLP_HEADERS, `key=value,...`): a collector's API key, say. */
  headers: Record<string, string>;
  serviceName: string;
}

export interface LiveLimits {
  /** graphql-ws sockets and SSE streams open at once, all users together. */
  maxConnections: number;
  /** Sockets and streams of one user (of one app's admin tokens, for admins) at once. */
  maxConnectionsPerUser: number;
  /** Operations one graphql-ws socket may run at once (subscriptions, mostly). */
  maxSubscriptionsPerConnection: number;
}

export interface GraphQLLimits {
  /**
   * graphql-armor's cost: 1 a scalar, 2 an object, ×1.5 a level deeper, ×`first`/`last` when they
   * are literals. The server's own documents cost at most 12,875 (a page of 1,000 blocked users).
   */
  maxCost: number;
  maxDepth: number;
  maxAliases: number;
  /** Tokens (names, punctuation, values) of a document. */
  maxTokens: number;
}

/** `points` requests per `seconds`, per key (a user, an app, a client address). */
export interface Budget {
  points: number;
  seconds: number;
}

export interface RateLimitSettings {
  /** Namespace of the counters in Redis, so that deployments (or test runs) sharing one Redis keep their own. */
  prefix: string;
  /** Messages a user sends (one per target). */
  sends: Budget;
  /** Expensive reads a user makes: history pages, conversation lists, user and group searches. */
  reads: Budget;
  /** Registrations (registerUser, registerPushUser) per client address and per app. */
  registrationsPerAddress: Budget;
  registrationsPerApp: Budget;
  /** Login attempts (user passwords and app secrets), successful or not, per client address and per app. */
  loginsPerAddress: Budget;
  loginsPerApp: Budget;
  /** Operations made with an admin token, per app. */
  admin: Budget;
}

export interface PushSettings {
  /**
   * Who drains the push outbox for this server process: its own event loop (`inline`, the
   * default), a child process at a lower CPU priority (`process`: needs DATABASE_URL and
   * REDIS_URL; not yet the default, see docs/architecture.md), or nobody (`off`: another process does).
   */
  worker: 'inline' | 'process' | 'off';
  /**
   * The worker process's nice value (0-19), set once it has started: 10 gives the send path the
   * CPU first while the worker still gets about a tenth of it when everything else is busy (at
   * 19 it got next to nothing, and a saturated machine would starve pushes outright).
   */
  workerNice: number;
  /** Base64 AES-256 key for credentials at rest; when absent one is generated into DATA_DIR. */
  secretKey: string | undefined;
  /** Where DND hours and silence times are read (users have no time zone of their own yet). */
  timeZone: string;
  urls: { apns: string; apnsSandbox: string; fcm: string; fcmToken: string | undefined };
  /** Extra trusted CA certificates (PEM file) for provider connections: private gateways and tests. */
  caFile: string | undefined;
  timeoutMs: number;
  maxAttempts: number;
  /** How long a claimed delivery is someone's; a process that died mid-send loses it after this. */
  leaseSeconds: number;
  pollMs: number;
  /** The first retry's delay; each further one doubles it (at most an hour). */
  retryBaseMs: number;
}

export interface MessageSettings {
  /** Most messages committed in one transaction (group commit). */
  batchSize: number;
  /** How long an idle writer waits for more sends before it writes a batch; 0 writes at once. */
  batchDelayMs: number;
  /** Events a live stream holds for a slow consumer; one more ends the stream (RESYNC_REQUIRED). */
  streamBuffer: number;
}

/** What one kind of upload may be. */
export interface UploadLimit {
  maxBytes: number;
  /** Media types detected from the bytes; `*` allows anything. */
  types: string[];
}

export type UploadKind = 'file' | 'image' | 'voice' | 'video' | 'avatar';

export interface FileSettings {
  /** Base of the upload and download URLs handed out; by default the request's own host. */
  publicUrl: string | undefined;
  storage:
    | { kind: 'local'; dir: string }
    | {
        kind: 's3';
        endpoint: string | undefined;
        bucket: string;
        region: string;
        credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
        forcePathStyle: boolean;
      };
  /** How long an upload slot takes bytes. */
  slotTtlSeconds: number;
  /** How long a signed download URL works. */
  urlTtlSeconds: number;
  sweepIntervalSeconds: number;
  limits: Record<UploadKind, UploadLimit>;
  /** GraphQL multipart uploads are held in memory by yoga: they are bounded by this. */
  graphqlUploadMaxBytes: number;
  ffmpegPath: string;
  ffprobePath: string;
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
    redisChannelPrefix: e.REDIS_CHANNEL_PREFIX,
    logLevel: e.LOG_LEVEL,
    tokenTtlSeconds: e.TOKEN_TTL_SECONDS,
    adminTokenTtlSeconds: e.ADMIN_TOKEN_TTL_SECONDS,
    bootstrapApp:
      e.IM_BOOTSTRAP_APP_ID && e.IM_BOOTSTRAP_APP_SECRET
        ? { appId: e.IM_BOOTSTRAP_APP_ID, appSecret: e.IM_BOOTSTRAP_APP_SECRET }
        : undefined,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    wsMaxPayloadBytes: e.WS_MAX_PAYLOAD_BYTES,
    actionLoginTimeoutMs: e.ACTION_LOGIN_TIMEOUT_MS,
    live: {
      maxConnections: e.MAX_LIVE_CONNECTIONS,
      maxConnectionsPerUser: e.MAX_LIVE_CONNECTIONS_PER_USER,
      maxSubscriptionsPerConnection: e.MAX_SUBSCRIPTIONS_PER_CONNECTION,
    },
    timeouts: { headersSeconds: e.HEADERS_TIMEOUT_SECONDS, bodySeconds: e.BODY_TIMEOUT_SECONDS },
    corsOrigins: e.CORS_ORIGINS.map((o) => (o === '*' ? o : new URL(o).origin)),
    presenceTtlSeconds: e.PRESENCE_TTL_SECONDS,
    friendRequestTtlSeconds: e.FRIEND_REQUEST_TTL_SECONDS,
    messageRecallSeconds: e.MESSAGE_RECALL_SECONDS,
    loginMaxFailures: e.LOGIN_MAX_FAILURES,
    loginLockoutSeconds: e.LOGIN_LOCKOUT_SECONDS,
    loginAddressMaxFailures: e.LOGIN_ADDRESS_MAX_FAILURES,
    loginAddressWindowSeconds: e.LOGIN_ADDRESS_WINDOW_SECONDS,
    trustProxyHops: e.TRUST_PROXY_HOPS,
    graphqlLimits: { maxCost: e.GRAPHQL_MAX_COST, maxDepth: e.GRAPHQL_MAX_DEPTH, maxAliases: e.GRAPHQL_MAX_ALIASES, maxTokens: e.GRAPHQL_MAX_TOKENS },
    rateLimits: {
      prefix: e.RATE_LIMIT_PREFIX,
      sends: { points: e.RATE_LIMIT_SENDS, seconds: e.RATE_LIMIT_SENDS_SECONDS },
      reads: { points: e.RATE_LIMIT_READS, seconds: e.RATE_LIMIT_READS_SECONDS },
      registrationsPerAddress: { points: e.RATE_LIMIT_REGISTRATIONS_PER_ADDRESS, seconds: e.RATE_LIMIT_REGISTRATIONS_SECONDS },
      registrationsPerApp: { points: e.RATE_LIMIT_REGISTRATIONS_PER_APP, seconds: e.RATE_LIMIT_REGISTRATIONS_SECONDS },
      loginsPerAddress: { points: e.RATE_LIMIT_LOGINS_PER_ADDRESS, seconds: e.RATE_LIMIT_LOGINS_SECONDS },
      loginsPerApp: { points: e.RATE_LIMIT_LOGINS_PER_APP, seconds: e.RATE_LIMIT_LOGINS_SECONDS },
      admin: { points: e.RATE_LIMIT_ADMIN, seconds: e.RATE_LIMIT_ADMIN_SECONDS },
    },
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
    metrics: { token: e.METRICS_TOKEN, port: e.METRICS_PORT },
    retentionSweepIntervalSeconds: e.RETENTION_SWEEP_INTERVAL_SECONDS,
    tracing: e.OTEL_EXPORTER_OTLP_ENDPOINT
      ? {
          tracesUrl: `${e.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`,
          headers: parseHeaders(e.OTEL_EXPORTER_OTLP_HEADERS),
          serviceName: e.OTEL_SERVICE_NAME,
        }
      : undefined,
    persistedOperations: e.PERSISTED_OPERATIONS,
    files: {
      publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
      storage:
        e.FILE_STORAGE === 's3'
          ? {
              kind: 's3',
              endpoint: e.S3_ENDPOINT,
              bucket: e.S3_BUCKET!,
              region: e.S3_REGION,
              credentials:
                e.S3_ACCESS_KEY_ID && e.S3_SECRET_ACCESS_KEY
                  ? { accessKeyId: e.S3_ACCESS_KEY_ID, secretAccessKey: e.S3_SECRET_ACCESS_KEY }
                  : undefined,
              forcePathStyle: e.S3_FORCE_PATH_STYLE,
            }
          : { kind: 'local', dir: e.FILES_DIR ?? defaultFilesDir(e.DATA_DIR) },
      slotTtlSeconds: e.FILE_SLOT_TTL_SECONDS,
      urlTtlSeconds: e.FILE_URL_TTL_SECONDS,
      sweepIntervalSeconds: e.FILE_SWEEP_INTERVAL_SECONDS,
      limits: {
        file: { maxBytes: e.UPLOAD_MAX_BYTES_FILE, types: e.UPLOAD_TYPES_FILE },
        image: { maxBytes: e.UPLOAD_MAX_BYTES_IMAGE, types: e.UPLOAD_TYPES_IMAGE },
        voice: { maxBytes: e.UPLOAD_MAX_BYTES_VOICE, types: e.UPLOAD_TYPES_VOICE },
        video: { maxBytes: e.UPLOAD_MAX_BYTES_VIDEO, types: e.UPLOAD_TYPES_VIDEO },
        avatar: { maxBytes: e.UPLOAD_MAX_BYTES_AVATAR, types: e.UPLOAD_TYPES_AVATAR },
      },
      graphqlUploadMaxBytes: e.GRAPHQL_UPLOAD_MAX_BYTES,
      ffmpegPath: e.FFMPEG_PATH,
      ffprobePath: e.FFPROBE_PATH,
    },
    push: {
      worker: e.PUSH_WORKER ?? 'inline',
      workerNice: e.PUSH_WORKER_NICE,
      secretKey: e.PUSH_SECRET_KEY,
      timeZone: e.PUSH_TIMEZONE,
      urls: {
        apns: e.PUSH_APNS_URL.replace(/\/+$/, ''),
        apnsSandbox: e.PUSH_APNS_SANDBOX_URL.replace(/\/+$/, ''),
        fcm: e.PUSH_FCM_URL.replace(/\/+$/, ''),
        fcmToken: e.PUSH_FCM_TOKEN_URL,
      },
      caFile: e.PUSH_CA_FILE,
      timeoutMs: e.PUSH_TIMEOUT_MS,
      maxAttempts: e.PUSH_MAX_ATTEMPTS,
      leaseSeconds: e.PUSH_LEASE_SECONDS,
      pollMs: e.PUSH_POLL_MS,
      retryBaseMs: e.PUSH_RETRY_BASE_MS,
    },
  };
}

/** `key=value,key2=value2` (values percent-encoded, as OpenTelemetry's settings have them). */
function parseHeaders(text: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of text?.split(',') ?? []) {
    const at = pair.indexOf('=');
    const value = pair.slice(at + 1).trim();
    try {
      headers[pair.slice(0, at).trim()] = decodeURIComponent(value);
    } catch {
      headers[pair.slice(0, at).trim()] = value;
    }
  }
  return headers;
}

/** Files live beside the database, in DATA_DIR/files (DATA_DIR holds only them in PostgreSQL mode). */
function defaultFilesDir(dataDir: string) {
  return dataDir.startsWith('memory://') ? './files' : join(dataDir, 'files');
}
