import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { Kind, valueFromASTUntyped, type ValueNode } from 'graphql';
import type { Context } from '../context.js';
import { AuthenticationError, ForbiddenError } from '../domain/errors.js';

// The conventions these defaults serve are written down in docs/schema.md.

const capitalize = (name: string) => `${name[0]!.toUpperCase()}${name.slice(1)}`;

/**
 * Hear every typed error a field answers as a member of its result union (the schema is one per
 * process, so each server adds its listener while it runs: metrics count them by code).
 */
export const typedErrorListeners = new Set<(error: Error) => void>();

export const builder = new SchemaBuilder<{
  Context: Context;
  AuthScopes: { signedIn: boolean; user: boolean; admin: boolean };
  DefaultFieldNullability: false;
  Scalars: {
    ID: { Input: string; Output: string | number };
    Timestamp: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
    File: { Input: File; Output: never };
  };
}>({
  plugins: [ScopeAuthPlugin, ErrorsPlugin, RelayPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authorizeOnSubscribe: true,
    authScopes: ({ viewer }) => ({
      signedIn: viewer.kind !== 'anonymous',
      user: viewer.kind === 'user',
      admin: viewer.kind === 'admin',
    }),
    // Say precisely why: a bad token beats a generic "unauthorized".
    unauthorizedError: (_parent, { viewer, authError }) => {
      if (authError) return authError;
      if (viewer.kind === 'anonymous') return new AuthenticationError('TOKEN_MISSING', 'an access token is required');
      return new ForbiddenError(
        viewer.kind === 'admin' ? 'this needs a user token (or an admin token acting as a user)' : 'this needs an admin token',
      );
    },
  },
  // A mutation answers `<Action>Result`: its `<Action>Payload` object or one of its typed errors.
  errors: {
    directResult: true,
    onResolvedError: (error) => typedErrorListeners.forEach((listen) => listen(error)),
    defaultUnionOptions: {
      name: ({ fieldName }) => `${capitalize(fieldName)}Result`,
      description: 'What the operation answers: its payload when it succeeded, or one of the typed errors it can answer.',
    },
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    nodeQueryOptions: false,
    nodesQueryOptions: false,
    pageInfoTypeOptions: { description: 'Where a page of a connection sits in the whole list.' },
    hasNextPageFieldOptions: { description: 'Whether more items follow this page (ask with `after: endCursor`).' },
    hasPreviousPageFieldOptions: { description: 'Whether items come before this page.' },
    startCursorFieldOptions: { description: 'The cursor of the first item of the page; null when the page is empty.' },
    endCursorFieldOptions: { description: 'The cursor of the last item of the page; null when the page is empty.' },
    pageInfoFieldOptions: { description: 'Where this page sits in the whole list.' },
    edgesFieldOptions: { description: 'The items of this page, each with its cursor.' },
    cursorFieldOptions: { description: 'An opaque position in the list: pass it as `after` (or `before`) to page on.' },
    nodeFieldOptions: { description: 'The item.' },
    firstArgOptions: { description: 'How many items to answer after `after` (or from the start); at most 100 unless the field says otherwise.' },
    afterArgOptions: { description: 'A cursor: answer the items after it.' },
    lastArgOptions: { description: 'How many items to answer before `before` (or from the end); only fields that page both ways accept it.' },
    beforeArgOptions: { description: 'A cursor: answer the items before it; only fields that page both ways accept it.' },
    defaultConnectionTypeOptions: { description: 'A page of a list.' },
    defaultEdgeTypeOptions: { description: 'An item of a page, with its cursor.' },
  },
});

builder.queryType({ description: 'Reads. Most need a token (`Authorization: Bearer <token>`).' });
builder.mutationType({ description: 'Changes. Each answers a `<Action>Result` union: its payload, or a typed error.' });
builder.subscriptionType({ description: 'Live events, over graphql-ws (WebSocket) or server-sent events on the same `/graphql` path.' });

builder.scalarType('Timestamp', {
  description: 'A point in time, as milliseconds since the Unix epoch.',
  serialize: (value) => value.getTime(),
  parseValue: (value) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new TypeError('Timestamp must be a number of milliseconds');
    return new Date(value);
  },
});

builder.scalarType('JSON', {
  description:
    'Any JSON value: object, array, string, number or boolean. App-defined data the server stores and hands back as it was given.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (node: ValueNode, variables) => parseJsonLiteral(node, variables ?? undefined),
});

function parseJsonLiteral(node: ValueNode, variables: Record<string, unknown> | undefined): unknown {
  if (node.kind === Kind.ENUM) throw new TypeError(`JSON cannot hold the enum value ${node.value}; quote it as a string`);
  return valueFromASTUntyped(node, variables);
}

/**
 * App-defined JSON is stored as compact JSON text ('' for none). On input, `undefined` (absent)
 * leaves the value as it is and `null` clears it; on output, none is `null`.
 */
export function jsonText(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return value === null ? '' : JSON.stringify(value);
}

export function jsonValue(text: string | null | undefined): unknown {
  if (text == null || text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text; // stored before it was checked: hand it back as the string it is
  }
}

builder.scalarType('File', {
  description: 'A file sent with the GraphQL multipart request spec (input only).',
  serialize: () => {
    throw new TypeError('File is an input-only scalar');
  },
  parseValue: (value) => {
    if (!(value instanceof Object) || typeof (value as File).stream !== 'function') throw new TypeError('File must be a multipart file part');
    return value as File;
  },
});
