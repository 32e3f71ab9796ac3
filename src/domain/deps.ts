import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import type { Metrics } from '../metrics.js';
import type { EventBus } from '../realtime/pubsub.js';
import type { ObjectStorage } from '../storage/index.js';
import type { FailureLimiter, RequestLimiter } from './limits.js';

/** What domain functions need from the outside world. */
export interface Deps {
  db: Database;
  /** The message writer's own connection (see DatabaseHandle.batchDb). */
  batchDb: Database;
  config: Config;
  events: EventBus;
  /** Failed login and app-secret attempts. */
  failures: FailureLimiter;
  /** Request budgets: sends, reads, registrations, logins, admin calls (enforced by graphql/rate-limits.ts). */
  requests: RequestLimiter;
  /** Where file bytes live. */
  storage: ObjectStorage;
  /** What the server counts for `GET /metrics`. */
  metrics: Metrics;
}
