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
      const live = stream<any>(transport, options?.buffer ?? DEFAULT_BUFFER);
      await live.add(topic, key);
      return live;
    },
    close: () => transport.close(),
  };
}

function stream<T>(transport: Transport, limit: number): LiveStream<T> {
  const queue: T[] = [];
  const waiting: ((result: IteratorResult<T>) => void)[] = [];
  const channels = new Set<string>();
  let failure: Error | undefined;
  let ended = false;

  const end = () => {
    if (ended) return;
    ended = true;
    for (const channel of channels) transport.detach(channel, listener);
    channels.clear();
    for (const resolve of waiting.splice(0)) resolve({ value: undefined, done: true });
  };
  function listener(payload: unknown) {
    if (ended) return;
    const resolve = waiting.shift();
    if (resolve) return resolve({ value: payload as T, done: false });
    if (queue.length >= limit) {
      failure = new StreamOverflowError(limit);
      queue.length = 0;
      return end();
    }
    queue.push(payload as T);
  }

  const live: LiveStream<T> = {
    async add(topic, key) {
      const channel = channelOf(topic, key);
      if (ended || channels.has(channel)) return;
      channels.add(channel);
      await transport.attach(channel, listener);
    },
    remove(topic, key) {
      const channel = channelOf(topic, key);
      if (channels.delete(channel)) transport.detach(channel, listener);
    },
    next() {
      if (queue.length > 0) return Promise.resolve({ value: queue.shift()!, done: false });
      if (failure) {
        const error = failure;
        failure = undefined;
        return Promise.reject(error);
      }
      if (ended) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => waiting.push(resolve));
    },
    return() {
      end();
      return Promise.resolve({ value: undefined, done: true });
    },
    close: end,
    [Symbol.asyncIterator]() {
      return live;
    },
  };
  return live;
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

/** Redis bus: every server process sharing the Redis receives every event. */
export async function createRedisEventBus(url: string): Promise<EventBus> {
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
  subscriber.on('message', (channel: string, message: string) => listeners.dispatch(channel, JSON.parse(message)));

  return createBus({
    // While Redis is unreachable an event does not reach other processes' live streams (found by
    // `npm run chaos`: the rejection used to end the process). Messages are stored all the same;
    // a stream that resumes from its cursor gets them from the database.
    publish: (channel, payload) => void publisher.publish(channel, JSON.stringify(payload)).catch(() => {}),
    attach: async (channel, listener) => {
      if (listeners.add(channel, listener)) subscribed.set(channel, subscriber.subscribe(channel));
      await subscribed.get(channel);
    },
    detach: (channel, listener) => {
      if (listeners.remove(channel, listener)) {
        subscribed.delete(channel);
        void subscriber.unsubscribe(channel).catch(() => {});
      }
    },
    close: async () => {
      await Promise.allSettled([publisher.quit(), subscriber.quit()]);
    },
  });
}

export const createEventBus = (redisUrl?: string) =>
  redisUrl ? createRedisEventBus(redisUrl) : Promise.resolve(createLocalEventBus());
