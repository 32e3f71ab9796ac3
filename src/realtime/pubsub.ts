import type { Topics } from './events.js';

type Payload<K extends keyof Topics> = Topics[K];
type TopicsCarrying<T> = { [K in keyof Topics]: Topics[K] extends T ? K : never }[keyof Topics];

/** Ends a live stream whose consumer fell too far behind; the client must resynchronise. */
export class StreamOverflowError extends Error {
  override name = 'StreamOverflowError';
  constructor(readonly limit: number) {
    super(`more than ${limit} events were waiting: the stream ended, resubscribe to resynchronise`);
  }
}

/** A live stream of one or more topic keys. Iterate it; close it when done. */
export interface LiveStream<T> extends AsyncIterableIterator<T> {
  /** Also listens to another key (resolves once attached everywhere, as subscribe does). */
  add(topic: TopicsCarrying<T>, key: string): Promise<void>;
  /** Stops listening to a key. */
  remove(topic: TopicsCarrying<T>, key: string): void;
  close(): void;
}

export interface EventBus {
  /** Call only after the transaction that caused the event has committed. */
  publish<K extends keyof Topics>(topic: K, key: string, payload: Payload<K>): void;
  /**
   * Resolves once the listener is attached on every process (with Redis: once the SUBSCRIBE is
   * confirmed), so anything published after that is delivered. At most `buffer` events wait for a
   * slow consumer; one more ends the stream with a StreamOverflowError.
   */
  subscribe<K extends keyof Topics>(topic: K, key: string, options?: { buffer?: number }): Promise<LiveStream<Payload<K>>>;
  /**
   * Calls `listener` with each event of one key, from the moment the promise resolves (attached
   * everywhere, as subscribe); the function it answers stops that. No stream and no buffer: for
   * a listener that only reacts (a session hearing of its token's revocation).
   */
  listen<K extends keyof Topics>(topic: K, key: string, listener: (payload: Payload<K>) => void): Promise<() => void>;
  close(): Promise<void>;
}

const DEFAULT_BUFFER = 1000;

type Listener = (payload: unknown) => void;

/** How a bus attaches listeners to channels; all the rest is shared. */
interface Transport {
  publish(channel: string, payload: unknown): void;
  /** Resolves once events of the channel reach the listener. */
  attach(channel: string, listener: Listener): Promise<void>;
  detach(channel: string, listener: Listener): void;
  close(): Promise<void>;
}

/** Local fan-out to the listeners of each channel. */
class Listeners {
  private byChannel = new Map<string, Set<Listener>>();

  /** Answers whether this is the channel's first listener. */
  add(channel: string, listener: Listener): boolean {
    let set = this.byChannel.get(channel);
    const first = set === undefined;
    if (!set) this.byChannel.set(channel, (set = new Set()));
    set.add(listener);
    return first;
  }

  /** Answers whether the channel has no listener left. */
  remove(channel: string, listener: Listener): boolean {
    const set = this.byChannel.get(channel);
    if (!set?.delete(listener) || set.size > 0) return false;
    this.byChannel.delete(channel);
    return true;
  }

  dispatch(channel: string, payload: unknown) {
    for (const listener of this.byChannel.get(channel) ?? []) listener(payload);
  }
}

const channelOf = (topic: string, key: string) => `im:${topic}:${key}`;

function createBus(transport: Transport): EventBus {
  return {
    publish: (topic, key, payload) => transport.publish(channelOf(topic, key), payload),
    subscribe: async (topic, key, options) => {
      const live = new BusStream<any>(transport, options?.buffer ?? DEFAULT_BUFFER);
      await live.add(topic, key);
      return live;
    },
    listen: async (topic, key, listener) => {
      const channel = channelOf(topic, key);
      const attached = listener as Listener;
      await transport.attach(channel, attached);
      return () => transport.detach(channel, attached);
    },
    close: () => transport.close(),
  };
}

/**
 * A bus stream. A class, not a set of closures: a stream lives as long as its subscriber, mostly
 * idle, and its queue and waiters are made only when needed (bench: idle memory per subscriber).
 */
class BusStream<T> implements LiveStream<T> {
  /** The stream's channels: the first one, and any further ones. */
  private channel: string | undefined;
  private more: Set<string> | undefined;
  private queue: T[] | undefined;
  private waiting: ((result: IteratorResult<T>) => void)[] | undefined;
  private failure: Error | undefined;
  private ended = false;
  private readonly listener: Listener = (payload) => this.push(payload as T);

  constructor(
    private readonly transport: Transport,
    private readonly limit: number,
  ) {}

  private push(payload: T) {
    if (this.ended) return;
    const resolve = this.waiting?.shift();
    if (resolve) return resolve({ value: payload, done: false });
    const queue = (this.queue ??= []);
    if (queue.length >= this.limit) {
      this.failure = new StreamOverflowError(this.limit);
      this.queue = undefined;
      return this.close();
    }
    queue.push(payload);
  }

  private has(channel: string) {
    return this.channel === channel || this.more?.has(channel) === true;
  }

  async add(topic: TopicsCarrying<T>, key: string) {
    const channel = channelOf(topic, key);
    if (this.ended || this.has(channel)) return;
    if (this.channel === undefined) this.channel = channel;
    else (this.more ??= new Set()).add(channel);
    await this.transport.attach(channel, this.listener);
  }

  remove(topic: TopicsCarrying<T>, key: string) {
    const channel = channelOf(topic, key);
    if (this.channel === channel) this.channel = undefined;
    else if (!this.more?.delete(channel)) return;
    this.transport.detach(channel, this.listener);
  }

  next(): Promise<IteratorResult<T>> {
    if (this.queue && this.queue.length > 0) return Promise.resolve({ value: this.queue.shift()!, done: false });
    if (this.failure) {
      const error = this.failure;
      this.failure = undefined;
      return Promise.reject(error);
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting ??= []).push(resolve));
  }

  return(): Promise<IteratorResult<T>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  /** Stops listening; what the stream holds is still handed out, then it ends. */
  close() {
    if (this.ended) return;
    this.ended = true;
    if (this.channel !== undefined) this.transport.detach(this.channel, this.listener);
    for (const channel of this.more ?? []) this.transport.detach(channel, this.listener);
    this.channel = this.more = undefined;
    for (const resolve of this.waiting?.splice(0) ?? []) resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator]() {
    return this;
  }
}

/** In-process bus: one server process. */
export function createLocalEventBus(): EventBus {
  const listeners = new Listeners();
  return createBus({
    publish: (channel, payload) => listeners.dispatch(channel, payload),
    attach: async (channel, listener) => void listeners.add(channel, listener),
    detach: (channel, listener) => void listeners.remove(channel, listener),
    close: async () => {},
  });
}

/** Redis bus: every server process sharing the Redis (and the channel prefix) receives every event. */
export async function createRedisEventBus(url: string, prefix = ''): Promise<EventBus> {
  const { Redis } = await import('ioredis');
  const options = { lazyConnect: true, maxRetriesPerRequest: 3 };
  const publisher = new Redis(url, options);
  const subscriber = new Redis(url, options);
  await Promise.all([publisher.connect(), subscriber.connect()]);
  // Both reconnect by themselves; meanwhile a publish fails (below) rather than the process.
  publisher.on('error', () => {});
  subscriber.on('error', () => {});

  const listeners = new Listeners();
  const subscribed = new Map<string, Promise<unknown>>();
  subscriber.on('message', (channel: string, message: string) => {
    if (channel.startsWith(prefix)) listeners.dispatch(channel.slice(prefix.length), JSON.parse(message));
  });

  return createBus({
    // While Redis is unreachable an event does not reach other processes' live streams (found by
    // `npm run chaos`: the rejection used to end the process). Messages are stored all the same;
    // a stream that resumes from its cursor gets them from the database.
    publish: (channel, payload) => void publisher.publish(prefix + channel, JSON.stringify(payload)).catch(() => {}),
    attach: async (channel, listener) => {
      if (listeners.add(channel, listener)) subscribed.set(channel, subscriber.subscribe(prefix + channel));
      await subscribed.get(channel);
    },
    detach: (channel, listener) => {
      if (listeners.remove(channel, listener)) {
        subscribed.delete(channel);
        void subscriber.unsubscribe(prefix + channel).catch(() => {});
      }
    },
    close: async () => {
      await Promise.allSettled([publisher.quit(), subscriber.quit()]);
    },
  });
}

export const createEventBus = (redisUrl?: string, prefix = '') =>
  redisUrl ? createRedisEventBus(redisUrl, prefix) : Promise.resolve(createLocalEventBus());
