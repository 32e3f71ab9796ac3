import type { Logger } from '../../logger.js';
import { runPrepared, toNumber, toNumberOrNull } from '../../db/raw.js';
import type { Deps } from '../deps.js';
import { transaction } from '../transactions.js';
import { deliveryCredential } from './credentials.js';
import { messageDeliveries, type NewDelivery } from './message-push.js';
import { OUTBOX, onOutboxWrite } from './outbox.js';
import { providersOf } from './providers/index.js';
import type { Credential, Notification, Outcome, ProviderCode } from './providers/types.js';

/** Delivery statuses (push_deliveries.status). */
export const DELIVERY = { PENDING: 0, SENT: 1, FAILED: 2, RECEIVED: 3 } as const;

const OUTBOX_PAGE = 100;
const DELIVERY_PAGE = 50;
/** Most sends a process has waiting on providers at once; a provider that hangs holds only its own. */
const IN_FLIGHT = 200;
/** Outcomes written in one statement at most, and how long the first of them waits for others. */
const RECORD_BATCH = 100;
const RECORD_WAIT_MS = 20;
/**
 * How long a write to the outbox waits before the worker turns it into deliveries, so that the
 * messages of several send batches are fanned out in one transaction rather than one each.
 */
const FAN_OUT_WAIT_MS = 25;

// Each outcome: 1 sent; 0 pending again after a delay (a retry), with the error; 2 failed for good.
// A retry leaves the status as it is: a delivery failed meanwhile (its endpoint deleted, its
// message recalled) stays failed rather than coming back to life.
// And an in-app notification the client acknowledged before its outcome was written stays received.
const RECORD_OUTCOMES = `update push_deliveries d set status = case when u.status = ${DELIVERY.PENDING} or d.status = ${DELIVERY.RECEIVED} then d.status else u.status end,
    sent_at = case when u.status = ${DELIVERY.SENT} then now() else d.sent_at end,
    next_attempt_at = case when u.delay is null then d.next_attempt_at else now() + make_interval(secs => u.delay) end,
    last_error = u.error
  from unnest($1::bigint[], $2::smallint[], $3::float8[], $4::text[]) as u(id, status, delay, error)
  where d.id = u.id`;

// Outbox rows are taken with skip locked: processes draining together never take the same row,
// and a row is deleted in the transaction that wrote its deliveries.
const CLAIM_OUTBOX = `select id, app_id, kind, ref_id, payload from push_outbox order by id limit $1 for update skip locked`;

// Deliveries the fanning-out worker has room to send at once are written already claimed by it
// (attempts 1, leased as CLAIM_DELIVERIES leases), and answered: one write per delivery fewer
// than inserting them due and claiming them after. The rest are due now, for any process.
const INSERT_DELIVERIES = `with inserted as (
    insert into push_deliveries (app_id, task_id, message_id, user_id, device_id, endpoint_id, channel, token, payload, attempts, next_attempt_at)
    select a, t, m, u, d, e, c, k, p, l, case when l = 1 then now() + make_interval(secs => $11) else now() end
    from unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[], $7::smallint[], $8::text[], $9::text[], $10::int[])
      as n(a, t, m, u, d, e, c, k, p, l)
    returning id, app_id, channel, token, payload, attempts, device_id, endpoint_id, task_id, user_id)
  select * from inserted where attempts = 1`;

// A claim is a lease: next_attempt_at moves past the lease, so a process that dies mid-send
// leaves its deliveries to be taken again once the lease is over (at least once).
const CLAIM_DELIVERIES = `update push_deliveries d set next_attempt_at = now() + make_interval(secs => $1), attempts = d.attempts + 1
  where d.id in (
    select id from push_deliveries where status = ${DELIVERY.PENDING} and next_attempt_at <= now()
    order by next_attempt_at, id limit $2 for update skip locked)
  returning d.id, d.app_id, d.channel, d.token, d.payload, d.attempts, d.device_id, d.endpoint_id, d.task_id, d.user_id`;

export interface ClaimedDelivery {
  id: number;
  appId: string;
  channel: number;
  token: string;
  payload: string;
  attempts: number;
  deviceId: number | null;
  endpointId: number | null;
  taskId: number | null;
  userId: number | null;
}

const claimedOf = (r: Record<string, unknown>): ClaimedDelivery => ({
  id: toNumber(r['id']),
  appId: r['app_id'] as string,
  channel: Number(r['channel']),
  token: r['token'] as string,
  payload: r['payload'] as string,
  attempts: Number(r['attempts']),
  deviceId: toNumberOrNull(r['device_id']),
  endpointId: toNumberOrNull(r['endpoint_id']),
  taskId: toNumberOrNull(r['task_id']),
  userId: toNumberOrNull(r['user_id']),
});

/** Sends a claimed delivery of a channel that is not a push provider (in-app, webhook endpoints). */
export type ChannelSender = (deps: Deps, delivery: ClaimedDelivery) => Promise<Outcome>;

/** Turns outbox rows of one kind (and app) into deliveries, in the draining transaction. */
export type FanOut = (deps: Deps, tx: Parameters<Parameters<typeof transaction>[1]>[0], appId: string, rows: OutboxRow[]) => Promise<NewDelivery[]>;

export interface OutboxRow {
  id: number;
  refId: number;
  payload: unknown;
}

const fanOuts = new Map<number, FanOut[]>([[OUTBOX.MESSAGE, [(deps, tx, appId, rows) => messageDeliveries(deps, tx, appId, rows.map((r) => r.refId))]]]);
const channels = new Map<number, ChannelSender>();

/** Lets another area (notification tasks, webhooks) fan out an outbox kind; a kind may have several. */
export function registerFanOut(kind: number, fanOut: FanOut) {
  fanOuts.set(kind, [...(fanOuts.get(kind) ?? []), fanOut]);
}

/** Lets another area deliver on a channel that is not a push provider. */
export function registerChannel(channel: number, send: ChannelSender) {
  channels.set(channel, send);
}

/**
 * Drains the outbox and sends deliveries, in every server process. Woken when this process writes
 * to the outbox, and every PUSH_POLL_MS for the rest (other processes' rows, retries coming due,
 * leases running out). Never on the send path: a slow or failing provider delays only pushes.
 */
export class PushWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  /** Set once stop() is done with the database: outcomes arriving later are not recorded. */
  private closed = false;
  private unsubscribe: (() => void) | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private outcomes: { d: ClaimedDelivery; outcome: Outcome; resolve: () => void; reject: (error: unknown) => void }[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private soon: NodeJS.Timeout | undefined;

  constructor(
    private readonly deps: Deps,
    private readonly logger: Logger,
  ) {}

  start() {
    this.unsubscribe = onOutboxWrite(this.wakeSoon);
    this.timer = setInterval(this.wake, this.deps.config.push.pollMs);
    this.timer.unref();
    this.wake();
  }

  /** A write to the outbox: wakes the worker shortly, once for all the writes of that moment. */
  readonly wakeSoon = () => {
    if (this.stopped || this.soon) return;
    this.soon = setTimeout(() => {
      this.soon = undefined;
      this.wake();
    }, FAN_OUT_WAIT_MS);
  };

  readonly wake = () => {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.cycle().finally(() => (this.running = undefined));
  };

  /** Works off everything due now, sends included (tests call it to wait for the work a step caused). */
  async drain(): Promise<void> {
    for (;;) {
      while (this.running) await this.running;
      this.running = this.cycle().finally(() => (this.running = undefined));
      await this.running;
      if (this.inFlight.size === 0) return;
      await Promise.all(this.inFlight);
    }
  }

  /**
   * Stops claiming, then gives the sends in flight up to PUSH_TIMEOUT_MS to be answered and
   * records their outcomes, so a graceful restart sends nothing twice. Sends still unanswered then
   * are given up: their leases run out and a process retries them (at least once).
   */
  async stop() {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.soon);
    this.unsubscribe?.();
    await this.running;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.deps.config.push.timeoutMs)));
    await Promise.race([Promise.allSettled([...this.inFlight]), deadline]);
    clearTimeout(timer);
    this.closed = true;
    await this.flush();
    providersOf(this.deps.config).close();
  }

  private async cycle() {
    do {
      this.again = false;
      try {
        // Sends what is due first, and fans out another page of the outbox only once nothing is
        // left to claim: the deliveries written ahead of the sends stay about a page, so a worker
        // held back (a slow provider, the low priority of PUSH_WORKER=process) also does the
        // fan-out's database work only as fast as it sends, leaving the rest to the send path.
        while (!this.stopped) {
          while (!this.stopped && this.inFlight.size < IN_FLIGHT && (await this.deliver()) === DELIVERY_PAGE);
          if (this.stopped || this.inFlight.size >= IN_FLIGHT || (await this.fanOut()) === 0) break;
        }
      } catch (error) {
        if (!this.stopped) this.logger.error({ err: error }, 'push worker cycle failed');
      }
    } while (this.again && !this.stopped);
  }

  /**
   * One page of the outbox into deliveries; answers how many rows it took. As many deliveries as
   * there is room in flight are written claimed by this worker and sent once the page commits.
   */
  async fanOut(): Promise<number> {
    const room = Math.max(0, IN_FLIGHT - this.inFlight.size);
    const { taken, claimed } = await transaction(this.deps.db, async (tx) => {
      const rows = await runPrepared<Record<string, unknown>>(tx, CLAIM_OUTBOX, [OUTBOX_PAGE]);
      if (rows.length === 0) return { taken: 0, claimed: [] };
      const groups = new Map<string, OutboxRow[]>();
      for (const r of rows) {
        const key = `${r['kind']}\0${r['app_id']}`;
        const row = { id: toNumber(r['id']), refId: toNumber(r['ref_id']), payload: r['payload'] === null ? null : JSON.parse(r['payload'] as string) };
        groups.set(key, [...(groups.get(key) ?? []), row]);
      }
      const deliveries: NewDelivery[] = [];
      for (const [key, group] of groups) {
        const [kind, appId] = key.split('\0') as [string, string];
        for (const fanOut of fanOuts.get(Number(kind)) ?? []) deliveries.push(...(await fanOut(this.deps, tx, appId, group)));
      }
      let claimed: ClaimedDelivery[] = [];
      if (deliveries.length > 0) {
        const column = <K extends keyof NewDelivery>(k: K) => deliveries.map((d) => d[k]);
        const inserted = await runPrepared<Record<string, unknown>>(tx, INSERT_DELIVERIES, [
          column('appId'),
          column('taskId'),
          column('messageId'),
          column('userId'),
          column('deviceId'),
          column('endpointId'),
          column('channel'),
          column('token'),
          column('payload'),
          // 1: claimed (attempts 1), 0: due (postgres.js sends no boolean arrays).
          deliveries.map((_, i) => (i < room ? 1 : 0)),
          this.deps.config.push.leaseSeconds,
        ]);
        claimed = inserted.map(claimedOf);
      }
      await runPrepared(tx, `delete from push_outbox where id = any($1::bigint[])`, [rows.map((r) => toNumber(r['id']))]);
      return { taken: rows.length, claimed };
    });
    // Committed: they are this worker's to send (a worker that dies now leaves them to the lease).
    this.dispatch(claimed);
    return taken;
  }

  /**
   * Claims a page of due deliveries and starts sending them; each outcome is recorded as it comes.
   * Answers how many it took. Sends are not awaited here, so a slow provider never holds up others.
   */
  async deliver(): Promise<number> {
    const page = Math.min(DELIVERY_PAGE, IN_FLIGHT - this.inFlight.size);
    const claimed = (await runPrepared<Record<string, unknown>>(this.deps.db, CLAIM_DELIVERIES, [this.deps.config.push.leaseSeconds, page])).map(claimedOf);
    this.dispatch(claimed);
    return claimed.length === page ? DELIVERY_PAGE : claimed.length;
  }

  /** Starts sending claimed deliveries; each outcome is recorded as it comes. */
  private dispatch(claimed: ClaimedDelivery[]) {
    if (claimed.length === 0) return;
    this.logger.debug({ claimed: claimed.length }, 'push deliveries claimed');
    const credentials = new Map<string, Promise<Credential | null>>();
    for (const delivery of claimed) {
      const sending = this.send(delivery, credentials)
        .catch((error: unknown): Outcome => ({ status: 'retry', error: String(error) }))
        .then((outcome) => (this.closed ? undefined : this.record(delivery, outcome)))
        .catch((error: unknown) => this.logger.error({ err: error, delivery: delivery.id }, 'could not record a push delivery'))
        .finally(() => {
          this.inFlight.delete(sending);
          // Room for a page or more after running full: claim again (not for every single slot, which would be a query per answer).
          if (this.inFlight.size === IN_FLIGHT - DELIVERY_PAGE) this.wake();
        });
      this.inFlight.add(sending);
    }
  }

  private async send(delivery: ClaimedDelivery, credentials: Map<string, Promise<Credential | null>>): Promise<Outcome> {
    const channel = channels.get(delivery.channel);
    if (channel) return channel(this.deps, delivery);
    const provider = providersOf(this.deps.config)[delivery.channel as ProviderCode];
    if (!provider) return { status: 'failed', error: `channel ${delivery.channel} is not supported` };
    const key = `${delivery.appId}\0${delivery.channel}`;
    if (!credentials.has(key)) credentials.set(key, deliveryCredential(this.deps, this.deps.db, delivery.appId, delivery.channel));
    const credential = await credentials.get(key)!;
    if (!credential) return { status: 'failed', error: 'the app has no credentials for this provider' };
    return provider.send(credential, delivery.token, JSON.parse(delivery.payload) as Notification);
  }

  /**
   * Records an outcome. Outcomes that arrive together are written in one statement (a busy
   * provider answers hundreds a second: one UPDATE each would load the database the send path
   * needs); resolves once this one is written.
   */
  private record(d: ClaimedDelivery, outcome: Outcome): Promise<void> {
    return new Promise((resolve, reject) => {
      this.outcomes.push({ d, outcome, resolve, reject });
      if (this.outcomes.length >= RECORD_BATCH) void this.flush();
      else this.flushTimer ??= setTimeout(() => void this.flush(), RECORD_WAIT_MS);
    });
  }

  private async flush() {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const batch = this.outcomes.splice(0);
    if (batch.length === 0) return;
    const { db, config } = this.deps;
    const ids: number[] = [];
    const statuses: number[] = [];
    const delays: (number | null)[] = [];
    const errors: (string | null)[] = [];
    const gone: ClaimedDelivery[] = [];
    for (const { d, outcome } of batch) {
      ids.push(d.id);
      if (outcome.status === 'sent') {
        statuses.push(DELIVERY.SENT);
        delays.push(null);
        errors.push(null);
      } else if (outcome.status === 'retry' && d.attempts < config.push.maxAttempts) {
        this.logger.debug({ delivery: d.id, channel: d.channel, attempts: d.attempts, error: outcome.error }, 'push delivery will be retried');
        // Exponential backoff with jitter: base · 2^(attempt-1), at most an hour.
        const delay = Math.min(config.push.retryBaseMs * 2 ** (d.attempts - 1), 3_600_000) * (0.8 + Math.random() * 0.4);
        statuses.push(DELIVERY.PENDING);
        delays.push(delay / 1000);
        errors.push(outcome.error);
      } else {
        statuses.push(DELIVERY.FAILED);
        delays.push(null);
        errors.push(outcome.error);
        if (outcome.status === 'unregistered' && d.deviceId !== null) gone.push(d);
        this.logger.info({ delivery: d.id, channel: d.channel, attempts: d.attempts, error: outcome.error }, 'push delivery failed for good');
      }
    }
    try {
      await runPrepared(db, RECORD_OUTCOMES, [ids, statuses, delays, errors]);
      for (const d of gone) {
        // The provider says the token is gone: the device stops being pushed (unless it bound a new one since).
        await runPrepared(db, `update devices set push_token = null, notifier_name = null where id = $1 and push_token = $2`, [d.deviceId, d.token]);
      }
      batch.forEach((b) => b.resolve());
    } catch (error) {
      batch.forEach((b) => b.reject(error));
    }
  }
}
