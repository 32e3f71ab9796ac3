import {
  AuthenticationError,
  ConflictError,
  type DomainError,
  ERROR_CODES,
  ERROR_DESCRIPTIONS,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  RateLimitedError,
} from '../../domain/errors.js';
import { builder } from '../builder.js';

export const ErrorCode = builder.enumType('ErrorCode', {
  description: 'Machine-readable reason of a failure. REST dialects map these to their own codes.',
  values: Object.fromEntries(ERROR_CODES.map((code) => [code, { description: ERROR_DESCRIPTIONS[code] }])) as Record<
    (typeof ERROR_CODES)[number],
    { description: string }
  >,
});

export const ErrorInterface = builder.interfaceRef<DomainError>('Error').implement({
  description: 'A failure the client can act on.',
  fields: (t) => ({
    message: t.exposeString('message', { description: 'What went wrong, for people.' }),
    code: t.field({ type: ErrorCode, description: 'What went wrong, for programs.', resolve: (e) => e.code }),
  }),
});

builder.objectType(InvalidInputError, {
  name: 'InvalidInputError',
  description: 'An argument is malformed.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ field: t.exposeString('field', { description: 'The offending argument, as a dotted path.' }) }),
});

builder.objectType(ConflictError, {
  name: 'ConflictError',
  description: 'The change collides with existing data (a taken username, say).',
  interfaces: [ErrorInterface],
  fields: (t) => ({ field: t.exposeString('field', { description: 'The field whose value is taken.' }) }),
});

builder.objectType(NotFoundError, {
  name: 'NotFoundError',
  description: 'The thing asked for does not exist (in this app).',
  interfaces: [ErrorInterface],
});

builder.objectType(AuthenticationError, {
  name: 'AuthenticationError',
  description: 'The caller could not be identified: missing or bad token, or wrong credentials.',
  interfaces: [ErrorInterface],
});

builder.objectType(ForbiddenError, {
  name: 'ForbiddenError',
  description: 'The caller may not do this.',
  interfaces: [ErrorInterface],
});

builder.objectType(RateLimitedError, {
  name: 'RateLimitedError',
  description: 'Too many failed attempts; try again later.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ retryAfterSeconds: t.exposeInt('retryAfterSeconds', { description: 'Seconds to wait before trying again.' }) }),
});
