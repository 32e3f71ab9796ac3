import { expect } from 'vitest';
import { collect, type TestServer, type TestUser } from './server.js';

/** The outcome of one target of a batch mutation, as GraphQL answers it. */
export interface TargetResult {
  id: string;
  outcome: 'SUCCESS' | 'JOINED' | 'INVITED' | 'FAILED';
  code: string | null;
  reason: string | null;
}

export const GROUP_FIELDS = `id type name description avatar ext ownerId capacity memberCount memberInvite memberModify
  historyVisible readAck applyApproval banAll banAllUntil dissolved createdAt updatedAt viewerCanSend
  viewerMembership { role displayName msgMuteMode msgPushMode bannedUntil }`;

const FAILURE = `... on Error { code message } ... on InvalidInputError { field }`;
const TARGETS = `outcomes { id outcome code reason }`;

/** Every group event's interesting fields, for subscriptions. */
export const GROUP_EVENTS = `subscription {
  events {
    __typename
    ... on GroupEvent { groupId }
    ... on GroupMembersJoinedEvent { userIds }
    ... on GroupMembersRemovedEvent { userIds cause }
    ... on GroupMembersBannedEvent { userIds until }
    ... on GroupRolesChangedEvent { changes { userId role } }
    ... on GroupUpdatedEvent { group { name banAll } }
    ... on GroupAnnouncementPublishedEvent { announcement { title } }
    ... on GroupDissolvedEvent { group { dissolved } }
    ... on GroupApplicationEvent { applicantId status reason }
    ... on GroupInvitationEvent { inviteeId inviterId status }
  }
}`;

/**
 * A small GraphQL client for group tests: each call names who acts (a user or a token) and
 * answers the mutation's result (a success or a typed error) or the query's data.
 */
export class GroupClient {
  constructor(readonly server: TestServer) {}

  async op(as: Actor, query: string, variables: Record<string, unknown> = {}) {
    const res = await this.server.gql(query, variables, credentials(as));
    return res;
  }

  /** Runs a mutation and answers its one root field. */
  async mutate(as: Actor, query: string, variables: Record<string, unknown> = {}) {
    const res = await this.op(as, query, variables);
    if (res.errors) return { __typename: 'errors', code: res.errors[0]!.extensions?.code, message: res.errors[0]!.message };
    return Object.values(res.data as Record<string, any>)[0];
  }

  async create(owner: Actor, input: Record<string, unknown>) {
    return this.mutate(
      owner,
      `mutation($input: CreateGroupInput!) { createGroup(input: $input) { __typename ... on CreateGroupPayload { group { ${GROUP_FIELDS} } invitees { id outcome code reason } } ${FAILURE} } }`,
      { input },
    );
  }

  /** Creates a group and answers its id; members are added at once (none of them confirms invitations). */
  async group(owner: TestUser, members: TestUser[] = [], input: Record<string, unknown> = {}): Promise<string> {
    const res = await this.create(owner, { name: 'g', memberIds: members.map((m) => m.id), ...input });
    expect(res.__typename).toBe('CreateGroupPayload');
    return res.group.id;
  }

  async info(as: Actor, groupId: string) {
    const res = await this.op(as, `query($id: ID!) { group(id: $id) { ${GROUP_FIELDS} } }`, { id: groupId });
    return res.data?.group ?? { errors: res.errors };
  }

  /** A batch mutation on users: answers its payload (`outcomes`, one per user), or the error. */
  async batch(as: Actor, field: string, groupId: string, userIds: string[], extra = '', vars: Record<string, unknown> = {}) {
    const payload = `${field[0]!.toUpperCase()}${field.slice(1)}Payload`;
    const extraArgs = Object.keys(vars).map((k) => `, $${k}: ${typeof vars[k] === 'number' ? 'Int!' : 'String'}`).join('');
    return this.mutate(
      as,
      `mutation($g: ID!, $u: [ID!]!${extraArgs}) { ${field}(groupId: $g, userIds: $u${extra}) { __typename ... on ${payload} { ${TARGETS} } ${FAILURE} } }`,
      { g: groupId, u: userIds, ...vars },
    );
  }

  async members(as: Actor, groupId: string, first = 50, after?: string) {
    const res = await this.op(
      as,
      `query($id: ID!, $first: Int, $after: String) { group(id: $id) { members(first: $first, after: $after) {
        totalCount edges { cursor node { userId role displayName joinedAt } } pageInfo { hasNextPage endCursor } } } }`,
      { id: groupId, first, after },
    );
    return res.data?.group?.members ?? { errors: res.errors };
  }

  async memberIds(as: Actor, groupId: string): Promise<string[]> {
    return (await this.members(as, groupId, 100)).edges.map((e: any) => e.node.userId);
  }

  /** A live subscription of a user's events, ready. */
  async listen(user: TestUser) {
    const ws = this.server.ws({ token: user.token });
    const events = collect(ws.client, GROUP_EVENTS);
    expect((await events.next()).events.__typename).toBe('StreamReadyEvent');
    // A subscription that ends (a validation error, say) fails the wait instead of hanging it.
    const ended = events.done.then((error) => Promise.reject(new Error(`subscription ended: ${JSON.stringify(error)}`)));
    return { next: async () => (await Promise.race([events.next(), ended])).events, close: () => ws.client.dispose() };
  }
}

/** Who acts: a user, or a raw token with optional act-as headers. */
export type Actor = TestUser | { token: string; headers?: Record<string, string> };

const credentials = (as: Actor) => ({ token: as.token, headers: 'headers' in as ? as.headers : undefined });
