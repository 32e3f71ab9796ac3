import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import type { Context } from '../context.js';
import { AuthenticationError, ForbiddenError } from '../domain/errors.js';

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
  errors: { directResult: true },
  relay: { clientMutationId: 'omit', cursorType: 'String', nodeQueryOptions: false, nodesQueryOptions: false },
});

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});

builder.scalarType('Timestamp', {
  description: 'A point in time, as milliseconds since the Unix epoch.',
  serialize: (value) => value.getTime(),
  parseValue: (value) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new TypeError('Timestamp must be a number of milliseconds');
    return new Date(value);
  },
});

builder.scalarType('JSON', {
  description: 'Any JSON value: an object, array, string, number, boolean or null.',
  serialize: (value) => value,
  parseValue: (value) => value,
});

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
