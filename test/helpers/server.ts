import { createHash, randomBytes } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { loadConfig } from '../../src/config.js';
import { createApp } from '../../src/domain/apps.js';
import { createLogger } from '../../src/logger.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { mediaTools } from './media-tools.js';

export const PASSWORD = 'correct horse';

/** Presence.heartbeat's statements (src/domain/presence.ts). */
const PRESENCE_HEARTBEAT = /^(update "connections" set "heartbeat_at"|delete from "connections" where "connections"\."heartbeat_at" <)/;

export interface GqlResult<T = any> {
  data?: T;
  errors?: { message: string; extensions?: { code?: string; field?: string } }[];
}

export interface Envelope<T = any> {
  code: number;
  message: string | null;
  data: T;
  /** Paged lists: absent on the last page. */
  cursor?: string;
  version?: number;
  total?: number;
  /** /message/send with exactly one receiver. */
  msg_ids?: number[];
}

export interface RestOptions {
  appId?: string | null;
  token?: string;
  headers?: Record<string, string>;
  query?: Record<string, string | number>;
  json?: unknown;
  form?: Record<string, string>;
  text?: string;
}

export interface TestUser {
  id: string;
  username: string;
  token: string;
}

/** A real server on an ephemeral port with its own fresh database, and a small client for it. */
export class TestServer {
  private constructor(
    readonly running: RunningServer,
    readonly database: TestDatabase,
    readonly appId: string,
    readonly appSecret: string,
    private readonly ownsDatabase: boolean,
    private readonly env: Record<string, string>,
  ) {}

  /**
   * The SQL statements the server ran while `work` ran (nothing else of the test may run
   * meanwhile). The presence heartbeat runs on the server's own timer, whenever a slow test
   * reaches it: its two statements are no part of any work, and left out.
   */
  async sqlDuring(work: () => Promise<unknown>): Promise<string[]> {
    const queries: string[] = [];
    const stop = this.running.database.onQuery((sql) => !PRESENCE_HEARTBEAT.test(sql) && queries.push(sql));
    try {
      await work();
    } finally {
      stop();
    }
    return queries;
  }

  /** `logs`: collects the server's log lines (at LOG_LEVEL, `silent` unless set) instead of printing them. */
  static async start(options: { database?: TestDatabase; env?: Record<string, string>; logs?: string[] } = {}) {
    const database = options.database ?? (await createTestDatabase());
    const appId = 'testapp';
    const appSecret = 'test-secret-0123456789';
    const env = {
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
      NODE_ENV: 'test',
      IM_BOOTSTRAP_APP_ID: appId,
      IM_BOOTSTRAP_APP_SECRET: appSecret,
      ...mediaTools,
      // Each server counts its own budgets, even when test files share one Redis...
      RATE_LIMIT_PREFIX: `test-${randomBytes(6).toString('hex')}`,
      // ...and every test user registers and logs in from 127.0.0.1.
      RATE_LIMIT_REGISTRATIONS_PER_ADDRESS: '100000',
      RATE_LIMIT_LOGINS_PER_ADDRESS: '100000',
      // The push worker in the test's own process (drainPush waits for it), also with PostgreSQL
      // and Redis, where a server forks one by default: test/push-process.test.ts asks for that.
      PUSH_WORKER: 'inline',
      // Servers on one database are one deployment: they share a bus namespace on Redis, and
      // hear nothing of other tests' servers (their user ids and app ids are the same).
      REDIS_CHANNEL_PREFIX: `t${createHash('sha256').update(JSON.stringify(database.env)).digest('hex').slice(0, 16)}:`,
      ...database.env,
      ...options.env,
    };
    const config = loadConfig(env);
    const logs = options.logs;
    const logger = logs ? createLogger(config.logLevel, { write: (line: string) => void logs.push(line) }) : createLogger(config.logLevel);
    const running = await startServer(config, logger);
    return new TestServer(running, database, appId, appSecret, !options.database, env);
  }

  get url() {
    return this.running.url;
  }

  get wsUrl() {
    return `${this.url.replace(/^http/, 'ws')}/graphql`;
  }

  async close() {
    await this.running.close();
    if (this.ownsDatabase) await this.database.drop();
  }

  /** A second app on the same server, for tenancy tests. */
  async createApp(name = 'other') {
    return createApp(this.running.database.db, { name, appId: `${name}${randomBytes(3).toString('hex')}` });
  }

  async gql<T = any>(
    query: string,
    variables: Record<string, unknown> = {},
    options: { token?: string; actAs?: string; headers?: Record<string, string> } = {},
  ): Promise<GqlResult<T>> {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
    if (options.token) headers['authorization'] = `Bearer ${options.token}`;
    if (options.actAs) headers['x-act-as-user'] = options.actAs;
    const res = await fetch(`${this.url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    return (await res.json()) as GqlResult<T>;
  }

  async rest<T = any>(method: string, path: string, options: RestOptions = {}) {
    const url = new URL(path, this.url);
    for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { ...options.headers };
    if (options.appId !== null) headers['app_id'] = options.appId ?? this.appId;
    if (options.token) headers['access-token'] = options.token;
    let body: string | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(options.form).toString();
    } else if (options.text !== undefined) {
      headers['content-type'] = 'text/plain';
      body = options.text;
    }
    const res = await fetch(url, { method, headers, body });
    return { status: res.status, body: (await res.json()) as Envelope<T> };
  }

  /** Registers a user through GraphQL and logs them in. */
  async user(username: string, options: { appId?: string; deviceGuid?: string } = {}): Promise<TestUser> {
    const appId = options.appId ?? this.appId;
    const reg = await this.gql(
      `mutation($appId: ID!, $u: String!, $p: String!) {
        registerUser(appId: $appId, input: { username: $u, password: $p }) {
          __typename ... on RegisterUserPayload { user { id } } ... on Error { message }
        }
      }`,
      { appId, u: username, p: PASSWORD },
    );
    const id = reg.data?.registerUser?.user?.id;
    if (!id) throw new Error(`could not register ${username}: ${JSON.stringify(reg)}`);
    return { id, username, token: await this.login(username, { appId, deviceGuid: options.deviceGuid }) };
  }

  async login(username: string, options: { appId?: string; deviceGuid?: string; password?: string } = {}) {
    const res = await this.gql(
      `mutation($appId: ID!, $input: CreateAccessTokenInput!) {
        createAccessToken(appId: $appId, input: $input) { __typename ... on CreateAccessTokenPayload { accessToken { token } } ... on Error { message } }
      }`,
      {
        appId: options.appId ?? this.appId,
        input: { username, password: options.password ?? PASSWORD, deviceGuid: options.deviceGuid },
      },
    );
    const token = res.data?.createAccessToken?.accessToken?.token;
    if (!token) throw new Error(`could not log ${username} in: ${JSON.stringify(res)}`);
    return token as string;
  }

  /** An admin token through the REST dialect (POST /app/token). */
  async restAdminToken(): Promise<string> {
    const res = await this.rest('POST', '/app/token', { json: { app_id: this.appId, app_secret: this.appSecret } });
    return res.body.data.token as string;
  }

  async adminToken(appId = this.appId, appSecret = this.appSecret): Promise<string> {
    const res = await this.gql(
      `mutation($a: ID!, $s: String!) { createAdminToken(appId: $a, appSecret: $s) { ... on CreateAdminTokenPayload { adminToken { token } } ... on Error { message } } }`,
      { a: appId, s: appSecret },
    );
    const token = res.data?.createAdminToken?.adminToken?.token;
    if (!token) throw new Error(`no admin token: ${JSON.stringify(res)}`);
    return token;
  }

  /** A graphql-ws client; `closed` resolves with the close event. */
  ws(connectionParams: Record<string, unknown>) {
    let resolveClosed!: (event: { code: number; reason: string }) => void;
    const closed = new Promise<{ code: number; reason: string }>((r) => (resolveClosed = r));
    let resolveConnected!: () => void;
    const connected = new Promise<void>((r) => (resolveConnected = r));
    const client: Client = createClient({
      url: this.wsUrl,
      webSocketImpl: WebSocket,
      connectionParams,
      lazy: false,
      retryAttempts: 0,
      on: {
        connected: () => resolveConnected(),
        closed: (event) => {
          const e = event as { code: number; reason: string };
          resolveClosed({ code: e.code, reason: String(e.reason) });
        },
      },
      onNonLazyError: () => {},
    });
    return { client, closed, connected };
  }
}

/**
 * Collects a subscription's events. `next()` resolves with the next event (waiting if needed);
 * `done` resolves when the subscription ends, with the error if it ended with one.
 */
export function collect<T = any>(client: Client, query: string, variables: Record<string, unknown> = {}) {
  const queue: T[] = [];
  const waiters: ((value: T) => void)[] = [];
  let resolveDone!: (error: unknown) => void;
  const done = new Promise<unknown>((r) => (resolveDone = r));
  const dispose = client.subscribe<T>(
    { query, variables },
    {
      next: (value) => {
        const waiter = waiters.shift();
        if (waiter) waiter(value.data as T);
        else queue.push(value.data as T);
      },
      error: (error) => resolveDone(error),
      complete: () => resolveDone(undefined),
    },
  );
  return {
    next: () => (queue.length > 0 ? Promise.resolve(queue.shift()!) : new Promise<T>((r) => waiters.push(r))),
    done,
    dispose,
  };
}
