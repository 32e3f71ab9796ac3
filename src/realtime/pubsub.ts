import type { Topics } from './events.js';

type Payload<K extends keyof Topics> = Topics[K];

/** Ends a live stream whose consumer fell too far behind; the client must resynchronise. */
export class StreamOverflowError extends Error {
  override name = 'StreamOverflowError';
  constructor(readonly limit: number) {
    super(`more than ${limit} events were waiting: the stream ended, resubscribe to resynchronise`);
  }
}

/** A live stream of one topic key. Iterate it; close it when done. */
export interface LiveStream<T> extends AsyncIterableIterator<T> {
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

/** Local fan-out to the listeners of a channel, the part shared by both buses. */
class Listeners {
  private byChannel = new Map<string, Set<(payload: unknown) => void>>();

  add(channel: string, listener: (payload: unknown) => void): boolean {
    let set = this.byChannel.get(channel);
    const first = set === undefined;
    if (!set) this.byChannel.set(channel, (set = new Set()));
    set.add(listener);
    return first;
  }

  remove(channel: string, listener: (payload: unknown) => void): boolean {
    const set = this.byChannel.get(channel);
    if (!set?.delete(listener) || set.size > 0) return false;
    this.byChannel.delete(channel);
    return true;
  }

  dispatch(channel: string, payload: unknown) {
    for (const listener of this.byChannel.get(channel) ?? []) listener(payload);
  }
}

function stream<T>(limit: number, detach: (listener: (payload: unknown) => void) => void) {
  const queue: T[] = [];
  const waiting: ((result: IteratorResult<T>) => void)[] = [];
  let failure: Error | undefined;
  let ended = false;

  const end = () => {
    if (ended) return;
    ended = true;
    detach(listener);
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
  return { live, listener };
}

const channelOf = (topic: string, key: string) => `im:${topic}:${key}`;

/** In-process bus: one server process. */
export function createLocalEventBus(): EventBus {
  const listeners = new Listeners();
  return {
    publish: (topic, key, payload) => listeners.dispatch(channelOf(topic, key), payload),
    subscribe: async (topic, key, options) => {
      const channel = channelOf(topic, key);
      const { live, listener } = stream<any>(options?.buffer ?? DEFAULT_BUFFER, (l) => listeners.remove(channel, l));
      listeners.add(channel, listener);
      return live;
    },
    close: async () => {},
  };
}

/** Redis bus: every server process sharing the Redis receives every event. */
export async function createRedisEventBus(url: string): Promise<EventBus> {
  const { Redis } = await import('ioredis');
  const options = { lazyConnect: true, maxRetriesPerRequest: 3 };
  const publisher = new Redis(url, options);
  const subscriber = new Redis(url, options);
  await Promise.all([publisher.connect(), subscriber.connect()]);

  const listeners = new Listeners();
  const subscribed = new Map<string, Promise<unknown>>();
  subscriber.on('message', (channel: string, message: string) => listeners.dispatch(channel, JSON.parse(message)));

  return {
    publish: (topic, key, payload) => void publisher.publish(channelOf(topic, key), JSON.stringify(payload)),
    subscribe: async (topic, key, options) => {
      const channel = channelOf(topic, key);
      const { live, listener } = stream<any>(options?.buffer ?? DEFAULT_BUFFER, (l) => {
        if (listeners.remove(channel, l)) {
          subscribed.delete(channel);
          void subscriber.unsubscribe(channel);
        }
      });
      if (listeners.add(channel, listener)) subscribed.set(channel, subscriber.subscribe(channel));
      await subscribed.get(channel);
      return live;
    },
    close: async () => {
      await Promise.allSettled([publisher.quit(), subscriber.quit()]);
    },
  };
}

export const createEventBus = (redisUrl?: string) =>
  redisUrl ? createRedisEventBus(redisUrl) : Promise.resolve(createLocalEventBus());
