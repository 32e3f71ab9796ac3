/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** What a message carries. */
export type ContentType =
  /** An audio file (`file`). */
  | 'AUDIO'
  /** An app-defined command in `content`/`attachment`; clients need not show it. */
  | 'COMMAND'
  /** Any other file (`file`). */
  | 'FILE'
  /** Forwarded messages, described by the app in `attachment`. */
  | 'FORWARD'
  /** An image file (`file`), with an optional caption in `content`. */
  | 'IMAGE'
  /** A place, described by the app in `attachment`. */
  | 'LOCATION'
  /** Text in `content`. */
  | 'TEXT'
  /** A video file (`file`). */
  | 'VIDEO';

/** Machine-readable reason of a failure. REST dialects map these to their own codes. */
export type ErrorCode =
  /** A friend request to this user is pending already. */
  | 'ALREADY_APPLIED'
  /** The push open id is bound to another user already. */
  | 'ALREADY_BOUND'
  /** The two users are friends already. */
  | 'ALREADY_FRIENDS'
  /** The user is a member of the group already. */
  | 'ALREADY_GROUP_MEMBER'
  /** The group has no announcement of this id. */
  | 'ANNOUNCEMENT_NOT_FOUND'
  /** The group takes no applications (or is private). */
  | 'APPLICATIONS_REFUSED'
  /** The application was answered already, or expired. */
  | 'APPLICATION_CLOSED'
  /** An app of this id exists already. */
  | 'APP_EXISTS'
  /** No app has this id. */
  | 'APP_NOT_FOUND'
  /** Wrong username or password (or app secret). */
  | 'BAD_CREDENTIALS'
  /** The viewer is banned (muted) in the group, or only admins may send now. */
  | 'BANNED_IN_GROUP'
  /** One of the two users has blocked the other. */
  | 'BLOCKED'
  /** The user is blocked from the group. */
  | 'BLOCKED_FROM_GROUP'
  /** The converter could not read this file. */
  | 'CONVERSION_FAILED'
  /** The server has no media converter (ffmpeg) for this. */
  | 'CONVERTER_UNAVAILABLE'
  /** The user has no device of this serial number. */
  | 'DEVICE_NOT_FOUND'
  /** The file does not exist (any more) in this app. */
  | 'FILE_NOT_FOUND'
  /** The file was made for another conversation: forward it first. */
  | 'FILE_NOT_IN_CONVERSATION'
  /** A file reference or upload token is past its time: ask for a fresh one. */
  | 'FILE_REFERENCE_EXPIRED'
  /** A file reference or upload token is forged, malformed, or of another app. */
  | 'FILE_REFERENCE_INVALID'
  /** The upload is larger than the limit of its kind. */
  | 'FILE_TOO_LARGE'
  /** The bytes (whatever the name or header says) are not of a type this kind of upload takes. */
  | 'FILE_TYPE_NOT_ALLOWED'
  /** The viewer may not do this (the wrong kind of token, or not their thing). */
  | 'FORBIDDEN'
  /** The friend request is too old to be answered. */
  | 'FRIEND_REQUEST_EXPIRED'
  /** There is no pending friend request from this user. */
  | 'FRIEND_REQUEST_NOT_FOUND'
  /** The group has as many admins as it may. */
  | 'GROUP_ADMINS_QUOTA'
  /** The group shares no file of this id. */
  | 'GROUP_FILE_NOT_FOUND'
  /** The group holds as many members as its capacity. */
  | 'GROUP_FULL'
  /** No group of this app has this id. */
  | 'GROUP_NOT_FOUND'
  /** A mute or push mode outside its set (REST dialects only: GraphQL enums refuse these themselves). */
  | 'INVALID_GROUP_MODE'
  /** An argument is malformed or out of range (`field` names it). */
  | 'INVALID_INPUT'
  /** The invitation was answered already, or expired. */
  | 'INVITATION_CLOSED'
  /** The user belongs to as many groups as the app allows. */
  | 'JOINED_GROUPS_QUOTA'
  /** No message of this id in a conversation the viewer can see. */
  | 'MESSAGE_NOT_FOUND'
  /** Only admins (and the owner) of the group may do this. */
  | 'NEEDS_GROUP_ADMIN'
  /** Only members of the group may do this. */
  | 'NEEDS_GROUP_MEMBER'
  /** Only the owner of the group may do this. */
  | 'NEEDS_GROUP_OWNER'
  /** The new owner must be a member of the group. */
  | 'NEW_OWNER_NOT_MEMBER'
  /** Only the uploader or an admin may change this shared file. */
  | 'NOT_FILE_OWNER'
  /** The user is not a friend of the viewer. */
  | 'NOT_FRIEND'
  /** The user is not a member of the group. */
  | 'NOT_GROUP_MEMBER'
  /** This file has no such rendition (a thumbnail of a document, MP3 of a video). */
  | 'NO_SUCH_VARIANT'
  /** The user owns as many groups as the app allows. */
  | 'OWNED_GROUPS_QUOTA'
  /** The owner must transfer the group before leaving it. */
  | 'OWNER_CANNOT_LEAVE'
  /** The push channel (Huawei, Xiaomi, OPPO, vivo, Meizu) is not supported by this server: use FCM or the signed webhook channel for those devices. */
  | 'PUSH_PROVIDER_NOT_SUPPORTED'
  /** A push audience lists more than 500 tags, aliases, users or tokens. */
  | 'PUSH_TOO_MANY_TARGETS'
  /** The QR code is too old: ask for a fresh one. */
  | 'QR_CODE_EXPIRED'
  /** The QR code is forged, malformed, or of another app. */
  | 'QR_CODE_INVALID'
  /** Too many requests: wait `retryAfterSeconds` and try again. */
  | 'RATE_LIMITED'
  /** The message is too old to be recalled. */
  | 'RECALL_EXPIRED'
  /** The user takes no friend requests (auth mode NOBODY). */
  | 'REJECTS_FRIEND_REQUESTS'
  /** A live stream ended because its client fell too far behind: resubscribe with the latest cursor, and refetch what is shown. */
  | 'RESYNC_REQUIRED'
  /** The app lets only friends message each other. */
  | 'STRANGERS_NOT_ALLOWED'
  /** The access token is past its time: sign in again. */
  | 'TOKEN_EXPIRED'
  /** The access token is forged, malformed, or of another app. */
  | 'TOKEN_INVALID'
  /** The request carries no access token. */
  | 'TOKEN_MISSING'
  /** The access token was revoked (signed out, password changed, user disabled). */
  | 'TOKEN_REVOKED'
  /** The upload ended before all its bytes arrived (or had none). */
  | 'UPLOAD_INCOMPLETE'
  /** The upload slot took a file already, or expired and was swept. */
  | 'UPLOAD_SLOT_CLOSED'
  /** The user is disabled by an app admin. */
  | 'USER_DISABLED'
  /** A username or login name is taken in this app (`field` names it). */
  | 'USER_EXISTS'
  /** No user of this app has this id (or name). */
  | 'USER_NOT_FOUND'
  /** The app has as many webhook endpoints as it may (10). */
  | 'WEBHOOK_LIMIT'
  /** No webhook endpoint of this app has that id. */
  | 'WEBHOOK_NOT_FOUND'
  /** The answer to the user's question is wrong. */
  | 'WRONG_AUTH_ANSWER';

/** A message to send, to one or more users or groups. */
export type SendMessageInput = {
  /** App-defined data of the content, up to 8 KiB as JSON text. */
  attachment?: unknown;
  /** App-defined delivery options, up to 8 KiB as JSON text. */
  config?: unknown;
  /** Up to 10000 characters; a TEXT message needs some. */
  content?: string | null | undefined;
  /** What the message carries. */
  contentType: ContentType;
  /** App-defined data, up to 8 KiB as JSON text. */
  ext?: unknown;
  /** IMAGE, AUDIO, VIDEO and FILE messages: the file they carry, as a `StoredFile.reference` or download URL made for this conversation (upload it for this conversation, or forwardFile). */
  file?: string | null | undefined;
  /** Admin tokens: the user to send as. */
  fromUserId?: string | number | null | undefined;
  /** @all (groups). */
  mentionAll?: boolean | null | undefined;
  /** Users @-mentioned (groups). */
  mentions?: Array<string | number> | null | undefined;
  /** Up to 100 user or group ids; one message each. */
  targets: Array<string | number>;
  /** Users or groups; never both at once. */
  toKind: TargetKind;
  /** A client id for the send: a retry with the same id answers the first messages, never sends twice. */
  transactionId?: string | number | null | undefined;
};

/** Whom a message goes to. */
export type TargetKind =
  /** A group: every member's conversation. */
  | 'GROUP'
  /** A user: the conversation of two. */
  | 'USER';

export type SendMessageMutationVariables = Exact<{
  input: SendMessageInput;
}>;


export type SendMessageMutation = { sendMessage:
    | { __typename: 'AuthenticationError', code: ErrorCode, message: string }
    | { __typename: 'ForbiddenError', code: ErrorCode, message: string }
    | { __typename: 'InvalidInputError', code: ErrorCode, message: string }
    | { __typename: 'NotFoundError', code: ErrorCode, message: string }
    | { __typename: 'SendMessagePayload', messages: Array<{ id: string, seq: number, content: string, createdAt: number, conversationId: string }> }
   };

export type ViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerQuery = { viewer: { id: string, username: string, createdAt: number } };

export type EventsSubscriptionVariables = Exact<{
  since?: string | null | undefined;
}>;


export type EventsSubscription = { events:
    | { __typename: 'BlocklistChangedEvent', at: number, cursor: string | null }
    | { __typename: 'ConversationDeletedEvent', at: number, cursor: string | null }
    | { __typename: 'FriendAddedEvent', at: number, cursor: string | null }
    | { __typename: 'FriendRemovedEvent', at: number, cursor: string | null }
    | { __typename: 'FriendRequestAcceptedEvent', at: number, cursor: string | null }
    | { __typename: 'FriendRequestDeclinedEvent', at: number, cursor: string | null }
    | { __typename: 'FriendRequestReceivedEvent', at: number, cursor: string | null }
    | { __typename: 'GroupAnnouncementPublishedEvent', at: number, cursor: string | null }
    | { __typename: 'GroupApplicationEvent', at: number, cursor: string | null }
    | { __typename: 'GroupDissolvedEvent', at: number, cursor: string | null }
    | { __typename: 'GroupInvitationEvent', at: number, cursor: string | null }
    | { __typename: 'GroupMembersBannedEvent', at: number, cursor: string | null }
    | { __typename: 'GroupMembersJoinedEvent', at: number, cursor: string | null }
    | { __typename: 'GroupMembersRemovedEvent', at: number, cursor: string | null }
    | { __typename: 'GroupRolesChangedEvent', at: number, cursor: string | null }
    | { __typename: 'GroupUpdatedEvent', at: number, cursor: string | null }
    | { __typename: 'MessageChangedEvent', at: number, cursor: string | null }
    | { __typename: 'MessageEvent', at: number, cursor: string | null, message: { id: string, seq: number, content: string, createdAt: number, from: { id: string } | null } }
    | { __typename: 'MessageReadEvent', at: number, cursor: string | null }
    | { __typename: 'ProfileChangedEvent', at: number, cursor: string | null }
    | { __typename: 'PushNotificationReceivedEvent', at: number, cursor: string | null }
    | { __typename: 'ReadPositionEvent', at: number, cursor: string | null }
    | { __typename: 'SettingsChangedEvent', at: number, cursor: string | null }
    | { __typename: 'StreamReadyEvent', at: number, cursor: string | null }
    | { __typename: 'TokenRevokedEvent', at: number, cursor: string | null }
    | { __typename: 'TypingEvent', at: number, cursor: string | null }
   };


export const SendMessageDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SendMessage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SendMessageInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sendMessage"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SendMessagePayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"messages"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"seq"}},{"kind":"Field","name":{"kind":"Name","value":"content"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"conversationId"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<SendMessageMutation, SendMessageMutationVariables>;
export const ViewerDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"username"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]}}]} as unknown as DocumentNode<ViewerQuery, ViewerQueryVariables>;
export const EventsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"Events"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"since"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"events"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"since"},"value":{"kind":"Variable","name":{"kind":"Name","value":"since"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MessageEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"seq"}},{"kind":"Field","name":{"kind":"Name","value":"content"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"from"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<EventsSubscription, EventsSubscriptionVariables>;