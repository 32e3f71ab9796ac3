import { createPubSub, type PubSub } from 'graphql-yoga';
import type { Topics } from './events.js';

export type EventBus = PubSub<Topics> & { close(): Promise<void> };

/**
 * In-process pubsub by default; with a Redis URL, events fan out to every server process sharing it.
 * Publish only after the transaction that caused the event has committed.
 */
export async function createEventBus(redisUrl?: string): Promise<EventBus> {
  if (!redisUrl) return Object.assign(createPubSub<Topics>(), { close: async () => {} });

  const { Redis } = await import('ioredis');
  const { createRedisEventTarget } = await import('@graphql-yoga/redis-event-target');
  const options = { lazyConnect: true, maxRetriesPerRequest: 3 };
  const publishClient = new Redis(redisUrl, options);
  const subscribeClient = new Redis(redisUrl, options);
  await Promise.all([publishClient.connect(), subscribeClient.connect()]);
  const eventTarget = createRedisEventTarget({ publishClient, subscribeClient });
  return Object.assign(createPubSub<Topics>({ eventTarget }), {
    close: async () => {
      await Promise.allSettled([publishClient.quit(), subscribeClient.quit()]);
    },
  });
}
