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
  'PUSH_PROVIDER_NOT_SUPPORTED',
  'WEBHOOK_NOT_FOUND',
  'WEBHOOK_LIMIT',
  'WEBHOOK_DELIVERY_NOT_FOUND',
  'WEBHOOK_DELIVERY_NOT_FAILED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** What a code means, for the GraphQL schema. */
export const ERROR_DESCRIPTIONS: Record<ErrorCode, string> = {
  INVALID_INPUT: 'An argument is malformed or out of range (`field` names it).',
  APP_NOT_FOUND: 'No app has this id.',
  USER_NOT_FOUND: 'No user of this app has this id (or name).',
  DEVICE_NOT_FOUND: 'The user has no device of this serial number.',
  USER_EXISTS: 'A username or login name is taken in this app (`field` names it).',
  ALREADY_BOUND: 'The push open id is bound to another user already.',
  APP_EXISTS: 'An app of this id exists already.',
  TOKEN_MISSING: 'The request carries no access token.',
  TOKEN_INVALID: 'The access token is forged, malformed, or of another app.',
  TOKEN_REVOKED: 'The access token was revoked (signed out, password changed, user disabled).',
  TOKEN_EXPIRED: 'The access token is past its time: sign in again.',
  BAD_CREDENTIALS: 'Wrong username or password (or app secret).',
  USER_DISABLED: 'The user is disabled by an app admin.',
  FORBIDDEN: 'The viewer may not do this (the wrong kind of token, or not their thing).',
  ALREADY_FRIENDS: 'The two users are friends already.',
  ALREADY_APPLIED: 'A friend request to this user is pending already.',
  NOT_FRIEND: 'The user is not a friend of the viewer.',
  BLOCKED: 'One of the two users has blocked the other.',
  FRIEND_REQUEST_NOT_FOUND: 'There is no pending friend request from this user.',
  FRIEND_REQUEST_EXPIRED: 'The friend request is too old to be answered.',
  REJECTS_FRIEND_REQUESTS: 'The user takes no friend requests (auth mode NOBODY).',
  WRONG_AUTH_ANSWER: "The answer to the user's question is wrong.",
  MESSAGE_NOT_FOUND: 'No message of this id in a conversation the viewer can see.',
  STRANGERS_NOT_ALLOWED: 'The app lets only friends message each other.',
  RECALL_EXPIRED: 'The message is too old to be recalled.',
  RATE_LIMITED: 'Too many requests: wait `retryAfterSeconds` and try again.',
  BANNED_IN_GROUP: 'The viewer is banned (muted) in the group, or only admins may send now.',
  GROUP_NOT_FOUND: 'No group of this app has this id.',
  NOT_GROUP_MEMBER: 'The user is not a member of the group.',
  INVALID_GROUP_MODE: 'A mute or push mode outside its set (REST dialects only: GraphQL enums refuse these themselves).',
  OWNER_CANNOT_LEAVE: 'The owner must transfer the group before leaving it.',
  NEW_OWNER_NOT_MEMBER: 'The new owner must be a member of the group.',
  OWNED_GROUPS_QUOTA: 'The user owns as many groups as the app allows.',
  JOINED_GROUPS_QUOTA: 'The user belongs to as many groups as the app allows.',
  GROUP_ADMINS_QUOTA: 'The group has as many admins as it may.',
  GROUP_FULL: 'The group holds as many members as its capacity.',
  NEEDS_GROUP_MEMBER: 'Only members of the group may do this.',
  NEEDS_GROUP_ADMIN: 'Only admins (and the owner) of the group may do this.',
  NEEDS_GROUP_OWNER: 'Only the owner of the group may do this.',
  APPLICATION_CLOSED: 'The application was answered already, or expired.',
  INVITATION_CLOSED: 'The invitation was answered already, or expired.',
  APPLICATIONS_REFUSED: 'The group takes no applications (or is private).',
  ALREADY_GROUP_MEMBER: 'The user is a member of the group already.',
  BLOCKED_FROM_GROUP: 'The user is blocked from the group.',
  ANNOUNCEMENT_NOT_FOUND: 'The group has no announcement of this id.',
  GROUP_FILE_NOT_FOUND: 'The group shares no file of this id.',
  NOT_FILE_OWNER: 'Only the uploader or an admin may change this shared file.',
  QR_CODE_INVALID: 'The QR code is forged, malformed, or of another app.',
  QR_CODE_EXPIRED: 'The QR code is too old: ask for a fresh one.',
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
  PUSH_PROVIDER_NOT_SUPPORTED:
    'The push channel (Huawei, Xiaomi, OPPO, vivo, Meizu) is not supported by this server: use FCM or the signed webhook channel for those devices.',
  WEBHOOK_NOT_FOUND: 'No webhook endpoint of this app has that id.',
  WEBHOOK_LIMIT: 'The app has as many webhook endpoints as it may (10).',
  WEBHOOK_DELIVERY_NOT_FOUND: 'No webhook delivery of this app has that id.',
  WEBHOOK_DELIVERY_NOT_FAILED: 'Only a failed (dead-lettered) webhook delivery is redelivered by hand; this one is pending or delivered.',
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
      | 'PUSH_TOO_MANY_TARGETS'
      | 'PUSH_PROVIDER_NOT_SUPPORTED' = 'INVALID_INPUT',
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
      | 'FILE_NOT_FOUND'
      | 'WEBHOOK_NOT_FOUND'
      | 'WEBHOOK_DELIVERY_NOT_FOUND',
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
      | 'GROUP_FULL'
      | 'WEBHOOK_LIMIT'
      | 'WEBHOOK_DELIVERY_NOT_FAILED',
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
