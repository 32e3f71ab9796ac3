// The connection to the server: urql for queries and mutations over HTTP, and for the one
// `events` subscription over graphql-ws. The socket is kept open and reopened after any drop;
// the app resubscribes with the latest cursor itself (see store.ts), so nothing is missed.
import { Client, fetchExchange, subscriptionExchange, type AnyVariables, type OperationResult, type TypedDocumentNode } from '@urql/core';
import { createClient as createSocket, type Client as Socket } from 'graphql-ws';

export type LinkState = 'connecting' | 'online' | 'reconnecting' | 'signed-out';

/** Close code for a socket we drop ourselves (network lost, no pong); graphql-ws retries after it. */
const DROPPED = 4499;
const PONG_TIMEOUT_MS = 5_000;

export interface Api {
  client: Client;
  onLink(listener: (state: LinkState, reason?: string) => void): () => void;
  dispose(): void;
}

export function graphqlUrl(): string {
  return new URL('/graphql', location.href).href;
}

export function connect(token: string): Api {
  const listeners = new Set<(state: LinkState, reason?: string) => void>();
  const emit = (state: LinkState, reason?: string) => listeners.forEach((l) => l(state, reason));
  let socket: WebSocket | undefined;
  let pongTimer: ReturnType<typeof setTimeout> | undefined;
  const drop = () => socket?.readyState === WebSocket.OPEN && socket.close(DROPPED, 'network lost');

  const wsUrl = new URL(graphqlUrl());
  wsUrl.protocol = wsUrl.protocol === 'https:' ? 'wss:' : 'ws:';
  const ws: Socket = createSocket({
    url: wsUrl.href,
    connectionParams: { token },
    lazy: false,
    keepAlive: 10_000,
    retryAttempts: Number.POSITIVE_INFINITY,
    // 4403: the session ended (signed out, revoked, expired): retrying cannot help.
    shouldRetry: (event) => !(isCloseEvent(event) && event.code === 4403),
    retryWait: async (retries) => {
      await untilOnline();
      await new Promise((resolve) => setTimeout(resolve, Math.min(250 * 2 ** retries, 5_000)));
    },
    on: {
      opened: (s) => (socket = s as WebSocket),
      connected: () => emit('online'),
      closed: (event) => {
        clearTimeout(pongTimer);
        if (isCloseEvent(event) && event.code === 4403) emit('signed-out', event.reason);
        else emit('reconnecting');
      },
      // A socket can look open while the network is gone: no pong in time means it is dead.
      ping: (received) => {
        if (!received) pongTimer = setTimeout(drop, PONG_TIMEOUT_MS);
      },
      pong: (received) => received && clearTimeout(pongTimer),
    },
  });
  window.addEventListener('offline', drop);

  const client = new Client({
    url: graphqlUrl(),
    requestPolicy: 'network-only',
    fetchOptions: () => ({ headers: { authorization: `Bearer ${token}` } }),
    exchanges: [
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({ unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink) }),
        }),
      }),
    ],
  });

  return {
    client,
    onLink(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      window.removeEventListener('offline', drop);
      clearTimeout(pongTimer);
      void ws.dispose();
    },
  };
}

/** An anonymous client for registering and signing in. */
export function anonymousClient(): Client {
  return new Client({ url: graphqlUrl(), requestPolicy: 'network-only', exchanges: [fetchExchange] });
}

/** Runs a query or mutation; a transport failure (no network, server down) throws `NetworkError`. */
export async function run<Data, Variables extends AnyVariables>(
  client: Client,
  kind: 'query' | 'mutation',
  document: TypedDocumentNode<Data, Variables>,
  variables: Variables,
): Promise<Data> {
  const result: OperationResult<Data, Variables> = await client[kind](document, variables).toPromise();
  if (result.error?.networkError) throw new NetworkError(result.error.networkError.message);
  if (result.error || !result.data) throw new Error(result.error?.graphQLErrors[0]?.message ?? 'no data');
  return result.data;
}

export class NetworkError extends Error {}

function isCloseEvent(value: unknown): value is CloseEvent {
  return typeof value === 'object' && value !== null && 'code' in value && 'reason' in value;
}

function untilOnline(): Promise<void> {
  if (navigator.onLine) return Promise.resolve();
  return new Promise((resolve) => window.addEventListener('online', () => resolve(), { once: true }));
}
