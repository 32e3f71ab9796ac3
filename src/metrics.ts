import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { sha256 } from './domain/secrets.js';
import type { EventBus } from './realtime/pubsub.js';

/**
 * What the server counts, in Prometheus form (`GET /metrics`). One registry per server, so that
 * several servers in one process (the tests) keep their own figures. GraphQL operations are counted
 * by the yoga Prometheus plugin on the same registry (see graphql/yoga.ts); process figures
 * (CPU, memory, event-loop lag, GC) by prom-client's default collectors.
 */
export interface Metrics {
  readonly registry: Registry;
  /** Every HTTP request, by the part of the server that answered it. */
  readonly http: Histogram<'handler' | 'route' | 'method' | 'status'>;
  /** Typed errors answered by GraphQL operations (result unions) and REST routes, by code. */
  readonly errors: Counter<'code'>;
  readonly wsConnections: Gauge;
  /** Open `events` streams (graphql-ws and SSE alike). */
  readonly streams: Gauge;
  readonly eventsPublished: Counter<'topic'>;
  /** Events handed to subscribers' streams (one per subscriber). */
  readonly eventsDelivered: Counter<'type'>;
  readonly batchSize: Histogram;
  readonly batchSeconds: Histogram;
  /** Adds a gauge whose value is read when scraped (outbox depths, connections in use...). */
  gauge(name: string, help: string, labelNames: string[], read: (set: (labels: Record<string, string>, value: number) => void) => Promise<void> | void): void;
}

/** The part of the server that answered: these, or a REST dialect's name. */
export type HttpHandler = 'graphql' | 'maxim' | 'files' | 'web' | 'health' | 'metrics' | 'not_found' | (string & {});

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'im_' });
  const registers = [registry];
  return {
    registry,
    http: new Histogram({
      name: 'im_http_request_duration_seconds',
      help: 'HTTP requests by the part of the server that answered (graphql, maxim REST, files, health), route, method and status.',
      labelNames: ['handler', 'route', 'method', 'status'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    errors: new Counter({
      name: 'im_errors_total',
      help: 'Typed errors answered to clients (GraphQL result-union errors and REST error answers), by code.',
      labelNames: ['code'],
      registers,
    }),
    wsConnections: new Gauge({ name: 'im_websocket_connections', help: 'Open graphql-ws connections.', registers }),
    streams: new Gauge({ name: 'im_event_streams', help: 'Open `events` subscriptions (graphql-ws and SSE).', registers }),
    eventsPublished: new Counter({
      name: 'im_events_published_total',
      help: 'Events published on the event bus by this process, by topic.',
      labelNames: ['topic'],
      registers,
    }),
    eventsDelivered: new Counter({
      name: 'im_events_delivered_total',
      help: 'Events delivered into subscribers\u2019 `events` streams by this process, by event type.',
      labelNames: ['type'],
      registers,
    }),
    batchSize: new Histogram({
      name: 'im_message_batch_size',
      help: 'Messages per write batch (group commit).',
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
      registers,
    }),
    batchSeconds: new Histogram({
      name: 'im_message_batch_duration_seconds',
      help: 'Time to write and commit one batch of messages.',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    }),
    gauge(name, help, labelNames, read) {
      new Gauge({
        name,
        help,
        labelNames,
        registers,
        async collect() {
          this.reset();
          await read((labels, value) => this.set(labels, value));
        },
      });
    },
  };
}

/**
 * Serves the registry in the Prometheus text format. With a token configured, only a request with
 * `Authorization: Bearer <token>` gets it.
 */
export async function serveMetrics(metrics: Metrics, token: string | undefined, req: IncomingMessage, res: ServerResponse) {
  if (token !== undefined && !bearerMatches(req.headers.authorization, token)) {
    res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer realm="metrics"' });
    res.end('a metrics token is required\n');
    return;
  }
  const body = await metrics.registry.metrics();
  res.writeHead(200, { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' });
  res.end(body);
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer (.+)$/i.exec(header ?? '')?.[1];
  // Compared as hashes: equal lengths, constant time.
  return given !== undefined && timingSafeEqual(sha256(given), sha256(token));
}

/**
 * An `events` subscription, counted while open and per event delivered. Unsubscribing ends it at
 * once: `open` gets a signal that fires then, because return() on a generator that is waiting for
 * its next event would only take effect after that event.
 */
export function trackedStream<T extends { type: string }>(metrics: Metrics, open: (ended: AbortSignal) => AsyncGenerator<T>): AsyncGenerator<T> {
  const controller = new AbortController();
  const inner = open(controller.signal);
  metrics.streams.inc();
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    metrics.streams.dec();
    controller.abort();
  };
  const stream = {
    async next() {
      try {
        const result = await inner.next();
        if (result.done) finish();
        else metrics.eventsDelivered.inc({ type: result.value.type });
        return result;
      } catch (error) {
        finish();
        throw error;
      }
    },
    async return(value?: unknown) {
      finish();
      await inner.return(undefined);
      return { done: true as const, value };
    },
    async throw(error: unknown) {
      finish();
      return inner.throw(error);
    },
    [Symbol.asyncIterator]() {
      return stream;
    },
  };
  return stream as unknown as AsyncGenerator<T>;
}

/** The bus, counting what this process publishes. */
export function countPublished(metrics: Metrics, bus: EventBus): EventBus {
  return {
    ...bus,
    publish(topic, key, payload) {
      metrics.eventsPublished.inc({ topic });
      bus.publish(topic, key, payload);
    },
  };
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

/** Observes a request when its response is done (or the client went away). */
export function timeRequest(metrics: Metrics, req: IncomingMessage, res: ServerResponse, answered: () => { handler: HttpHandler; route: string }) {
  const end = metrics.http.startTimer();
  res.once('close', () => {
    // A method is a label: anything a client makes up is "OTHER", so labels stay few.
    const method = METHODS.has(req.method ?? '') ? req.method! : 'OTHER';
    end({ ...answered(), method, status: String(res.statusCode) });
  });
}
