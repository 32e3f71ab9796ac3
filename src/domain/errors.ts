/**
 * Domain errors: what went wrong, in terms a client can act on. Transports translate them (GraphQL
 * error types, REST dialect codes); anything that is not a DomainError is a bug and gets masked.
 */
export const ERROR_CODES = [
  'INVALID_INPUT',
  'APP_NOT_FOUND',
  'USER_NOT_FOUND',
  'DEVICE_NOT_FOUND',
  'USER_EXISTS',
  'ALREADY_BOUND',
  'APP_EXISTS',
  'TOKEN_MISSING',
  'TOKEN_INVALID',
  'TOKEN_REVOKED',
  'TOKEN_EXPIRED',
  'BAD_CREDENTIALS',
  'USER_DISABLED',
  'FORBIDDEN',
  // roster
  'ALREADY_FRIENDS',
  'ALREADY_APPLIED',
  'NOT_FRIEND',
  'BLOCKED',
  'FRIEND_REQUEST_NOT_FOUND',
  'FRIEND_REQUEST_EXPIRED',
  'REJECTS_FRIEND_REQUESTS',
  'WRONG_AUTH_ANSWER',
  // messages
  'MESSAGE_NOT_FOUND',
  'STRANGERS_NOT_ALLOWED',
  'RECALL_EXPIRED',
  'RATE_LIMITED',
  'BANNED_IN_GROUP',
  'RESYNC_REQUIRED',
  // Groups.
  'GROUP_NOT_FOUND',
  'NOT_GROUP_MEMBER',
  'INVALID_GROUP_MODE',
  'OWNER_CANNOT_LEAVE',
  'NEW_OWNER_NOT_MEMBER',
  'OWNED_GROUPS_QUOTA',
  'JOINED_GROUPS_QUOTA',
  'GROUP_ADMINS_QUOTA',
  'GROUP_FULL',
  'NEEDS_GROUP_MEMBER',
  'NEEDS_GROUP_ADMIN',
  'NEEDS_GROUP_OWNER',
  'APPLICATION_CLOSED',
  'INVITATION_CLOSED',
  'APPLICATIONS_REFUSED',
  'ALREADY_GROUP_MEMBER',
  'BLOCKED_FROM_GROUP',
  'ANNOUNCEMENT_NOT_FOUND',
  'GROUP_FILE_NOT_FOUND',
  'NOT_FILE_OWNER',
  'QR_CODE_INVALID',
  'QR_CODE_EXPIRED',
  // Files.
  'FILE_NOT_FOUND',
  'FILE_REFERENCE_INVALID',
  'FILE_REFERENCE_EXPIRED',
  'FILE_NOT_IN_CONVERSATION',
  'FILE_TOO_LARGE',
  'FILE_TYPE_NOT_ALLOWED',
  'UPLOAD_INCOMPLETE',
  'UPLOAD_SLOT_CLOSED',
  'NO_SUCH_VARIANT',
  'CONVERTER_UNAVAILABLE',
  'CONVERSION_FAILED',
  // Push.
  'PUSH_TOO_MANY_TARGETS',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** What a code means, for the GraphQL schema (codes without one predate the schema conventions). */
export const ERROR_DESCRIPTIONS: Partial<Record<ErrorCode, string>> = {
  FILE_NOT_FOUND: 'The file does not exist (any more) in this app.',
  FILE_REFERENCE_INVALID: 'A file reference or upload token is forged, malformed, or of another app.',
  FILE_REFERENCE_EXPIRED: 'A file reference or upload token is past its time: ask for a fresh one.',
  FILE_NOT_IN_CONVERSATION: 'The file was made for another conversation: forward it first.',
  FILE_TOO_LARGE: 'The upload is larger than the limit of its kind.',
  FILE_TYPE_NOT_ALLOWED: 'The bytes (whatever the name or header says) are not of a type this kind of upload takes.',
  UPLOAD_INCOMPLETE: 'The upload ended before all its bytes arrived (or had none).',
  UPLOAD_SLOT_CLOSED: 'The upload slot took a file already, or expired and was swept.',
  NO_SUCH_VARIANT: 'This file has no such rendition (a thumbnail of a document, MP3 of a video).',
  CONVERTER_UNAVAILABLE: 'The server has no media converter (ffmpeg) for this.',
  CONVERSION_FAILED: 'The converter could not read this file.',
  PUSH_TOO_MANY_TARGETS: 'A push audience lists more than 500 tags, aliases, users or tokens.',
  RESYNC_REQUIRED:
    'A live stream ended because its client fell too far behind: resubscribe with the latest cursor, and refetch what is shown.',
};

export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;

  /** GraphQL copies these onto the error it reports, so clients see the code (and the field). */
  get extensions(): Record<string, unknown> {
    const field = (this as { field?: string }).field;
    return field === undefined ? { code: this.code } : { code: this.code, field };
  }
}

/** An argument is malformed; `field` names it (dotted path for nested input). */
export class InvalidInputError extends DomainError {
  override name = 'InvalidInputError';
  constructor(
    readonly field: string,
    message: string,
    /** A more precise code where a dialect tells these cases apart. */
    readonly code:
      | 'INVALID_INPUT'
      | 'INVALID_GROUP_MODE'
      | 'QR_CODE_INVALID'
      | 'QR_CODE_EXPIRED'
      | 'FILE_REFERENCE_INVALID'
      | 'FILE_REFERENCE_EXPIRED'
      | 'FILE_TOO_LARGE'
      | 'FILE_TYPE_NOT_ALLOWED'
      | 'UPLOAD_INCOMPLETE'
      | 'UPLOAD_SLOT_CLOSED'
      | 'NO_SUCH_VARIANT'
      | 'CONVERSION_FAILED'
      | 'PUSH_TOO_MANY_TARGETS' = 'INVALID_INPUT',
  ) {
    super(`${field}: ${message}`);
  }
}

export class NotFoundError extends DomainError {
  override name = 'NotFoundError';
  constructor(
    readonly code:
      | 'APP_NOT_FOUND'
      | 'USER_NOT_FOUND'
      | 'DEVICE_NOT_FOUND'
      | 'NOT_FRIEND'
      | 'FRIEND_REQUEST_NOT_FOUND'
      | 'MESSAGE_NOT_FOUND'
      | 'GROUP_NOT_FOUND'
      | 'ANNOUNCEMENT_NOT_FOUND'
      | 'GROUP_FILE_NOT_FOUND'
      | 'FILE_NOT_FOUND',
    message: string,
  ) {
    super(message);
  }
}

export class ConflictError extends DomainError {
  override name = 'ConflictError';
  constructor(
    readonly code:
      | 'USER_EXISTS'
      | 'APP_EXISTS'
      | 'ALREADY_BOUND'
      | 'ALREADY_FRIENDS'
      | 'ALREADY_APPLIED'
      | 'FRIEND_REQUEST_EXPIRED'
      | 'ALREADY_GROUP_MEMBER'
      | 'APPLICATION_CLOSED'
      | 'INVITATION_CLOSED'
      | 'OWNED_GROUPS_QUOTA'
      | 'JOINED_GROUPS_QUOTA'
      | 'GROUP_ADMINS_QUOTA'
      | 'GROUP_FULL',
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** The caller could not be identified: no token, a bad one, or wrong credentials. */
export class AuthenticationError extends DomainError {
  override name = 'AuthenticationError';
  constructor(
    readonly code: 'TOKEN_MISSING' | 'TOKEN_INVALID' | 'TOKEN_REVOKED' | 'TOKEN_EXPIRED' | 'BAD_CREDENTIALS' | 'USER_DISABLED',
    message: string,
  ) {
    super(message);
  }
}

/** The caller is known but may not do this. */
export class ForbiddenError extends DomainError {
  override name = 'ForbiddenError';
  constructor(
    message: string,
    readonly code:
      | 'FORBIDDEN'
      | 'BLOCKED'
      | 'REJECTS_FRIEND_REQUESTS'
      | 'WRONG_AUTH_ANSWER'
      | 'STRANGERS_NOT_ALLOWED'
      | 'RECALL_EXPIRED'
      | 'BANNED_IN_GROUP'
      | 'NOT_GROUP_MEMBER'
      | 'NEEDS_GROUP_MEMBER'
      | 'NEEDS_GROUP_ADMIN'
      | 'NEEDS_GROUP_OWNER'
      | 'OWNER_CANNOT_LEAVE'
      | 'NEW_OWNER_NOT_MEMBER'
      | 'APPLICATIONS_REFUSED'
      | 'BLOCKED_FROM_GROUP'
      | 'NOT_FILE_OWNER'
      | 'FILE_NOT_IN_CONVERSATION' = 'FORBIDDEN',
  ) {
    super(message);
  }
}

/** Too many requests (or failed attempts) of one budget: try again after `retryAfterSeconds`. */
export class RateLimitedError extends DomainError {
  override name = 'RateLimitedError';
  readonly code = 'RATE_LIMITED';
  constructor(
    readonly retryAfterSeconds: number,
    what: 'failed' | 'requests' = 'failed',
  ) {
    super(`too many ${what === 'failed' ? 'failed attempts' : 'requests'}: try again in ${retryAfterSeconds} seconds`);
  }

  override get extensions(): Record<string, unknown> {
    return { code: this.code, retryAfterSeconds: this.retryAfterSeconds };
  }
}

/** The server cannot do this here: a tool it needs (ffmpeg) is not installed. */
export class UnavailableError extends DomainError {
  override name = 'UnavailableError';
  readonly code = 'CONVERTER_UNAVAILABLE';
}

/** Postgres unique_violation, as raised by both drivers. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = (error as { cause?: unknown })?.cause ?? error;
  const pg = e as { code?: string; constraint?: string; constraint_name?: string };
  if (pg?.code !== '23505') return false;
  return constraint === undefined || (pg.constraint ?? pg.constraint_name) === constraint;
}

/**
 * A live stream fell too far behind its consumer and ended: the client resubscribes (with its
 * latest cursor, to receive what it missed) and refetches what it shows.
 */
export class ResyncRequiredError extends DomainError {
  override name = 'ResyncRequiredError';
  readonly code = 'RESYNC_REQUIRED' as const;
}
