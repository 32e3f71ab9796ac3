import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ApolloClient, HttpLink, InMemoryCache, split, type PossibleTypesMap } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition } from '@apollo/client/utilities';
import { cacheExchange, Client as UrqlClient, fetchExchange, subscriptionExchange, type OperationResult } from '@urql/core';
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import WebSocket from 'ws';
import introspection from './clients/generated/possible-types.js';
import type { EventsSubscription } from './clients/generated/graphql.js';
import { Events, SendMessage, Viewer } from './clients/operations.js';
import { TestServer, type TestUser } from './helpers/server.js';

// docs/clients.md, run: the libraries it names (Apollo Client, urql, graphql-ws, graphql-sse) set
// up as it shows, against a real server, with the documents and types graphql-codegen's client
// preset generates (test/clients/codegen.ts) and the possibleTypes map its fragment-matcher makes.

type EventData = EventsSubscription['events'];

/** A stream's values in order: `next()` resolves with the next one, waiting if needed. */
function queue<T>() {
  const items: T[] = [];
  const waiters: ((value: T) => void)[] = [];
  let failure: unknown;
  const failed: ((error: unknown) => void)[] = [];
  return {
    push(value: T) {
      const waiter = waiters.shift();
      failed.shift();
      if (waiter) waiter(value);
      else items.push(value);
    },
    fail(error: unknown) {
      failure = error;
      for (const reject of failed.splice(0)) reject(error);
    },
    next(): Promise<T> {
      if (items.length > 0) return Promise.resolve(items.shift()!);
      if (failure !== undefined) return Promise.reject(failure);
      return new Promise<T>((resolve, reject) => {
        waiters.push(resolve);
        failed.push(reject);
      });
    },
    get pending() {
      return items.length;
    },
  };
}

/** Events until a StreamReadyEvent (inclusive): a resumed stream replays before it. */
async function untilReady(events: ReturnType<typeof queue<EventData>>) {
  const seen: EventData[] = [];
  for (;;) {
    const event = await events.next();
    seen.push(event);
    if (event.__typename === 'StreamReadyEvent') return seen;
  }
}

const contents = (events: EventData[]) => events.flatMap((e) => (e.__typename === 'MessageEvent' ? [e.message.content] : []));

let server: TestServer;
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  server = await TestServer.start({ env: { PUSH_WORKER: 'false' } });
  alice = await server.user('alice');
  bob = await server.user('bob');
});
afterAll(() => server?.close());

const textTo = (to: TestUser, content: string) => ({ input: { toKind: 'USER' as const, targets: [to.id], contentType: 'TEXT' as const, content } });

/** Apollo Client as docs/clients.md sets it up: HTTP for queries and mutations, graphql-ws for subscriptions. */
function apollo(token: string, possibleTypes?: PossibleTypesMap) {
  const http = new HttpLink({ uri: `${server.url}/graphql`, headers: { authorization: `Bearer ${token}` } });
  const ws = createWsClient({ url: server.wsUrl, webSocketImpl: WebSocket, connectionParams: { token }, retryAttempts: 0 });
  const link = split(
    ({ query }) => {
      const definition = getMainDefinition(query);
      return definition.kind === 'OperationDefinition' && definition.operation === 'subscription';
    },
    new GraphQLWsLink(ws),
    http,
  );
  const client = new ApolloClient({ link, cache: new InMemoryCache({ possibleTypes }) });
  return { client, close: () => ws.dispose() };
}

/** urql as docs/clients.md sets it up, its subscriptions over graphql-ws or over SSE (graphql-sse). */
function urql(token: string, transport: 'ws' | 'sse') {
  const ws = transport === 'ws' ? createWsClient({ url: server.wsUrl, webSocketImpl: WebSocket, connectionParams: { token }, retryAttempts: 0 }) : undefined;
  const sse = transport === 'sse' ? createSseClient({ url: `${server.url}/graphql`, headers: { authorization: `Bearer ${token}` }, retryAttempts: 0 }) : undefined;
  const client = new UrqlClient({
    url: `${server.url}/graphql`,
    fetchOptions: () => ({ headers: { authorization: `Bearer ${token}` } }),
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => {
            const operation = { ...request, query: request.query ?? '' };
            return { unsubscribe: ws ? ws.subscribe(operation, sink) : sse!.subscribe(operation, sink) };
          },
        }),
      }),
    ],
  });
  return { client, close: () => (ws ? ws.dispose() : sse!.dispose()) };
}

/** Subscribes with urql to `events`, collecting them. */
function urqlEvents(client: UrqlClient, since?: string) {
  const events = queue<EventData>();
  const { unsubscribe } = client.subscription(Events, { since }).subscribe((result: OperationResult<EventsSubscription>) => {
    if (result.data) events.push(result.data.events);
    else events.fail(result.error ?? new Error('a result with no data'));
  });
  return { events, unsubscribe };
}

describe('graphql-codegen (client preset, scalar mappings)', () => {
  // A codegen process of its own: slow to start on a loaded machine.
  it('the committed generated code is what codegen makes from the committed schema', { timeout: 120_000 }, async () => {
    // --check: exits non-zero when a file would change.
    const run = promisify(execFile)('node_modules/.bin/graphql-codegen', ['--config', 'test/clients/codegen.ts', '--check'], { cwd: process.cwd() });
    await expect(run).resolves.toBeDefined();
  });

  it('types Timestamp as a number, and the server answers numbers', async () => {
    const { client, close } = apollo(alice.token);
    try {
      const { data } = await client.query({ query: Viewer });
      expectTypeOf(data!.viewer.createdAt).toEqualTypeOf<number>();
      expect(data!.viewer).toMatchObject({ id: alice.id, username: 'alice' });
      expect(typeof data!.viewer.createdAt).toBe('number');
      expect(Math.abs(data!.viewer.createdAt - Date.now())).toBeLessThan(24 * 3600 * 1000);
    } finally {
      close();
    }
  });
});

describe('Apollo Client', () => {
  it('reads a typed error of a result union through the generated possibleTypes (and loses it without them)', async () => {
    const nobody = { input: { toKind: 'USER' as const, targets: ['999999999999'], contentType: 'TEXT' as const, content: 'hello?' } };
    const expected = { __typename: 'NotFoundError', code: 'USER_NOT_FOUND', message: 'user 999999999999 does not exist' };

    const right = apollo(alice.token, introspection.possibleTypes);
    const wrong = apollo(alice.token);
    try {
      const answered = await right.client.mutate({ mutation: SendMessage, variables: nobody });
      expect(answered.data?.sendMessage).toEqual(expected);
      // Without the map Apollo cannot tell that NotFoundError is an `Error`: the fragment's fields
      // are dropped, and the client sees an error with no code or message.
      const blind = await wrong.client.mutate({ mutation: SendMessage, variables: nobody });
      expect(blind.data?.sendMessage).toEqual({ __typename: 'NotFoundError' });
    } finally {
      right.close();
      wrong.close();
    }
  });

  it('receives a sent message on a subscription over its graphql-ws link', async () => {
    const sender = apollo(alice.token, introspection.possibleTypes);
    const receiver = apollo(bob.token, introspection.possibleTypes);
    const events = queue<EventData>();
    const subscription = receiver.client.subscribe({ query: Events }).subscribe({
      next: (result) => (result.data ? events.push(result.data.events as EventData) : events.fail(result.error)),
      error: (error) => events.fail(error),
    });
    try {
      expect(contents(await untilReady(events))).toEqual([]);
      const sent = await sender.client.mutate({ mutation: SendMessage, variables: textTo(bob, 'hello over apollo') });
      expect(sent.data?.sendMessage.__typename).toBe('SendMessagePayload');
      const event = await events.next();
      expect(event).toMatchObject({ __typename: 'MessageEvent', cursor: expect.any(String), message: { content: 'hello over apollo', from: { id: alice.id } } });
      if (event.__typename !== 'MessageEvent' || sent.data?.sendMessage.__typename !== 'SendMessagePayload') throw new Error('unreachable');
      expect(event.message.id).toBe(sent.data.sendMessage.messages[0]!.id);
      expectTypeOf(event.message.createdAt).toEqualTypeOf<number>();
      expect(typeof event.message.createdAt).toBe('number');
    } finally {
      subscription.unsubscribe();
      sender.close();
      receiver.close();
    }
  });
});

describe('urql', () => {
  for (const transport of ['ws', 'sse'] as const) {
    it(`receives a sent message on a subscription over ${transport === 'ws' ? 'graphql-ws' : 'SSE (graphql-sse)'}`, async () => {
      const sender = urql(alice.token, 'ws');
      const receiver = urql(bob.token, transport);
      const { events, unsubscribe } = urqlEvents(receiver.client);
      try {
        await untilReady(events);
        const content = `hello over urql and ${transport}`;
        const sent = await sender.client.mutation(SendMessage, textTo(bob, content)).toPromise();
        expect(sent.error).toBeUndefined();
        expect(sent.data?.sendMessage.__typename).toBe('SendMessagePayload');
        expect(await events.next()).toMatchObject({ __typename: 'MessageEvent', message: { content, from: { id: alice.id } } });
      } finally {
        unsubscribe();
        sender.close();
        receiver.close();
      }
    });
  }

  it('answers a mutation refused by the server as a typed error in data, not as a failure', async () => {
    const { client, close } = urql(alice.token, 'ws');
    try {
      const answer = await client.mutation(SendMessage, { input: { toKind: 'USER', targets: [alice.id, bob.id], contentType: 'TEXT', content: '' } }).toPromise();
      expect(answer.error).toBeUndefined();
      expect(answer.data?.sendMessage).toMatchObject({ __typename: 'InvalidInputError', code: expect.any(String) });
    } finally {
      close();
    }
  });
});

describe('resuming with events(since:)', () => {
  it('replays the message missed while away once, before the stream is ready, then goes live', async () => {
    const sender = urql(alice.token, 'ws');
    const first = urql(bob.token, 'ws');
    const before = urqlEvents(first.client);
    await untilReady(before.events);
    await sender.client.mutation(SendMessage, textTo(bob, 'seen')).toPromise();
    const seen = await before.events.next();
    expect(seen).toMatchObject({ __typename: 'MessageEvent', message: { content: 'seen' } });
    const cursor = seen.cursor!;
    expect(cursor).toEqual(expect.any(String));
    before.unsubscribe();
    first.close();

    // Away: two messages arrive.
    for (const content of ['missed 1', 'missed 2']) {
      const sent = await sender.client.mutation(SendMessage, textTo(bob, content)).toPromise();
      expect(sent.data?.sendMessage.__typename).toBe('SendMessagePayload');
    }

    const again = urql(bob.token, 'sse');
    const after = urqlEvents(again.client, cursor);
    try {
      const replayed = await untilReady(after.events);
      expect(contents(replayed)).toEqual(['missed 1', 'missed 2']);
      await sender.client.mutation(SendMessage, textTo(bob, 'live')).toPromise();
      const live = await after.events.next();
      expect(live).toMatchObject({ __typename: 'MessageEvent', message: { content: 'live' } });
      // Nothing else came: no message twice, none of before the cursor.
      expect(after.events.pending).toBe(0);

      // Resuming from the latest cursor replays nothing.
      const latest = urqlEvents(again.client, live.cursor!);
      expect(contents(await untilReady(latest.events))).toEqual([]);
      latest.unsubscribe();
    } finally {
      after.unsubscribe();
      again.close();
      sender.close();
    }
  });
});
