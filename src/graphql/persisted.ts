import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse, validate, type GraphQLError, type GraphQLSchema } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';

/**
 * Persisted operations (PERSISTED_OPERATIONS=manifest.json): the server runs only the documents of
 * its manifest, over HTTP and graphql-ws alike. A client names one by its id, Apollo's way
 * (`extensions: { persistedQuery: { version: 1, sha256Hash } }`), or sends a document whose SHA-256
 * is listed; anything else is refused before it is parsed:
 * - `PERSISTED_QUERY_NOT_FOUND`: a document, or an id, the manifest does not list;
 * - `PERSISTED_QUERY_ID_REQUIRED`: neither a document nor an id.
 *
 * The REST dialects (and the action protocol) run the server's own documents straight through the
 * envelop pipeline, not as client requests, so they work as before.
 *
 * The manifest is a JSON object of id → document (graphql-codegen's `persisted-documents.json`), or
 * Apollo's persisted query manifest (`{ "format": "apollo-persisted-query-manifest", "operations": [{ "id", "body" }] }`).
 * An id is any string; by convention the hex SHA-256 of the document's text, as Apollo's clients send it.
 */
export interface PersistedOperations {
  readonly size: number;
  /** The document a client's request stands for, or why it is refused. */
  resolve(params: { query?: unknown; extensions?: unknown }): { query: string } | { error: GraphQLError };
  /** The yoga plugins that enforce it over HTTP. */
  plugins(): Plugin[];
}

export const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

/** Reads and checks a manifest: every document must parse and validate against the schema, or the server does not start. */
export function loadPersistedOperations(path: string, schema: GraphQLSchema): PersistedOperations {
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`PERSISTED_OPERATIONS: cannot read ${path} as JSON: ${(error as Error).message}`);
  }
  const byId = new Map<string, string>();
  const entries: [string, unknown][] =
    isRecord(manifest) && manifest['format'] === 'apollo-persisted-query-manifest' && Array.isArray(manifest['operations'])
      ? manifest['operations'].map((op: unknown) => [String(isRecord(op) ? op['id'] : ''), isRecord(op) ? op['body'] : undefined])
      : isRecord(manifest)
        ? Object.entries(manifest)
        : [];
  if (entries.length === 0) throw new Error(`PERSISTED_OPERATIONS: ${path} lists no operations (an object of id → document)`);
  for (const [id, document] of entries) {
    if (!id || typeof document !== 'string') throw new Error(`PERSISTED_OPERATIONS: ${path}: entry ${JSON.stringify(id)} is not a document (a string)`);
    let errors: readonly GraphQLError[];
    try {
      errors = validate(schema, parse(document));
    } catch (error) {
      errors = [error as GraphQLError];
    }
    if (errors.length > 0) throw new Error(`PERSISTED_OPERATIONS: ${path}: operation ${id}: ${errors.map((e) => e.message).join('; ')}`);
    byId.set(id, document);
    // A client may also send the document itself: it is known by its hash.
    byId.set(sha256Hex(document), document);
  }

  const notFound = () =>
    createGraphQLError('this server runs only its persisted operations, and this one is not among them', {
      extensions: { code: 'PERSISTED_QUERY_NOT_FOUND', http: { status: 400 } },
    });
  const idRequired = () =>
    createGraphQLError('this server runs only its persisted operations: send extensions.persistedQuery.sha256Hash', {
      extensions: { code: 'PERSISTED_QUERY_ID_REQUIRED', http: { status: 400 } },
    });
  const idOf = (extensions: unknown): string | undefined => {
    const persisted = isRecord(extensions) ? extensions['persistedQuery'] : undefined;
    const hash = isRecord(persisted) ? persisted['sha256Hash'] : undefined;
    return typeof hash === 'string' ? hash : undefined;
  };
  const resolve: PersistedOperations['resolve'] = ({ query, extensions }) => {
    if (typeof query === 'string' && query !== '') {
      const known = byId.get(sha256Hex(query));
      return known === undefined ? { error: notFound() } : { query: known };
    }
    const id = idOf(extensions);
    if (id === undefined) return { error: idRequired() };
    const known = byId.get(id);
    return known === undefined ? { error: notFound() } : { query: known };
  };

  return {
    size: entries.length,
    resolve,
    plugins: () => [
      {
        // A document sent in full is accepted when its hash is listed: it becomes a request by id,
        // which the library's plugin (next) then serves; an unknown document is refused here.
        onParams({ params, setParams }) {
          if (typeof params.query !== 'string' || params.query === '') return;
          const resolved = resolve(params);
          if ('error' in resolved) throw resolved.error;
          setParams({ ...params, query: undefined, extensions: { ...params.extensions, persistedQuery: { version: 1, sha256Hash: sha256Hex(resolved.query) } } });
        },
      },
      usePersistedOperations({
        getPersistedOperation: (id) => byId.get(id) ?? null,
        allowArbitraryOperations: false,
        customErrors: { notFound: () => notFound(), keyNotFound: () => idRequired(), persistedQueryOnly: () => notFound() },
      }),
    ],
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
