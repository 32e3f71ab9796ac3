import {
  getArgumentValues,
  getVariableValues,
  GraphQLError,
  Kind,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { Counter } from 'prom-client';
import type { Context } from '../context.js';
import type { Deps } from '../domain/deps.js';
import { decodeCursor, userStream, type StreamEnd, type StreamItem } from '../domain/messages/stream.js';
import type { UserViewer } from '../domain/viewer.js';
import { deliveredOf, LOADER_TTL_MS, MESSAGE_TRAFFIC, type Delivered } from './schema/event.js';

/**
 * The `events` subscription over graphql-ws, without a generic GraphQL operation per subscriber.
 *
 * A connection holds its subscribed stream for hours and an event reaches it now and then; the
 * generic path kept, per subscriber, an envelop instance, a context with its loaders, pothos'
 * per-request caches, three AbortControllers and a chain of six async iterators (about 21 KB of
 * heap: bench/tools/idle-heap.ts). Here a subscriber is this object, the domain stream
 * (`userStream`) and its bus listener; the selection is compiled once per document (graphql-jit)
 * and executed per event with the connection's context, made at its first event and shared by
 * the connection's operations. What the client sees is the same: the same schema, resolvers,
 * masking, cursor and errors (`ws.ts` sends anything else, and any document that asks for more
 * than `events`, through the generic path).
 */

/** What a lean subscription needs from its connection. */
export interface LeanConnection {
  deps: Deps;
  viewer: UserViewer;
  /** The connection's context, made on first use and shared by its operations. */
  context(): Context;
  mask(error: unknown): GraphQLError;
}

/** The `events` field of a subscription document that asks for nothing else, or undefined. */
export function eventsOperation(document: DocumentNode, operationName: string | null | undefined): OperationDefinitionNode | undefined {
  let found: OperationDefinitionNode | undefined;
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    if (operationName ? definition.name?.value === operationName : found === undefined) found = definition;
    else if (!operationName) return undefined; // several operations and no name: the generic path says so
  }
  if (found?.operation !== 'subscription' || found.directives?.length) return undefined;
  const [field, ...rest] = found.selectionSet.selections;
  if (rest.length > 0 || field?.kind !== Kind.FIELD || field.name.value !== 'events' || field.directives?.length) return undefined;
  return found;
}

const compiled = new WeakMap<DocumentNode, Map<string, CompiledQuery>>();

/** The document's selection compiled once (documents come from yoga's parse cache, shared by connections). */
function compiledOf(schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined): CompiledQuery | readonly GraphQLError[] {
  let byName = compiled.get(document);
  if (!byName) compiled.set(document, (byName = new Map()));
  const key = operationName ?? '';
  const known = byName.get(key);
  if (known) return known;
  const made = compileQuery(schema, document, operationName);
  if (!isCompiledQuery(made)) return (made.errors ?? []) as readonly GraphQLError[];
  byName.set(key, made);
  return made;
}

/**
 * The stream of a lean `events` subscription, or the errors that refuse it (variables that do not
 * coerce, a cursor this server did not make): graphql-ws answers those with an `error` frame.
 */
export function subscribeEvents(
  connection: LeanConnection,
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  operationName: string | undefined,
  rawVariables: Record<string, unknown> | null | undefined,
  requestCounter: Counter<string> | undefined,
): AsyncIterableIterator<ExecutionResult> | readonly GraphQLError[] {
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables ?? {});
  if (coerced.errors) return coerced.errors;
  const field = schema.getSubscriptionType()!.getFields()['events']!;
  const fieldNode = operation.selectionSet.selections[0] as Parameters<typeof getArgumentValues>[1];
  let since: string | undefined;
  try {
    since = (getArgumentValues(field, fieldNode, coerced.coerced)['since'] as string | null | undefined) ?? undefined;
    if (since !== undefined) decodeCursor(since);
  } catch (error) {
    return [connection.mask(error)];
  }
  const query = compiledOf(schema, document, operationName);
  if (!('query' in query)) return query;
  requestCounter?.labels({ operationType: 'subscription', operationName: operation.name?.value ?? operationName ?? 'Anonymous' }).inc();
  return new LeanEvents(connection, query, rawVariables ?? {}, since);
}

const delivered = new Map<string, { inc(): void }>();

class LeanEvents implements AsyncIterableIterator<ExecutionResult> {
  /** Ends the domain stream while it waits for an event (return() on a waiting generator would wait for that event). */
  private readonly end: StreamEnd = {};
  private readonly items: AsyncGenerator<StreamItem>;
  private clearedAt = 0;
  private open = true;

  constructor(
    private readonly connection: LeanConnection,
    private readonly query: CompiledQuery,
    private readonly variables: Record<string, unknown>,
    since: string | undefined,
  ) {
    this.items = userStream(connection.deps, connection.viewer, since, this.end);
    connection.deps.metrics.streams.inc();
  }

  async next(): Promise<IteratorResult<ExecutionResult>> {
    let item: IteratorResult<StreamItem>;
    try {
      item = await this.items.next();
    } catch (error) {
      this.finish();
      // The stream's own errors (RESYNC_REQUIRED) reach the client with their code.
      throw this.connection.mask(error);
    }
    if (item.done) {
      this.finish();
      return { done: true, value: undefined };
    }
    const context = this.connection.context();
    const { type } = item.value.event;
    // The loaders serve message traffic for half a minute; any other event is about a change and
    // reads fresh data (as the generic path does).
    if (!MESSAGE_TRAFFIC.has(type) || Date.now() - this.clearedAt > LOADER_TTL_MS) {
      context.loaders.clearAll();
      this.clearedAt = Date.now();
    }
    const event: Delivered = deliveredOf(this.connection.viewer, item.value);
    let counter = delivered.get(type);
    if (!counter) delivered.set(type, (counter = this.connection.deps.metrics.eventsDelivered.labels({ type })));
    counter.inc();
    const result = await this.query.query(event, context, this.variables);
    if (result.errors) return { done: false, value: { ...result, errors: result.errors.map((e) => this.connection.mask(e)) } };
    return { done: false, value: result };
  }

  async return(): Promise<IteratorResult<ExecutionResult>> {
    this.finish();
    this.end.end?.();
    await this.items.return(undefined);
    return { done: true, value: undefined };
  }

  async throw(error: unknown): Promise<IteratorResult<ExecutionResult>> {
    await this.return();
    throw error;
  }

  private finish() {
    if (!this.open) return;
    this.open = false;
    this.connection.deps.metrics.streams.dec();
  }

  [Symbol.asyncIterator]() {
    return this;
  }
}
