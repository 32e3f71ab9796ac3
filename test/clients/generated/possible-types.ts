
      export type PossibleTypesResultData = {
  "possibleTypes": {
    "AcceptFriendRequestResult": [
      "AcceptFriendRequestPayload",
      "ConflictError",
      "InvalidInputError",
      "NotFoundError"
    ],
    "AcknowledgePushNotificationResult": [
      "AcknowledgePushNotificationPayload",
      "ForbiddenError"
    ],
    "AddGroupAdminsResult": [
      "AddGroupAdminsPayload",
      "ConflictError",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError"
    ],
    "AddGroupFileResult": [
      "AddGroupFilePayload",
      "ConflictError",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError"
    ],
    "AddPushTagsResult": [
      "AddPushTagsPayload",
      "InvalidInputError"
    ],
    "AnswerGroupApplicationResult": [
      "AnswerGroupApplicationPayload",
      "ConflictError",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError"
    ],
    "AnswerGroupInvitationResult": [
      "AnswerGroupInvitationPayload",
      "ConflictError",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError"
    ],
    "ApplyFriendResult": [
      "ApplyFriendPayload",
      "ConflictError",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError"
    ],
    "ApplyFriendsResult": [
      "ApplyFriendsPayload",
      "InvalidInputError"
    ],
    "ApplyToGroupResult": [
      "ApplyToGroupPayload",
      "ConflictError",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError"
    ],
    "BanAllGroupMembersResult": [
      "BanAllGroupMembersPayload",
      "ConflictError",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError"
    ],
    "BanGroupMembersResult": [
      "BanGroupMembersPayload",
      "ConflictError",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError"
    ],
    "BindOpenIdResult": [
      "BindOpenIdPayload",
      "ConflictError",
      "InvalidInputError"
    ],
    "BindPushTokenResult": [
      "BindPushTokenPayload",
      "InvalidInputError",
      "NotFoundError"
    ],
    "BlockGroupUsersResult": [
      "BlockGroupUsersPayload",
      "ConflictError",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError"
    ],
    "BlockUserResult": [
      "BlockUserPayload",
      "InvalidInputError",
      "NotFoundError"
    ],
    "ChangePasswordResult": [
      "AuthenticationError",
      "ChangePasswordPayload",
      "InvalidInputError"
    ],
    "CreateAccessTokenResult": [
      "AuthenticationError",
      "CreateAccessTokenPayload",
      "InvalidInputError",
      "NotFoundError",
      "RateLimitedError"
    ],
    "CreateAdminTokenResult": [
      "AuthenticationError",
      "CreateAdminTokenPayload",
      "InvalidInputError",
      "NotFoundError",
      "RateLimitedError"
    ],
    "CreateGroupQrCodeResult": [
      "ConflictError",
      "CreateGroupQrCodePayload",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError"
    ],
    "CreateGroupResult": [
      "ConflictError",
      "CreateGroupPayload",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError"
    ],
    "CreateUploadSlotResult": [
      "AuthenticationError",
      "CreateUploadSlotPayload",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError"
    ],
    "CreateWebhookEndpointResult": [
      "ConflictError",
      "CreateWebhookEndpointPayload",
      "ForbiddenError",
      "InvalidInputError"
    ],
    "DeclineFriendRequestResult": [
      "ConflictError",
      "DeclineFriendRequestPayload",
      "InvalidInputError",
      "NotFoundError"
    ],
    "DeleteAccountResult": [
      "AuthenticationError",
      "DeleteAccountPayload",
      "ForbiddenError",
      "NotFoundError"
    ],
    "DeleteConversationResult": [
      "DeleteConversationPayload",
      "InvalidInputError",
      "NotFoundError"
    ],
    "DeleteGroupAnnouncementResult": [
      "ConflictError",
      "DeleteGroupAnnouncementPayload",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError"
    ],
    "DeleteGroupFilesResult": [
      "ConflictError",
      "DeleteGroupFilesPayload",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError"
    ],
    "DeletePushCredentialResult": [
      "DeletePushCredentialPayload",
      "ForbiddenError"
    ],
    "DeleteUserResult": [
      "DeleteUserPayload",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError"
    ],
    "DeleteWebhookEndpointResult": [
      "DeleteWebhookEndpointPayload",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError"
    ],
    "DestroyGroupResult": [
      "ConflictError",
      "DestroyGroupPayload",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError"
    ],
    "DisableUsersResult": [
      "DisableUsersPayload",
      "InvalidInputError",
      "NotFoundError"
    ],
    "EditGroupAnnouncementResult": [
      "ConflictError",
      "EditGroupAnnouncementPayload",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError"
    ],
    "EditMessageResult": [
      "EditMessagePayload",
      "InvalidInputError",
      "NotFoundError"
    ],
    "EnableUsersResult": [
      "EnableUsersPayload",
      "InvalidInputError",
      "NotFoundError"
    ],
    "Error": [
      "AuthenticationError",
      "ConflictError",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError",
      "RateLimitedError"
    ],
    "Event": [
      "BlocklistChangedEvent",
      "ConversationDeletedEvent",
      "FriendAddedEvent",
      "FriendRemovedEvent",
      "FriendRequestAcceptedEvent",
      "FriendRequestDeclinedEvent",
      "FriendRequestReceivedEvent",
      "GroupAnnouncementPublishedEvent",
      "GroupApplicationEvent",
      "GroupDissolvedEvent",
      "GroupInvitationEvent",
      "GroupMembersBannedEvent",
      "GroupMembersJoinedEvent",
      "GroupMembersRemovedEvent",
      "GroupRolesChangedEvent",
      "GroupUpdatedEvent",
      "MessageChangedEvent",
      "MessageEvent",
      "MessageReadEvent",
      "ProfileChangedEvent",
      "PushNotificationReceivedEvent",
      "ReadPositionEvent",
      "SettingsChangedEvent",
      "StreamReadyEvent",
      "TokenRevokedEvent",
      "TypingEvent"
    ],
    "ForwardFileResult": [
      "AuthenticationError",
      "ForbiddenError",
      "ForwardFilePayload",
      "InvalidInputError",
      "NotFoundError"
    ],
    "GroupEvent": [
      "GroupAnnouncementPublishedEvent",
      "GroupApplicationEvent",
      "GroupDissolvedEvent",
      "GroupInvitationEvent",
      "GroupMembersBannedEvent",
      "GroupMembersJoinedEvent",
      "GroupMembersRemovedEvent",
      "GroupRolesChangedEvent",
      "GroupUpdatedEvent"
    ],
    "InviteGroupMembersResult": [
      "ConflictError",
      "ForbiddenError",
      "InvalidInputError",
      "InviteGroupMembersPayload",
      "NotFoundError"
    ],
    "JoinGroupByQrCodeResult": [
      "ConflictError",
      "ForbiddenError",
      "InvalidInputError",
      "JoinGroupByQrCodePayload",
      "NotFoundError"
    ],
    "KickDevicesResult": [
      "InvalidInputError",
      "KickDevicesPayload",
      "NotFoundError"
    ],
    "KickGroupMembersResult": [
      "ConflictError",
      "ForbiddenError",
      "InvalidInputError",
      "KickGroupMembersPayload",
      "NotFoundError"
    ],
    "LeaveGroupResult": [
      "ConflictError",
      "ForbiddenError",
      "InvalidInputError",
      "LeaveGroupPayload",
      "NotFoundError"
    ],
    "MarkReadResult": [
      "InvalidInputError",
      "MarkReadPayload",
      "NotFoundError"
    ],
    "PublishGroupAnnouncementResult": [
      "ConflictError",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError",
      "PublishGroupAnnouncementPayload"
    ],
    "RecallMessageResult": [
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError",
      "RecallMessagePayload"
    ],
    "RegisterPushUserResult": [
      "ConflictError",
      "InvalidInputError",
      "NotFoundError",
      "RegisterPushUserPayload"
    ],
    "RegisterUserResult": [
      "ConflictError",
      "InvalidInputError",
      "NotFoundError",
      "RegisterUserPayload"
    ],
    "RegisterUsersResult": [
      "InvalidInputError",
      "RegisterUsersPayload"
    ],
    "RemoveDeviceResult": [
      "InvalidInputError",
      "NotFoundError",
      "RemoveDevicePayload"
    ],
    "RemoveFriendResult": [
      "InvalidInputError",
      "NotFoundError",
      "RemoveFriendPayload"
    ],
    "RemoveGroupAdminsResult": [
      "ConflictError",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError",
      "RemoveGroupAdminsPayload"
    ],
    "RemovePushTagsResult": [
      "InvalidInputError",
      "RemovePushTagsPayload"
    ],
    "RenameGroupFileResult": [
      "ConflictError",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError",
      "RenameGroupFilePayload"
    ],
    "RevokeAdminTokensResult": [
      "ForbiddenError",
      "RevokeAdminTokensPayload"
    ],
    "RevokeUserTokensResult": [
      "InvalidInputError",
      "NotFoundError",
      "RevokeUserTokensPayload"
    ],
    "RotateAppSecretResult": [
      "ForbiddenError",
      "RotateAppSecretPayload"
    ],
    "SendMessageResult": [
      "AuthenticationError",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError",
      "SendMessagePayload"
    ],
    "SendNoticeResult": [
      "AuthenticationError",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError",
      "SendNoticePayload"
    ],
    "SendPushNotificationResult": [
      "ForbiddenError",
      "InvalidInputError",
      "SendPushNotificationPayload"
    ],
    "SendTypingResult": [
      "InvalidInputError",
      "SendTypingPayload"
    ],
    "SetMessageRetentionResult": [
      "InvalidInputError",
      "SetMessageRetentionPayload"
    ],
    "SetPushAliasResult": [
      "InvalidInputError",
      "SetPushAliasPayload"
    ],
    "SetPushBadgeResult": [
      "InvalidInputError",
      "SetPushBadgePayload"
    ],
    "SetPushCredentialResult": [
      "ForbiddenError",
      "InvalidInputError",
      "SetPushCredentialPayload"
    ],
    "SetStrangerMessagesResult": [
      "InvalidInputError",
      "SetStrangerMessagesPayload"
    ],
    "SignOutResult": [
      "InvalidInputError",
      "SignOutPayload"
    ],
    "TestWebhookEndpointResult": [
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError",
      "TestWebhookEndpointPayload"
    ],
    "TransferGroupOwnershipResult": [
      "ConflictError",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError",
      "TransferGroupOwnershipPayload"
    ],
    "UnbanAllGroupMembersResult": [
      "ConflictError",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError",
      "UnbanAllGroupMembersPayload"
    ],
    "UnbanGroupMembersResult": [
      "ConflictError",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError",
      "UnbanGroupMembersPayload"
    ],
    "UnbindPushTokenResult": [
      "InvalidInputError",
      "NotFoundError",
      "UnbindPushTokenPayload"
    ],
    "UnblockGroupUsersResult": [
      "ConflictError",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError",
      "UnblockGroupUsersPayload"
    ],
    "UnblockUserResult": [
      "InvalidInputError",
      "NotFoundError",
      "UnblockUserPayload"
    ],
    "UpdateFriendResult": [
      "InvalidInputError",
      "NotFoundError",
      "UpdateFriendPayload"
    ],
    "UpdateGroupInfoResult": [
      "ConflictError",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError",
      "UpdateGroupInfoPayload"
    ],
    "UpdateGroupMembershipResult": [
      "ConflictError",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError",
      "UpdateGroupMembershipPayload"
    ],
    "UpdateGroupSettingsResult": [
      "ConflictError",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError",
      "UpdateGroupSettingsPayload"
    ],
    "UpdateProfileResult": [
      "ConflictError",
      "InvalidInputError",
      "UpdateProfilePayload"
    ],
    "UpdateProfilesResult": [
      "InvalidInputError",
      "UpdateProfilesPayload"
    ],
    "UpdateSettingsResult": [
      "InvalidInputError",
      "UpdateSettingsPayload"
    ],
    "UpdateWebhookEndpointResult": [
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError",
      "UpdateWebhookEndpointPayload"
    ],
    "UploadFileResult": [
      "AuthenticationError",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError",
      "UploadFilePayload"
    ]
  }
};
      const result: PossibleTypesResultData = {
  "possibleTypes": {
    "AcceptFriendRequestResult": [
      "AcceptFriendRequestPayload",
      "ConflictError",
      "InvalidInputError",
      "NotFoundError"
    ],
    "AcknowledgePushNotificationResult": [
      "AcknowledgePushNotificationPayload",
      "ForbiddenError"
    ],
    "AddGroupAdminsResult": [
      "AddGroupAdminsPayload",
      "ConflictError",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError"
    ],
    "AddGroupFileResult": [
      "AddGroupFilePayload",
      "ConflictError",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError"
    ],
    "AddPushTagsResult": [
      "AddPushTagsPayload",
      "InvalidInputError"
    ],
    "AnswerGroupApplicationResult": [
      "AnswerGroupApplicationPayload",
      "ConflictError",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError"
    ],
    "AnswerGroupInvitationResult": [
      "AnswerGroupInvitationPayload",
      "ConflictError",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError"
    ],
    "ApplyFriendResult": [
      "ApplyFriendPayload",
      "ConflictError",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError"
    ],
    "ApplyFriendsResult": [
      "ApplyFriendsPayload",
      "InvalidInputError"
    ],
    "ApplyToGroupResult": [
      "ApplyToGroupPayload",
      "ConflictError",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError"
    ],
    "BanAllGroupMembersResult": [
      "BanAllGroupMembersPayload",
      "ConflictError",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError"
    ],
    "BanGroupMembersResult": [
      "BanGroupMembersPayload",
      "ConflictError",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError"
    ],
    "BindOpenIdResult": [
      "BindOpenIdPayload",
      "ConflictError",
      "InvalidInputError"
    ],
    "BindPushTokenResult": [
      "BindPushTokenPayload",
      "InvalidInputError",
      "NotFoundError"
    ],
    "BlockGroupUsersResult": [
      "BlockGroupUsersPayload",
      "ConflictError",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError"
    ],
    "BlockUserResult": [
      "BlockUserPayload",
      "InvalidInputError",
      "NotFoundError"
    ],
    "ChangePasswordResult": [
      "AuthenticationError",
      "ChangePasswordPayload",
      "InvalidInputError"
    ],
    "CreateAccessTokenResult": [
      "AuthenticationError",
      "CreateAccessTokenPayload",
      "InvalidInputError",
      "NotFoundError",
      "RateLimitedError"
    ],
    "CreateAdminTokenResult": [
      "AuthenticationError",
      "CreateAdminTokenPayload",
      "InvalidInputError",
      "NotFoundError",
      "RateLimitedError"
    ],
    "CreateGroupQrCodeResult": [
      "ConflictError",
      "CreateGroupQrCodePayload",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError"
    ],
    "CreateGroupResult": [
      "ConflictError",
      "CreateGroupPayload",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError"
    ],
    "CreateUploadSlotResult": [
      "AuthenticationError",
      "CreateUploadSlotPayload",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError"
    ],
    "CreateWebhookEndpointResult": [
      "ConflictError",
      "CreateWebhookEndpointPayload",
      "ForbiddenError",
      "InvalidInputError"
    ],
    "DeclineFriendRequestResult": [
      "ConflictError",
      "DeclineFriendRequestPayload",
      "InvalidInputError",
      "NotFoundError"
    ],
    "DeleteAccountResult": [
      "AuthenticationError",
      "DeleteAccountPayload",
      "ForbiddenError",
      "NotFoundError"
    ],
    "DeleteConversationResult": [
      "DeleteConversationPayload",
      "InvalidInputError",
      "NotFoundError"
    ],
    "DeleteGroupAnnouncementResult": [
      "ConflictError",
      "DeleteGroupAnnouncementPayload",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError"
    ],
    "DeleteGroupFilesResult": [
      "ConflictError",
      "DeleteGroupFilesPayload",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError"
    ],
    "DeletePushCredentialResult": [
      "DeletePushCredentialPayload",
      "ForbiddenError"
    ],
    "DeleteUserResult": [
      "DeleteUserPayload",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError"
    ],
    "DeleteWebhookEndpointResult": [
      "DeleteWebhookEndpointPayload",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError"
    ],
    "DestroyGroupResult": [
      "ConflictError",
      "DestroyGroupPayload",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError"
    ],
    "DisableUsersResult": [
      "DisableUsersPayload",
      "InvalidInputError",
      "NotFoundError"
    ],
    "EditGroupAnnouncementResult": [
      "ConflictError",
      "EditGroupAnnouncementPayload",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError"
    ],
    "EditMessageResult": [
      "EditMessagePayload",
      "InvalidInputError",
      "NotFoundError"
    ],
    "EnableUsersResult": [
      "EnableUsersPayload",
      "InvalidInputError",
      "NotFoundError"
    ],
    "Error": [
      "AuthenticationError",
      "ConflictError",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError",
      "RateLimitedError"
    ],
    "Event": [
      "BlocklistChangedEvent",
      "ConversationDeletedEvent",
      "FriendAddedEvent",
      "FriendRemovedEvent",
      "FriendRequestAcceptedEvent",
      "FriendRequestDeclinedEvent",
      "FriendRequestReceivedEvent",
      "GroupAnnouncementPublishedEvent",
      "GroupApplicationEvent",
      "GroupDissolvedEvent",
      "GroupInvitationEvent",
      "GroupMembersBannedEvent",
      "GroupMembersJoinedEvent",
      "GroupMembersRemovedEvent",
      "GroupRolesChangedEvent",
      "GroupUpdatedEvent",
      "MessageChangedEvent",
      "MessageEvent",
      "MessageReadEvent",
      "ProfileChangedEvent",
      "PushNotificationReceivedEvent",
      "ReadPositionEvent",
      "SettingsChangedEvent",
      "StreamReadyEvent",
      "TokenRevokedEvent",
      "TypingEvent"
    ],
    "ForwardFileResult": [
      "AuthenticationError",
      "ForbiddenError",
      "ForwardFilePayload",
      "InvalidInputError",
      "NotFoundError"
    ],
    "GroupEvent": [
      "GroupAnnouncementPublishedEvent",
      "GroupApplicationEvent",
      "GroupDissolvedEvent",
      "GroupInvitationEvent",
      "GroupMembersBannedEvent",
      "GroupMembersJoinedEvent",
      "GroupMembersRemovedEvent",
      "GroupRolesChangedEvent",
      "GroupUpdatedEvent"
    ],
    "InviteGroupMembersResult": [
      "ConflictError",
      "ForbiddenError",
      "InvalidInputError",
      "InviteGroupMembersPayload",
      "NotFoundError"
    ],
    "JoinGroupByQrCodeResult": [
      "ConflictError",
      "ForbiddenError",
      "InvalidInputError",
      "JoinGroupByQrCodePayload",
      "NotFoundError"
    ],
    "KickDevicesResult": [
      "InvalidInputError",
      "KickDevicesPayload",
      "NotFoundError"
    ],
    "KickGroupMembersResult": [
      "ConflictError",
      "ForbiddenError",
      "InvalidInputError",
      "KickGroupMembersPayload",
      "NotFoundError"
    ],
    "LeaveGroupResult": [
      "ConflictError",
      "ForbiddenError",
      "InvalidInputError",
      "LeaveGroupPayload",
      "NotFoundError"
    ],
    "MarkReadResult": [
      "InvalidInputError",
      "MarkReadPayload",
      "NotFoundError"
    ],
    "PublishGroupAnnouncementResult": [
      "ConflictError",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError",
      "PublishGroupAnnouncementPayload"
    ],
    "RecallMessageResult": [
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError",
      "RecallMessagePayload"
    ],
    "RegisterPushUserResult": [
      "ConflictError",
      "InvalidInputError",
      "NotFoundError",
      "RegisterPushUserPayload"
    ],
    "RegisterUserResult": [
      "ConflictError",
      "InvalidInputError",
      "NotFoundError",
      "RegisterUserPayload"
    ],
    "RegisterUsersResult": [
      "InvalidInputError",
      "RegisterUsersPayload"
    ],
    "RemoveDeviceResult": [
      "InvalidInputError",
      "NotFoundError",
      "RemoveDevicePayload"
    ],
    "RemoveFriendResult": [
      "InvalidInputError",
      "NotFoundError",
      "RemoveFriendPayload"
    ],
    "RemoveGroupAdminsResult": [
      "ConflictError",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError",
      "RemoveGroupAdminsPayload"
    ],
    "RemovePushTagsResult": [
      "InvalidInputError",
      "RemovePushTagsPayload"
    ],
    "RenameGroupFileResult": [
      "ConflictError",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError",
      "RenameGroupFilePayload"
    ],
    "RevokeAdminTokensResult": [
      "ForbiddenError",
      "RevokeAdminTokensPayload"
    ],
    "RevokeUserTokensResult": [
      "InvalidInputError",
      "NotFoundError",
      "RevokeUserTokensPayload"
    ],
    "RotateAppSecretResult": [
      "ForbiddenError",
      "RotateAppSecretPayload"
    ],
    "SendMessageResult": [
      "AuthenticationError",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError",
      "SendMessagePayload"
    ],
    "SendNoticeResult": [
      "AuthenticationError",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError",
      "SendNoticePayload"
    ],
    "SendPushNotificationResult": [
      "ForbiddenError",
      "InvalidInputError",
      "SendPushNotificationPayload"
    ],
    "SendTypingResult": [
      "InvalidInputError",
      "SendTypingPayload"
    ],
    "SetMessageRetentionResult": [
      "InvalidInputError",
      "SetMessageRetentionPayload"
    ],
    "SetPushAliasResult": [
      "InvalidInputError",
      "SetPushAliasPayload"
    ],
    "SetPushBadgeResult": [
      "InvalidInputError",
      "SetPushBadgePayload"
    ],
    "SetPushCredentialResult": [
      "ForbiddenError",
      "InvalidInputError",
      "SetPushCredentialPayload"
    ],
    "SetStrangerMessagesResult": [
      "InvalidInputError",
      "SetStrangerMessagesPayload"
    ],
    "SignOutResult": [
      "InvalidInputError",
      "SignOutPayload"
    ],
    "TestWebhookEndpointResult": [
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError",
      "TestWebhookEndpointPayload"
    ],
    "TransferGroupOwnershipResult": [
      "ConflictError",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError",
      "TransferGroupOwnershipPayload"
    ],
    "UnbanAllGroupMembersResult": [
      "ConflictError",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError",
      "UnbanAllGroupMembersPayload"
    ],
    "UnbanGroupMembersResult": [
      "ConflictError",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError",
      "UnbanGroupMembersPayload"
    ],
    "UnbindPushTokenResult": [
      "InvalidInputError",
      "NotFoundError",
      "UnbindPushTokenPayload"
    ],
    "UnblockGroupUsersResult": [
      "ConflictError",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError",
      "UnblockGroupUsersPayload"
    ],
    "UnblockUserResult": [
      "InvalidInputError",
      "NotFoundError",
      "UnblockUserPayload"
    ],
    "UpdateFriendResult": [
      "InvalidInputError",
      "NotFoundError",
      "UpdateFriendPayload"
    ],
    "UpdateGroupInfoResult": [
      "ConflictError",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError",
      "UpdateGroupInfoPayload"
    ],
    "UpdateGroupMembershipResult": [
      "ConflictError",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError",
      "UpdateGroupMembershipPayload"
    ],
    "UpdateGroupSettingsResult": [
      "ConflictError",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError",
      "UpdateGroupSettingsPayload"
    ],
    "UpdateProfileResult": [
      "ConflictError",
      "InvalidInputError",
      "UpdateProfilePayload"
    ],
    "UpdateProfilesResult": [
      "InvalidInputError",
      "UpdateProfilesPayload"
    ],
    "UpdateSettingsResult": [
      "InvalidInputError",
      "UpdateSettingsPayload"
    ],
    "UpdateWebhookEndpointResult": [
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError",
      "UpdateWebhookEndpointPayload"
    ],
    "UploadFileResult": [
      "AuthenticationError",
      "ForbiddenError",
      "InvalidInputError",
      "NotFoundError",
      "UploadFilePayload"
    ]
  }
};
      export default result;
    