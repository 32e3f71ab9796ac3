import { signConversationAction, type Signature } from '../../domain/accounts/signatures.js';
import { builder } from '../builder.js';

const SignatureActionEnum = builder.enumType('SignatureAction', {
  description: 'What a conversation signature lets its client do.',
  values: {
    LOGIN: { description: 'Log in as the client id.' },
    START: { description: 'Start a conversation with the members.' },
    INVITE: { description: 'Invite the members to the conversation.' },
    KICK: { description: 'Remove the members from the conversation.' },
  },
});

const SignatureRef = builder.objectRef<Signature>('ConversationSignature').implement({
  description:
    'A signature of the legacy signature service: lowercase hex HMAC-SHA1 keyed with the app secret over the fields joined with `:` (see docs/compat-signature.md).',
  fields: (t) => ({
    action: t.field({ type: SignatureActionEnum, description: 'What it was made for.', resolve: (s) => s.action }),
    appId: t.exposeID('appId', { description: 'The app it was signed for.' }),
    clientId: t.exposeID('clientId', { description: 'The client id it was signed for, as given.' }),
    conversationId: t.exposeID('conversationId', { nullable: true, description: 'INVITE and KICK: the conversation, as given; null otherwise.' }),
    signedMembers: t.string({ description: 'The member ids in ascending order joined with `:`; empty for LOGIN and a join.', resolve: (s) => s.sortedMemberIds }),
    timestamp: t.exposeString('timestamp', { description: 'Seconds since the epoch with a fraction, as signed.' }),
    nonce: t.exposeString('nonce', { description: '8 random letters and digits, as signed.' }),
    signature: t.exposeString('signature', { description: '40 lowercase hex digits.' }),
  }),
});

const ConversationSignatureInput = builder.inputType('ConversationSignatureInput', {
  description: 'What to sign. Client, member and conversation ids are strings without `:`, up to 64 characters each.',
  fields: (t) => ({
    action: t.field({ type: SignatureActionEnum, required: true, description: 'What the signature is for.' }),
    appId: t.id({ required: true, description: "The app, as the client names it; must be the viewer's." }),
    clientId: t.id({ required: true, description: 'A username, or a user id when all digits; a user signs only for their own.' }),
    conversationId: t.id({ description: 'INVITE and KICK: the conversation acted on (required there).' }),
    memberIds: t.idList({ description: 'START, INVITE and KICK: client ids of the members, up to 500, in any order; none for a join.' }),
  }),
});

builder.queryFields((t) => ({
  conversationSignature: t.field({
    type: SignatureRef,
    description:
      "Signs a client's login or conversation action for the legacy signature service: for the client id's own user or an app admin. USER_NOT_FOUND for a client id of nobody.",
    authScopes: { signedIn: true },
    args: { input: t.arg({ type: ConversationSignatureInput, required: true, description: 'What to sign.' }) },
    resolve: (_root, { input }, { deps, viewer }) =>
      signConversationAction(deps, viewer, {
        ...input,
        conversationId: input.conversationId ?? undefined,
        memberIds: input.memberIds ?? undefined,
      }),
  }),
}));
