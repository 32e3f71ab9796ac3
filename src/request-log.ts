import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { getOperationAST, GraphQLError, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from './context.js';
import type { Logger } from './logger.js';

// One JSON line per HTTP request: method, path (never the query string: it may carry a token),
// the GraphQL operation name and type when there is one, status, the first error code, duration,
// app id and the request id, which the response also carries in `x-request-id`. Never
// variables, headers or bodies.

export const REQUEST_ID_HEADER = 'x-request-id';

/** An incoming request id is kept when it is short and plain; anything else gets a fresh one. */
const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

interface Note {
  id: string;
  operation?: string;
  operationType?: string;
  appId?: string;
  errorCode?: string;
}

const notes = new WeakMap<IncomingMessage, Note>();

/** The request's id: the client's `x-request-id` if sane, else a new UUID. Set on the response too. */
export function startRequest(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers[REQUEST_ID_HEADER];
  const id = typeof incoming === 'string' && SANE_ID.test(incoming) ? incoming : randomUUID();
  notes.set(req, { id });
  res.setHeader(REQUEST_ID_HEADER, id);
  return id;
}

/** Logs the request once its response is finished (or the client went away). */
export function logRequest(logger: Logger, req: IncomingMessage, res: ServerResponse, handler: () => string) {
  const started = process.hrtime.bigint();
  res.once('close', () => {
    const note = notes.get(req);
    const status = res.writableFinished ? res.statusCode : 499;
    const line = {
      requestId: note?.id,
      method: req.method,
      path: (req.url ?? '/').split('?')[0],
      handler: handler(),
      ...(note?.operation !== undefined && { operation: note.operation, operationType: note.operationType }),
      status,
      ...(note?.errorCode !== undefined && { errorCode: note.errorCode }),
      durationMs: Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100,
      ...(note?.appId !== undefined && { appId: note.appId }),
    };
    // A GraphQL failure answers 200 with its code in `errors`: as loud as the status it stands for.
    if (status >= 500 || note?.errorCode === 'INTERNAL_SERVER_ERROR') logger.error(line, 'request');
    else if (status >= 400 || note?.errorCode !== undefined) logger.warn(line, 'request');
    else logger.info(line, 'request');
  });
}

/** The request id of a request (for error lines logged while it runs). */
export const requestIdOf = (req: IncomingMessage | undefined) => (req ? notes.get(req)?.id : undefined);

/** Notes each GraphQL operation's name, type, app and first error code on its HTTP request. */
export function useRequestNotes(): Plugin<Context & { req?: IncomingMessage }> {
  return {
    onExecute({ args }) {
      const context = args.contextValue;
      const note = context.req && notes.get(context.req);
      if (!note) return;
      const operation = getOperationAST(args.document, args.operationName);
      note.operation = operation?.name?.value ?? '(anonymous)';
      note.operationType = operation?.operation;
      if (context.viewer.kind !== 'anonymous') note.appId = context.viewer.appId;
    },
    // Every result, those refused before execution (a bad token, a document that does not validate) too.
    onResultProcess({ result, serverContext }) {
      const { req } = serverContext as { req?: IncomingMessage };
      const note = req && notes.get(req);
      if (!note || Array.isArray(result) || !('errors' in result)) return;
      const code = result.errors?.[0]?.extensions?.['code'];
      if (typeof code === 'string') note.errorCode ??= code;
    },
  };
}

interface WsOperation {
  id: string;
  started: bigint;
  operation?: string;
  operationType?: string;
  errorCode?: string;
  /** Set once the operation runs: graphql-ws then reports its end through `onComplete`. */
  running: boolean;
}

const firstCode = (errors: readonly { extensions?: Record<string, unknown> }[] | undefined) => {
  const code = errors?.[0]?.extensions?.['code'];
  return typeof code === 'string' ? code : errors?.length ? 'GRAPHQL_ERROR' : undefined;
};

/**
 * Errors as sent over graphql-ws, each carrying the operation's request id in its extensions
 * (`requestId`): what a client quotes to find the operation's log line, as `x-request-id` over HTTP.
 */
export function withRequestId<E extends GraphQLError>(errors: readonly E[], requestId: string | undefined): readonly E[] | GraphQLError[] {
  if (requestId === undefined) return errors;
  return errors.map(
    (e) => new GraphQLError(e.message, { nodes: e.nodes, source: e.source, positions: e.positions, path: e.path, originalError: e.originalError, extensions: { ...e.extensions, requestId } }),
  );
}

/**
 * The same request line for operations over graphql-ws, which have no HTTP request of their own:
 * one line when an operation ends (a query or mutation once answered, a subscription once
 * completed), with a fresh request id, the operation, its first error code, duration and app.
 * Never the payload, variables or connection parameters.
 */
export function wsOperationLog(logger: Logger) {
  // Per connection, so an operation the connection's end cut short goes with it.
  const connections = new WeakMap<object, Map<string, WsOperation>>();
  const operationsOf = (connection: object) => {
    let operations = connections.get(connection);
    if (!operations) connections.set(connection, (operations = new Map()));
    return operations;
  };
  const write = (connection: object, id: string, appId: string | undefined) => {
    const operations = operationsOf(connection);
    const op = operations.get(id);
    if (!op) return;
    operations.delete(id);
    const line = {
      requestId: op.id,
      transport: 'ws',
      path: '/graphql',
      handler: 'graphql-ws',
      operation: op.operation ?? '(unparsed)',
      ...(op.operationType !== undefined && { operationType: op.operationType }),
      ...(op.errorCode !== undefined && { errorCode: op.errorCode }),
      durationMs: Math.round(Number(process.hrtime.bigint() - op.started) / 1e4) / 100,
      ...(appId !== undefined && { appId }),
    };
    if (op.errorCode === 'INTERNAL_SERVER_ERROR') logger.error(line, 'request');
    else if (op.errorCode !== undefined) logger.warn(line, 'request');
    else logger.info(line, 'request');
  };
  return {
    /** An operation arrived (before anything else is known of it). */
    start(connection: object, id: string) {
      operationsOf(connection).set(id, { id: randomUUID(), started: process.hrtime.bigint(), running: false });
    },
    /** Its document parsed: the operation it names. */
    describe(connection: object, id: string, document: DocumentNode, operationName: string | null | undefined) {
      const op = operationsOf(connection).get(id);
      if (!op) return;
      const operation = getOperationAST(document, operationName);
      op.operation = operation?.name?.value ?? '(anonymous)';
      op.operationType = operation?.operation;
    },
    /** It passed every check and runs now. */
    running(connection: object, id: string) {
      const op = operationsOf(connection).get(id);
      if (op) op.running = true;
    },
    /** A result is being sent: its first error code is the operation's. Answers the request id. */
    result(connection: object, id: string, errors: readonly { extensions?: Record<string, unknown> }[] | undefined): string | undefined {
      const op = operationsOf(connection).get(id);
      if (op) op.errorCode ??= firstCode(errors);
      return op?.id;
    },
    /** It failed with errors; refused before running, it ends here. Answers the request id. */
    error(connection: object, id: string, errors: readonly { extensions?: Record<string, unknown> }[], appId: string | undefined): string | undefined {
      const op = operationsOf(connection).get(id);
      if (!op) return undefined;
      op.errorCode ??= firstCode(errors);
      if (!op.running) write(connection, id, appId);
      return op.id;
    },
    /** It ended (answered, completed by either side, or the connection closed). */
    complete(connection: object, id: string, appId: string | undefined) {
      write(connection, id, appId);
    },
  };
}
