/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** A friend request to make. */
export type ApplyFriendInput = {
  /** The viewer's name for the user once they are friends. */
  alias?: string | null | undefined;
  /** The answer to their question, when they ask one (auth mode QUESTION). */
  authAnswer?: string | null | undefined;
  /** Shown to the other user. */
  reason?: string | null | undefined;
  /** The user to ask. */
  userId: string | number;
};

/** What a friend request led to at once. */
export type ApplyFriendStatus =
  /** The two are friends now. */
  | 'FRIENDS'
  /** The request waits for the other user to answer. */
  | 'PENDING';

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

/** Names a conversation: give exactly one of userId (the other user), groupId, or id (either: users and groups share one id space). */
export type ConversationInput = {
  /** The group. */
  groupId?: string | number | null | undefined;
  /** A conversation id (`Conversation.id`, `Message.conversationId`). */
  id?: string | number | null | undefined;
  /** The other user of a conversation of two. */
  userId?: string | number | null | undefined;
};

/** Give exactly one of username, userId or loginName (a username, mobile number or email). */
export type CreateAccessTokenInput = {
  /** A stable id of the client installation; creates or reuses a device. */
  deviceGuid?: string | null | undefined;
  /** A username, mobile number or email of the user. */
  loginName?: string | null | undefined;
  /** The user's password. */
  password: string;
  /** The platform of the device (with `deviceGuid`); kept as it was when absent. */
  platform?: Platform | null | undefined;
  /** The id of the user to log in as. */
  userId?: string | number | null | undefined;
  /** The username to log in as. */
  username?: string | null | undefined;
};

/** A new group; settings left out take their defaults. */
export type CreateGroupInput = {
  /** Default ADMIN_APPROVAL. */
  applyApproval?: GroupApplicationPolicy | null | undefined;
  /** Avatar URL, up to 1024 characters. */
  avatar?: string | null | undefined;
  /** Up to 512 characters. */
  description?: string | null | undefined;
  /** App-defined data, up to 8192 characters as JSON text; null clears it. */
  ext?: unknown;
  /** New members see earlier messages; default false. */
  historyVisible?: boolean | null | undefined;
  /** Users to invite (up to 500): each joins at once or is sent an invitation. */
  memberIds?: Array<string | number> | null | undefined;
  /** Members may invite; default true. */
  memberInvite?: boolean | null | undefined;
  /** Members may change the info; default false. */
  memberModify?: boolean | null | undefined;
  /** 1–64 characters. */
  name: string;
  /** Messages carry read receipts; default false. */
  readAck?: boolean | null | undefined;
  /** The invitation message, up to 256 characters. */
  reason?: string | null | undefined;
  /** Default PRIVATE. */
  type?: GroupType | null | undefined;
};

/** What an upload is for: CHAT_FILE needs fileType 100–104 and conversation; GROUP_FILE fileType 200–203 and groupId; GROUP_AVATAR groupId. */
export type CreateUploadSlotInput = {
  /** For chat files: the conversation. */
  conversation?: ConversationInput | null | undefined;
  /** For chat and shared files. */
  fileType?: FileType | null | undefined;
  /** For shared files and group avatars: the group. */
  groupId?: string | number | null | undefined;
  /** What the file is for. */
  purpose: UploadPurpose;
};

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
  /** Only a failed (dead-lettered) webhook delivery is redelivered by hand; this one is pending or delivered. */
  | 'WEBHOOK_DELIVERY_NOT_FAILED'
  /** No webhook delivery of this app has that id. */
  | 'WEBHOOK_DELIVERY_NOT_FOUND'
  /** The app has as many webhook endpoints as it may (10). */
  | 'WEBHOOK_LIMIT'
  /** No webhook endpoint of this app has that id. */
  | 'WEBHOOK_NOT_FOUND'
  /** The answer to the user's question is wrong. */
  | 'WRONG_AUTH_ANSWER';

/** What a chat or shared file is, as the REST dialect numbers it (`file_type`). */
export type FileType =
  /** A chat file of any type (100). */
  | 'FILE'
  /** A chat image (102). */
  | 'IMAGE'
  /** A file shared in a group, of any type (200). */
  | 'SHARED_FILE'
  /** An image shared in a group (202). */
  | 'SHARED_IMAGE'
  /** A video shared in a group (203). */
  | 'SHARED_VIDEO'
  /** A voice file shared in a group (201). */
  | 'SHARED_VOICE'
  /** A chat video (103). */
  | 'VIDEO'
  /** A chat voice message in AMR (101). */
  | 'VOICE_AMR'
  /** A chat voice message in MP3 (104). */
  | 'VOICE_MP3';

/** Where a friend request stands. */
export type FriendRequestStatus =
  /** Accepted: the two are friends. */
  | 'ACCEPTED'
  /** Declined (see `declineReason`). */
  | 'DECLINED'
  /** Waiting for the other user to answer (see `expired`). */
  | 'PENDING';

/** What happens to applications to join a group. */
export type GroupApplicationPolicy =
  /** Applications are accepted at once. */
  | 'ACCEPT_ALL'
  /** An admin accepts or declines each application. */
  | 'ADMIN_APPROVAL'
  /** The group takes no applications. */
  | 'REFUSE_ALL';

/** What happened to one target of a batch action. */
export type GroupOutcome =
  /** Not done; see code and reason. */
  | 'FAILED'
  /** The user was sent an invitation to accept (their group_confirm setting). */
  | 'INVITED'
  /** The user joined at once. */
  | 'JOINED'
  /** Done. */
  | 'SUCCESS';

/** Where an application to a group, or an invitation to one, stands. */
export type GroupRequestStatus =
  /** Accepted. */
  | 'ACCEPTED'
  /** Declined. */
  | 'DECLINED'
  /** Waiting for an answer (see `expired`). */
  | 'PENDING';

/** A member’s standing in a group. */
export type GroupRole =
  /** An admin: moderates members and content. */
  | 'ADMIN'
  /** A plain member. */
  | 'MEMBER'
  /** The one owner: all rights, and the only one who may dissolve the group or hand it on. */
  | 'OWNER';

/** What kind of group it is, and how users join it. */
export type GroupType =
  /** A chatroom: users may apply to join; it is not listed. */
  | 'CHATROOM'
  /** Members join only by invitation (or QR code). */
  | 'PRIVATE'
  /** Listed in publicGroups; users may apply to join. */
  | 'PUBLIC';

/** For the viewer's own messages: DELIVERED, or READ once the other side read them; for others': UNREAD or READ. */
export type MessageStatus =
  /** The viewer's own message, not yet read by the other side. */
  | 'DELIVERED'
  /** Read (by the viewer, or for their own messages by the other side). */
  | 'READ'
  /** Another's message the viewer has not read. */
  | 'UNREAD';

/** The operating system of a client installation. */
export type Platform =
  /** Android. */
  | 'ANDROID'
  /** iOS. */
  | 'IOS'
  /** Linux. */
  | 'LINUX'
  /** macOS. */
  | 'MACOS'
  /** Not said by the client. */
  | 'UNKNOWN'
  /** A web browser. */
  | 'WEB'
  /** Windows. */
  | 'WINDOWS';

/** A user to register. */
export type RegisterUserInput = {
  /** Usable as a login name. */
  email?: string | null | undefined;
  /** Digits, optionally with a leading +; usable as a login name. */
  mobile?: string | null | undefined;
  /** 6–64 characters. */
  password: string;
  /** Letters, digits, _ and CJK; 2–32 characters; not digits only. */
  username: string;
};

/** The viewer's relation to a user. */
export type Relation =
  /** The viewer has blocked this user. */
  | 'BLOCKED'
  /** Was a friend; the friendship was ended. */
  | 'DELETED'
  /** The two are friends. */
  | 'FRIEND'
  /** Never friends. */
  | 'STRANGER';

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

/** What an upload is for; it decides who may upload and who may later open the file. */
export type UploadPurpose =
  /** A file for a conversation the viewer may send to (fileType 100–104, conversation). */
  | 'CHAT_FILE'
  /** A group's avatar (groupId; the group's admins). */
  | 'GROUP_AVATAR'
  /** A file for a group's shared files (fileType 200–203, groupId; members). */
  | 'GROUP_FILE'
  /** The viewer's avatar. */
  | 'USER_AVATAR';

export type RegisterMutationVariables = Exact<{
  appId: string | number;
  input: RegisterUserInput;
}>;


export type RegisterMutation = { registerUser:
    | { __typename: 'ConflictError', code: ErrorCode, message: string }
    | { __typename: 'InvalidInputError', code: ErrorCode, message: string }
    | { __typename: 'NotFoundError', code: ErrorCode, message: string }
    | { __typename: 'RegisterUserPayload' }
   };

export type SignInMutationVariables = Exact<{
  appId: string | number;
  input: CreateAccessTokenInput;
}>;


export type SignInMutation = { createAccessToken:
    | { __typename: 'AuthenticationError', code: ErrorCode, message: string }
    | { __typename: 'CreateAccessTokenPayload', accessToken: { token: string, userId: string, deviceSn: number | null, expiresAt: number } }
    | { __typename: 'InvalidInputError', code: ErrorCode, message: string }
    | { __typename: 'NotFoundError', code: ErrorCode, message: string }
    | { __typename: 'RateLimitedError', code: ErrorCode, message: string }
   };

export type SignOutMutationVariables = Exact<{ [key: string]: never; }>;


export type SignOutMutation = { signOut:
    | { __typename: 'InvalidInputError' }
    | { __typename: 'SignOutPayload' }
   };

export type PersonFragment = { id: string, username: string, nickName: string | null };

export type ChatMessageFragment = { id: string, seq: number, contentType: ContentType, content: string, createdAt: number, status: MessageStatus | null, recalled: boolean, fromDeviceSn: number | null, from: { id: string, username: string, nickName: string | null } | null, to: { id: string, kind: TargetKind }, file: { id: string, name: string, mimeType: string, size: number, url: string, thumbnailUrl: string | null, width: number | null, height: number | null } | null };

export type ChatConversationFragment = { id: string, lastSeq: number, readSeq: number, unreadCount: number, target: { id: string, kind: TargetKind, user: { id: string, username: string, nickName: string | null } | null }, lastMessage: { id: string, seq: number, contentType: ContentType, content: string, createdAt: number, status: MessageStatus | null, recalled: boolean, fromDeviceSn: number | null, from: { id: string, username: string, nickName: string | null } | null, to: { id: string, kind: TargetKind }, file: { id: string, name: string, mimeType: string, size: number, url: string, thumbnailUrl: string | null, width: number | null, height: number | null } | null } | null };

export type ConversationsQueryVariables = Exact<{ [key: string]: never; }>;


export type ConversationsQuery = { conversations: { edges: Array<{ node: { id: string, lastSeq: number, readSeq: number, unreadCount: number, target: { id: string, kind: TargetKind, user: { id: string, username: string, nickName: string | null } | null }, lastMessage: { id: string, seq: number, contentType: ContentType, content: string, createdAt: number, status: MessageStatus | null, recalled: boolean, fromDeviceSn: number | null, from: { id: string, username: string, nickName: string | null } | null, to: { id: string, kind: TargetKind }, file: { id: string, name: string, mimeType: string, size: number, url: string, thumbnailUrl: string | null, width: number | null, height: number | null } | null } | null } }> } };

export type HistoryQueryVariables = Exact<{
  conversation: ConversationInput;
  before?: string | null | undefined;
  last: number;
}>;


export type HistoryQuery = { messages: { edges: Array<{ node: { id: string, seq: number, contentType: ContentType, content: string, createdAt: number, status: MessageStatus | null, recalled: boolean, fromDeviceSn: number | null, from: { id: string, username: string, nickName: string | null } | null, to: { id: string, kind: TargetKind }, file: { id: string, name: string, mimeType: string, size: number, url: string, thumbnailUrl: string | null, width: number | null, height: number | null } | null } }>, pageInfo: { hasPreviousPage: boolean, startCursor: string | null } } };

export type SendMessageMutationVariables = Exact<{
  input: SendMessageInput;
}>;


export type SendMessageMutation = { sendMessage:
    | { __typename: 'AuthenticationError', code: ErrorCode, message: string }
    | { __typename: 'ForbiddenError', code: ErrorCode, message: string }
    | { __typename: 'InvalidInputError', code: ErrorCode, message: string }
    | { __typename: 'NotFoundError', code: ErrorCode, message: string }
    | { __typename: 'SendMessagePayload', messages: Array<{ id: string, seq: number, contentType: ContentType, content: string, createdAt: number, status: MessageStatus | null, recalled: boolean, fromDeviceSn: number | null, from: { id: string, username: string, nickName: string | null } | null, to: { id: string, kind: TargetKind }, file: { id: string, name: string, mimeType: string, size: number, url: string, thumbnailUrl: string | null, width: number | null, height: number | null } | null }> }
   };

export type MarkReadMutationVariables = Exact<{
  conversation: ConversationInput;
  seq: number;
}>;


export type MarkReadMutation = { markRead:
    | { __typename: 'InvalidInputError', code: ErrorCode, message: string }
    | { __typename: 'MarkReadPayload' }
    | { __typename: 'NotFoundError', code: ErrorCode, message: string }
   };

export type SendTypingMutationVariables = Exact<{
  conversation: ConversationInput;
}>;


export type SendTypingMutation = { sendTyping:
    | { __typename: 'InvalidInputError' }
    | { __typename: 'SendTypingPayload' }
   };

export type CreateUploadSlotMutationVariables = Exact<{
  input: CreateUploadSlotInput;
}>;


export type CreateUploadSlotMutation = { createUploadSlot:
    | { __typename: 'AuthenticationError', code: ErrorCode, message: string }
    | { __typename: 'CreateUploadSlotPayload', slot: { putUrl: string, downloadUrl: string } }
    | { __typename: 'ForbiddenError', code: ErrorCode, message: string }
    | { __typename: 'InvalidInputError', code: ErrorCode, message: string }
    | { __typename: 'NotFoundError', code: ErrorCode, message: string }
   };

export type EventsSubscriptionVariables = Exact<{
  since?: string | null | undefined;
}>;


export type EventsSubscription = { events:
    | { __typename: 'BlocklistChangedEvent', cursor: string | null }
    | { __typename: 'ConversationDeletedEvent', cursor: string | null }
    | { __typename: 'FriendAddedEvent', cursor: string | null, user: { id: string, username: string, nickName: string | null } }
    | { __typename: 'FriendRemovedEvent', cursor: string | null }
    | { __typename: 'FriendRequestAcceptedEvent', cursor: string | null }
    | { __typename: 'FriendRequestDeclinedEvent', cursor: string | null }
    | { __typename: 'FriendRequestReceivedEvent', cursor: string | null, request: { id: string, status: FriendRequestStatus, reason: string, from: { id: string, username: string, nickName: string | null } } }
    | { __typename: 'GroupAnnouncementPublishedEvent', groupId: string, cursor: string | null }
    | { __typename: 'GroupApplicationEvent', groupId: string, cursor: string | null }
    | { __typename: 'GroupDissolvedEvent', groupId: string, cursor: string | null }
    | { __typename: 'GroupInvitationEvent', groupId: string, inviteeId: string, status: GroupRequestStatus, cursor: string | null, group: { id: string, name: string, memberCount: number }, inviter: { id: string, username: string, nickName: string | null } | null }
    | { __typename: 'GroupMembersBannedEvent', groupId: string, cursor: string | null }
    | { __typename: 'GroupMembersJoinedEvent', groupId: string, cursor: string | null }
    | { __typename: 'GroupMembersRemovedEvent', groupId: string, cursor: string | null }
    | { __typename: 'GroupRolesChangedEvent', groupId: string, cursor: string | null }
    | { __typename: 'GroupUpdatedEvent', groupId: string, cursor: string | null }
    | { __typename: 'MessageChangedEvent', cursor: string | null, message: { id: string, seq: number, contentType: ContentType, content: string, createdAt: number, status: MessageStatus | null, recalled: boolean, fromDeviceSn: number | null, from: { id: string, username: string, nickName: string | null } | null, to: { id: string, kind: TargetKind }, file: { id: string, name: string, mimeType: string, size: number, url: string, thumbnailUrl: string | null, width: number | null, height: number | null } | null } }
    | { __typename: 'MessageEvent', cursor: string | null, message: { id: string, seq: number, contentType: ContentType, content: string, createdAt: number, status: MessageStatus | null, recalled: boolean, fromDeviceSn: number | null, from: { id: string, username: string, nickName: string | null } | null, to: { id: string, kind: TargetKind }, file: { id: string, name: string, mimeType: string, size: number, url: string, thumbnailUrl: string | null, width: number | null, height: number | null } | null } }
    | { __typename: 'MessageReadEvent', seq: number, cursor: string | null, conversation: { id: string, kind: TargetKind } }
    | { __typename: 'ProfileChangedEvent', cursor: string | null }
    | { __typename: 'PushNotificationReceivedEvent', cursor: string | null }
    | { __typename: 'ReadPositionEvent', seq: number, cursor: string | null, conversation: { id: string, kind: TargetKind } }
    | { __typename: 'SettingsChangedEvent', cursor: string | null }
    | { __typename: 'StreamReadyEvent', cursor: string | null }
    | { __typename: 'TokenRevokedEvent', cursor: string | null }
    | { __typename: 'TypingEvent', cursor: string | null, conversation: { id: string, kind: TargetKind }, from: { id: string, username: string, nickName: string | null } }
   };

export type FindUserQueryVariables = Exact<{
  username: string;
}>;


export type FindUserQuery = { searchUser: { relation: Relation, user: { id: string, username: string, nickName: string | null } } | null };

export type FriendRequestsQueryVariables = Exact<{ [key: string]: never; }>;


export type FriendRequestsQuery = { friendRequests: { edges: Array<{ node: { id: string, status: FriendRequestStatus, reason: string, from: { id: string, username: string, nickName: string | null } } }> } };

export type ApplyFriendMutationVariables = Exact<{
  input: ApplyFriendInput;
}>;


export type ApplyFriendMutation = { applyFriend:
    | { __typename: 'ApplyFriendPayload', status: ApplyFriendStatus }
    | { __typename: 'ConflictError', code: ErrorCode, message: string }
    | { __typename: 'ForbiddenError', code: ErrorCode, message: string }
    | { __typename: 'InvalidInputError', code: ErrorCode, message: string }
    | { __typename: 'NotFoundError', code: ErrorCode, message: string }
   };

export type AnswerFriendRequestMutationVariables = Exact<{
  userId: string | number;
  accept: boolean;
}>;


export type AnswerFriendRequestMutation = { acceptFriendRequest?:
    | { __typename: 'AcceptFriendRequestPayload' }
    | { __typename: 'ConflictError', code: ErrorCode, message: string }
    | { __typename: 'InvalidInputError', code: ErrorCode, message: string }
    | { __typename: 'NotFoundError', code: ErrorCode, message: string }
  , declineFriendRequest?:
    | { __typename: 'ConflictError', code: ErrorCode, message: string }
    | { __typename: 'DeclineFriendRequestPayload' }
    | { __typename: 'InvalidInputError', code: ErrorCode, message: string }
    | { __typename: 'NotFoundError', code: ErrorCode, message: string }
   };

export type ChatGroupFragment = { id: string, name: string, memberCount: number };

export type JoinedGroupsQueryVariables = Exact<{ [key: string]: never; }>;


export type JoinedGroupsQuery = { joinedGroups: { edges: Array<{ node: { id: string, name: string, memberCount: number } }> } };

export type CreateGroupMutationVariables = Exact<{
  input: CreateGroupInput;
}>;


export type CreateGroupMutation = { createGroup:
    | { __typename: 'ConflictError', code: ErrorCode, message: string }
    | { __typename: 'CreateGroupPayload', group: { id: string, name: string, memberCount: number } }
    | { __typename: 'ForbiddenError', code: ErrorCode, message: string }
    | { __typename: 'InvalidInputError', code: ErrorCode, message: string }
    | { __typename: 'NotFoundError', code: ErrorCode, message: string }
   };

export type InviteGroupMembersMutationVariables = Exact<{
  groupId: string | number;
  userIds: Array<string | number> | string | number;
}>;


export type InviteGroupMembersMutation = { inviteGroupMembers:
    | { __typename: 'ConflictError', code: ErrorCode, message: string }
    | { __typename: 'ForbiddenError', code: ErrorCode, message: string }
    | { __typename: 'InvalidInputError', code: ErrorCode, message: string }
    | { __typename: 'InviteGroupMembersPayload', outcomes: Array<{ id: string, outcome: GroupOutcome, reason: string | null }> }
    | { __typename: 'NotFoundError', code: ErrorCode, message: string }
   };

export type GroupMembersQueryVariables = Exact<{
  id: string | number;
}>;


export type GroupMembersQuery = { group: { id: string, name: string, memberCount: number, members: { edges: Array<{ node: { userId: string, role: GroupRole, displayName: string, user: { id: string, username: string, nickName: string | null } | null } }> } } | null };

export type ChatGroupInvitationFragment = { id: string, groupId: string, status: GroupRequestStatus, expired: boolean, group: { id: string, name: string, memberCount: number } | null, inviter: { id: string, username: string, nickName: string | null } | null };

export type GroupInvitationsQueryVariables = Exact<{ [key: string]: never; }>;


export type GroupInvitationsQuery = { groupInvitations: { edges: Array<{ node: { id: string, groupId: string, status: GroupRequestStatus, expired: boolean, group: { id: string, name: string, memberCount: number } | null, inviter: { id: string, username: string, nickName: string | null } | null } }> } };

export type AnswerGroupInvitationMutationVariables = Exact<{
  groupId: string | number;
  accept: boolean;
}>;


export type AnswerGroupInvitationMutation = { answerGroupInvitation:
    | { __typename: 'AnswerGroupInvitationPayload' }
    | { __typename: 'ConflictError', code: ErrorCode, message: string }
    | { __typename: 'ForbiddenError', code: ErrorCode, message: string }
    | { __typename: 'InvalidInputError', code: ErrorCode, message: string }
    | { __typename: 'NotFoundError', code: ErrorCode, message: string }
   };

export const PersonFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Person"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"User"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"username"}},{"kind":"Field","name":{"kind":"Name","value":"nickName"}}]}}]} as unknown as DocumentNode<PersonFragment, unknown>;
export const ChatMessageFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ChatMessage"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Message"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"seq"}},{"kind":"Field","name":{"kind":"Name","value":"contentType"}},{"kind":"Field","name":{"kind":"Name","value":"content"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"recalled"}},{"kind":"Field","name":{"kind":"Name","value":"from"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Person"}}]}},{"kind":"Field","name":{"kind":"Name","value":"fromDeviceSn"}},{"kind":"Field","name":{"kind":"Name","value":"to"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}}]}},{"kind":"Field","name":{"kind":"Name","value":"file"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"mimeType"}},{"kind":"Field","name":{"kind":"Name","value":"size"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"thumbnailUrl"}},{"kind":"Field","name":{"kind":"Name","value":"width"}},{"kind":"Field","name":{"kind":"Name","value":"height"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Person"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"User"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"username"}},{"kind":"Field","name":{"kind":"Name","value":"nickName"}}]}}]} as unknown as DocumentNode<ChatMessageFragment, unknown>;
export const ChatConversationFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ChatConversation"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Conversation"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"lastSeq"}},{"kind":"Field","name":{"kind":"Name","value":"readSeq"}},{"kind":"Field","name":{"kind":"Name","value":"unreadCount"}},{"kind":"Field","name":{"kind":"Name","value":"target"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"user"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Person"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"lastMessage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ChatMessage"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Person"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"User"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"username"}},{"kind":"Field","name":{"kind":"Name","value":"nickName"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ChatMessage"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Message"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"seq"}},{"kind":"Field","name":{"kind":"Name","value":"contentType"}},{"kind":"Field","name":{"kind":"Name","value":"content"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"recalled"}},{"kind":"Field","name":{"kind":"Name","value":"from"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Person"}}]}},{"kind":"Field","name":{"kind":"Name","value":"fromDeviceSn"}},{"kind":"Field","name":{"kind":"Name","value":"to"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}}]}},{"kind":"Field","name":{"kind":"Name","value":"file"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"mimeType"}},{"kind":"Field","name":{"kind":"Name","value":"size"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"thumbnailUrl"}},{"kind":"Field","name":{"kind":"Name","value":"width"}},{"kind":"Field","name":{"kind":"Name","value":"height"}}]}}]}}]} as unknown as DocumentNode<ChatConversationFragment, unknown>;
export const ChatGroupFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ChatGroup"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Group"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"memberCount"}}]}}]} as unknown as DocumentNode<ChatGroupFragment, unknown>;
export const ChatGroupInvitationFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ChatGroupInvitation"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"GroupInvitation"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"groupId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"expired"}},{"kind":"Field","name":{"kind":"Name","value":"group"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ChatGroup"}}]}},{"kind":"Field","name":{"kind":"Name","value":"inviter"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Person"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ChatGroup"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Group"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"memberCount"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Person"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"User"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"username"}},{"kind":"Field","name":{"kind":"Name","value":"nickName"}}]}}]} as unknown as DocumentNode<ChatGroupInvitationFragment, unknown>;
export const RegisterDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"Register"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"appId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RegisterUserInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"registerUser"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"appId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"appId"}}},{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<RegisterMutation, RegisterMutationVariables>;
export const SignInDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SignIn"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"appId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateAccessTokenInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createAccessToken"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"appId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"appId"}}},{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CreateAccessTokenPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"accessToken"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"token"}},{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"deviceSn"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<SignInMutation, SignInMutationVariables>;
export const SignOutDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SignOut"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"signOut"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}}]}}]} as unknown as DocumentNode<SignOutMutation, SignOutMutationVariables>;
export const ConversationsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Conversations"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"conversations"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"100"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ChatConversation"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Person"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"User"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"username"}},{"kind":"Field","name":{"kind":"Name","value":"nickName"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ChatMessage"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Message"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"seq"}},{"kind":"Field","name":{"kind":"Name","value":"contentType"}},{"kind":"Field","name":{"kind":"Name","value":"content"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"recalled"}},{"kind":"Field","name":{"kind":"Name","value":"from"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Person"}}]}},{"kind":"Field","name":{"kind":"Name","value":"fromDeviceSn"}},{"kind":"Field","name":{"kind":"Name","value":"to"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}}]}},{"kind":"Field","name":{"kind":"Name","value":"file"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"mimeType"}},{"kind":"Field","name":{"kind":"Name","value":"size"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"thumbnailUrl"}},{"kind":"Field","name":{"kind":"Name","value":"width"}},{"kind":"Field","name":{"kind":"Name","value":"height"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ChatConversation"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Conversation"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"lastSeq"}},{"kind":"Field","name":{"kind":"Name","value":"readSeq"}},{"kind":"Field","name":{"kind":"Name","value":"unreadCount"}},{"kind":"Field","name":{"kind":"Name","value":"target"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"user"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Person"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"lastMessage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ChatMessage"}}]}}]}}]} as unknown as DocumentNode<ConversationsQuery, ConversationsQueryVariables>;
export const HistoryDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"History"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"conversation"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ConversationInput"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"before"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"last"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"messages"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"conversation"},"value":{"kind":"Variable","name":{"kind":"Name","value":"conversation"}}},{"kind":"Argument","name":{"kind":"Name","value":"before"},"value":{"kind":"Variable","name":{"kind":"Name","value":"before"}}},{"kind":"Argument","name":{"kind":"Name","value":"last"},"value":{"kind":"Variable","name":{"kind":"Name","value":"last"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ChatMessage"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Person"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"User"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"username"}},{"kind":"Field","name":{"kind":"Name","value":"nickName"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ChatMessage"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Message"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"seq"}},{"kind":"Field","name":{"kind":"Name","value":"contentType"}},{"kind":"Field","name":{"kind":"Name","value":"content"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"recalled"}},{"kind":"Field","name":{"kind":"Name","value":"from"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Person"}}]}},{"kind":"Field","name":{"kind":"Name","value":"fromDeviceSn"}},{"kind":"Field","name":{"kind":"Name","value":"to"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}}]}},{"kind":"Field","name":{"kind":"Name","value":"file"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"mimeType"}},{"kind":"Field","name":{"kind":"Name","value":"size"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"thumbnailUrl"}},{"kind":"Field","name":{"kind":"Name","value":"width"}},{"kind":"Field","name":{"kind":"Name","value":"height"}}]}}]}}]} as unknown as DocumentNode<HistoryQuery, HistoryQueryVariables>;
export const SendMessageDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SendMessage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SendMessageInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sendMessage"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SendMessagePayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"messages"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ChatMessage"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Person"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"User"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"username"}},{"kind":"Field","name":{"kind":"Name","value":"nickName"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ChatMessage"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Message"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"seq"}},{"kind":"Field","name":{"kind":"Name","value":"contentType"}},{"kind":"Field","name":{"kind":"Name","value":"content"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"recalled"}},{"kind":"Field","name":{"kind":"Name","value":"from"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Person"}}]}},{"kind":"Field","name":{"kind":"Name","value":"fromDeviceSn"}},{"kind":"Field","name":{"kind":"Name","value":"to"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}}]}},{"kind":"Field","name":{"kind":"Name","value":"file"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"mimeType"}},{"kind":"Field","name":{"kind":"Name","value":"size"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"thumbnailUrl"}},{"kind":"Field","name":{"kind":"Name","value":"width"}},{"kind":"Field","name":{"kind":"Name","value":"height"}}]}}]}}]} as unknown as DocumentNode<SendMessageMutation, SendMessageMutationVariables>;
export const MarkReadDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"MarkRead"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"conversation"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ConversationInput"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"seq"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"markRead"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"conversation"},"value":{"kind":"Variable","name":{"kind":"Name","value":"conversation"}}},{"kind":"Argument","name":{"kind":"Name","value":"seq"},"value":{"kind":"Variable","name":{"kind":"Name","value":"seq"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<MarkReadMutation, MarkReadMutationVariables>;
export const SendTypingDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SendTyping"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"conversation"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ConversationInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sendTyping"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"conversation"},"value":{"kind":"Variable","name":{"kind":"Name","value":"conversation"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}}]}}]}}]} as unknown as DocumentNode<SendTypingMutation, SendTypingMutationVariables>;
export const CreateUploadSlotDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateUploadSlot"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateUploadSlotInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createUploadSlot"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CreateUploadSlotPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"slot"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"putUrl"}},{"kind":"Field","name":{"kind":"Name","value":"downloadUrl"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<CreateUploadSlotMutation, CreateUploadSlotMutationVariables>;
export const EventsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"Events"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"since"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"events"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"since"},"value":{"kind":"Variable","name":{"kind":"Name","value":"since"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MessageEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ChatMessage"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MessageChangedEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"message"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ChatMessage"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ReadPositionEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"conversation"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}}]}},{"kind":"Field","name":{"kind":"Name","value":"seq"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MessageReadEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"conversation"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}}]}},{"kind":"Field","name":{"kind":"Name","value":"seq"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"TypingEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"conversation"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}}]}},{"kind":"Field","name":{"kind":"Name","value":"from"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Person"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"FriendRequestReceivedEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"request"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"from"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Person"}}]}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"FriendAddedEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"user"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Person"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"GroupEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"groupId"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"GroupInvitationEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"inviteeId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"group"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ChatGroup"}}]}},{"kind":"Field","name":{"kind":"Name","value":"inviter"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Person"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Person"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"User"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"username"}},{"kind":"Field","name":{"kind":"Name","value":"nickName"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ChatMessage"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Message"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"seq"}},{"kind":"Field","name":{"kind":"Name","value":"contentType"}},{"kind":"Field","name":{"kind":"Name","value":"content"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"recalled"}},{"kind":"Field","name":{"kind":"Name","value":"from"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Person"}}]}},{"kind":"Field","name":{"kind":"Name","value":"fromDeviceSn"}},{"kind":"Field","name":{"kind":"Name","value":"to"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}}]}},{"kind":"Field","name":{"kind":"Name","value":"file"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"mimeType"}},{"kind":"Field","name":{"kind":"Name","value":"size"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"thumbnailUrl"}},{"kind":"Field","name":{"kind":"Name","value":"width"}},{"kind":"Field","name":{"kind":"Name","value":"height"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ChatGroup"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Group"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"memberCount"}}]}}]} as unknown as DocumentNode<EventsSubscription, EventsSubscriptionVariables>;
export const FindUserDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"FindUser"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"username"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"searchUser"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"username"},"value":{"kind":"Variable","name":{"kind":"Name","value":"username"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"relation"}},{"kind":"Field","name":{"kind":"Name","value":"user"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Person"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Person"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"User"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"username"}},{"kind":"Field","name":{"kind":"Name","value":"nickName"}}]}}]} as unknown as DocumentNode<FindUserQuery, FindUserQueryVariables>;
export const FriendRequestsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"FriendRequests"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"friendRequests"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"50"}},{"kind":"Argument","name":{"kind":"Name","value":"direction"},"value":{"kind":"EnumValue","value":"RECEIVED"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"from"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Person"}}]}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Person"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"User"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"username"}},{"kind":"Field","name":{"kind":"Name","value":"nickName"}}]}}]} as unknown as DocumentNode<FriendRequestsQuery, FriendRequestsQueryVariables>;
export const ApplyFriendDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ApplyFriend"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ApplyFriendInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"applyFriend"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ApplyFriendPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<ApplyFriendMutation, ApplyFriendMutationVariables>;
export const AnswerFriendRequestDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AnswerFriendRequest"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"userId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"accept"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Boolean"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"acceptFriendRequest"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"userId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"userId"}}}],"directives":[{"kind":"Directive","name":{"kind":"Name","value":"include"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"if"},"value":{"kind":"Variable","name":{"kind":"Name","value":"accept"}}}]}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"declineFriendRequest"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"userId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"userId"}}}],"directives":[{"kind":"Directive","name":{"kind":"Name","value":"skip"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"if"},"value":{"kind":"Variable","name":{"kind":"Name","value":"accept"}}}]}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<AnswerFriendRequestMutation, AnswerFriendRequestMutationVariables>;
export const JoinedGroupsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"JoinedGroups"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"joinedGroups"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"100"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ChatGroup"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ChatGroup"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Group"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"memberCount"}}]}}]} as unknown as DocumentNode<JoinedGroupsQuery, JoinedGroupsQueryVariables>;
export const CreateGroupDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateGroup"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateGroupInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createGroup"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CreateGroupPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"group"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ChatGroup"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ChatGroup"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Group"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"memberCount"}}]}}]} as unknown as DocumentNode<CreateGroupMutation, CreateGroupMutationVariables>;
export const InviteGroupMembersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"InviteGroupMembers"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"groupId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"userIds"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"inviteGroupMembers"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"groupId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"groupId"}}},{"kind":"Argument","name":{"kind":"Name","value":"userIds"},"value":{"kind":"Variable","name":{"kind":"Name","value":"userIds"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InviteGroupMembersPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"outcomes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"outcome"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<InviteGroupMembersMutation, InviteGroupMembersMutationVariables>;
export const GroupMembersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"GroupMembers"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"group"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ChatGroup"}},{"kind":"Field","name":{"kind":"Name","value":"members"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"100"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"user"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Person"}}]}}]}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ChatGroup"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Group"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"memberCount"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Person"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"User"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"username"}},{"kind":"Field","name":{"kind":"Name","value":"nickName"}}]}}]} as unknown as DocumentNode<GroupMembersQuery, GroupMembersQueryVariables>;
export const GroupInvitationsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"GroupInvitations"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"groupInvitations"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"50"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ChatGroupInvitation"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ChatGroup"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Group"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"memberCount"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Person"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"User"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"username"}},{"kind":"Field","name":{"kind":"Name","value":"nickName"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ChatGroupInvitation"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"GroupInvitation"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"groupId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"expired"}},{"kind":"Field","name":{"kind":"Name","value":"group"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ChatGroup"}}]}},{"kind":"Field","name":{"kind":"Name","value":"inviter"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Person"}}]}}]}}]} as unknown as DocumentNode<GroupInvitationsQuery, GroupInvitationsQueryVariables>;
export const AnswerGroupInvitationDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AnswerGroupInvitation"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"groupId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"accept"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Boolean"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"answerGroupInvitation"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"groupId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"groupId"}}},{"kind":"Argument","name":{"kind":"Name","value":"accept"},"value":{"kind":"Variable","name":{"kind":"Name","value":"accept"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<AnswerGroupInvitationMutation, AnswerGroupInvitationMutationVariables>;