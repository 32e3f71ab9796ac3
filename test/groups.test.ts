import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { later } from './helpers/clock.js';
import { GROUP_FIELDS, GroupClient } from './helpers/groups.js';
import { sharedFileUrl } from './helpers/files.js';
import { TestServer, type TestUser } from './helpers/server.js';

// Groups over GraphQL: every rule of issue 5, its error paths, and the live events.
let server: TestServer;
let groups: GroupClient;
let n = 0;
beforeAll(async () => {
  server = await TestServer.start();
  groups = new GroupClient(server);
});
afterAll(() => server.close());

/** A fresh user; `confirm` makes them accept group invitations themselves. */
async function user(options: { confirm?: boolean } = {}): Promise<TestUser> {
  const u = await server.user(`gu${++n}`);
  if (options.confirm) await server.gql(`mutation { updateSettings(input: { groupConfirm: true }) { __typename } }`, {}, { token: u.token });
  return u;
}
type Users = [TestUser, TestUser, TestUser, TestUser, TestUser, TestUser];
/** `count` fresh users (typed as six, of which the test destructures what it asked for). */
const users = async (count: number) => {
  // One after another, so their ids (which order members who join together) follow the array.
  const list: TestUser[] = [];
  for (let i = 0; i < count; i++) list.push(await user());
  return list as Users;
};

const ids = (results: { id: string; outcome: string }[]) => results.map((r) => [r.id, r.outcome]);

describe('creating', () => {
  it('makes the creator owner, applies the documented defaults, and says per invitee who joined and who was invited', async () => {
    const [owner, joiner] = await users(2);
    const confirmer = await user({ confirm: true });
    const res = await groups.create(owner, {
      name: ' Hikers ',
      description: 'weekend walks',
      avatar: 'https://cdn/h.png',
      memberIds: [joiner.id, confirmer.id, '999999999999', owner.id],
    });
    expect(res.__typename).toBe('CreateGroupPayload');
    expect(res.group).toMatchObject({
      type: 'PRIVATE',
      name: 'Hikers',
      description: 'weekend walks',
      avatar: 'https://cdn/h.png',
      ownerId: owner.id,
      capacity: 2000,
      memberCount: 2,
      memberInvite: true,
      memberModify: false,
      historyVisible: false,
      readAck: false,
      applyApproval: 'ADMIN_APPROVAL',
      ext: null,
      banAll: false,
      dissolved: false,
      viewerCanSend: true,
      viewerMembership: { role: 'OWNER', displayName: '', msgMuteMode: 'NORMAL', msgPushMode: 'ALL', bannedUntil: null },
    });
    expect(res.invitees).toEqual([
      { id: joiner.id, outcome: 'JOINED', code: null, reason: null },
      { id: confirmer.id, outcome: 'INVITED', code: null, reason: null },
      { id: '999999999999', outcome: 'FAILED', code: 'USER_NOT_FOUND', reason: 'user 999999999999 does not exist' },
    ]);
    expect(await groups.memberIds(owner, res.group.id)).toEqual([owner.id, joiner.id]);
  });

  it.each([
    [{ name: '' }, 'name'],
    [{ name: 'x'.repeat(65) }, 'name'],
    [{ name: 'g', ext: 'x'.repeat(8200) }, 'ext'],
    [{ name: 'g', memberIds: ['abc'] }, 'memberIds.0'],
  ])('refuses %j naming the field', async (input, field) => {
    const owner = await user();
    expect(await groups.create(owner, input)).toMatchObject({ __typename: 'InvalidInputError', code: 'INVALID_INPUT', field });
  });

  it.each([
    [{ name: 'g', type: 'HUGE' }, 'GroupType'],
    [{ name: 'g', applyApproval: 5 }, 'GroupApplicationPolicy'],
  ])('refuses %j outside its enum before anything runs', async (input, type) => {
    const owner = await user();
    const res = await groups.create(owner, input);
    expect(res.__typename).toBe('errors');
    expect(res.message).toContain(type);
  });

  it('keeps ext as JSON: given as a value, answered as the same value', async () => {
    const owner = await user();
    const res = await groups.create(owner, { name: 'g', ext: { tags: ['a'], n: 1 } });
    expect(res.group.ext).toEqual({ tags: ['a'], n: 1 });
  });

  it('needs a user: no token, or an admin token acting as nobody, is refused', async () => {
    const admin = await server.adminToken();
    expect(await groups.create({ token: '' }, { name: 'g' })).toMatchObject({ code: 'TOKEN_MISSING' });
    expect(await groups.create({ token: admin }, { name: 'g' })).toMatchObject({ code: 'FORBIDDEN' });
    const owner = await user();
    const asUser = await groups.create({ token: admin, headers: { 'x-act-as-user': owner.id } }, { name: 'by admin' });
    expect(asUser.group.ownerId).toBe(owner.id);
  });
});

describe('reading', () => {
  it('group(id) shows anyone of the app the info, and the viewer their own modes; other apps see nothing', async () => {
    const [owner, member, stranger] = await users(3);
    const id = await groups.group(owner, [member]);
    expect((await groups.info(stranger, id)).viewerMembership).toBeNull();
    expect((await groups.info(member, id)).viewerMembership).toMatchObject({ role: 'MEMBER' });
    const other = await server.createApp('grpother');
    const outsider = await server.user('outsider', { appId: other.appId });
    expect(await groups.op(outsider, `query($id: ID!) { group(id: $id) { id } }`, { id })).toEqual({ data: { group: null } });
    const otherAdmin = await server.adminToken(other.appId, other.appSecret);
    expect(await groups.op({ token: otherAdmin }, `query($id: ID!) { group(id: $id) { id } }`, { id })).toEqual({ data: { group: null } });
    expect(await groups.op(owner, `query { group(id: "999999999999") { id } }`)).toEqual({ data: { group: null } });
    expect((await groups.op(owner, `query { group(id: "abc") { id } }`)).errors![0]!.extensions!.code).toBe('INVALID_INPUT');
  });

  it('groups(ids) answers in the order asked, leaves unknown ids out, and loads the viewer’s memberships in one batch', async () => {
    const owner = await user();
    const a = await groups.group(owner);
    const b = await groups.group(owner, [], { type: 'PUBLIC' });
    const res = await groups.op(owner, `query($ids: [ID!]!) { groups(ids: $ids) { id type memberCount viewerMembership { role } } }`, {
      ids: [b, '123456789012', a],
    });
    expect(res.data.groups).toEqual([
      { id: b, type: 'PUBLIC', memberCount: 1, viewerMembership: { role: 'OWNER' } },
      { id: a, type: 'PRIVATE', memberCount: 1, viewerMembership: { role: 'OWNER' } },
    ]);
    const tooMany = await groups.op(owner, `query($ids: [ID!]!) { groups(ids: $ids) { id } }`, { ids: Array.from({ length: 101 }, () => a) });
    expect(tooMany.errors![0]!.extensions).toMatchObject({ code: 'INVALID_INPUT', field: 'groupIds' });
  });

  it('lists public groups and the groups the viewer joined, page by page', async () => {
    const [owner, member] = await users(2);
    const publics = [await groups.group(owner, [member], { type: 'PUBLIC' }), await groups.group(owner, [], { type: 'PUBLIC' })];
    const privateId = await groups.group(owner, [member]);
    const all = await groups.op(member, `{ publicGroups(first: 100) { edges { node { id } } } }`);
    const listed = all.data.publicGroups.edges.map((e: any) => e.node.id);
    expect(listed).toEqual(expect.arrayContaining(publics));
    expect(listed).not.toContain(privateId);
    const first = await groups.op(member, `{ joinedGroups(first: 1) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`);
    expect(first.data.joinedGroups.edges.map((e: any) => e.node.id)).toEqual([publics[0]]);
    const rest = await groups.op(member, `query($a: String) { joinedGroups(first: 10, after: $a) { edges { node { id } } pageInfo { hasNextPage } } }`, {
      a: first.data.joinedGroups.pageInfo.endCursor,
    });
    expect(rest.data.joinedGroups.edges.map((e: any) => e.node.id)).toEqual([privateId]);
    expect(rest.data.joinedGroups.pageInfo.hasNextPage).toBe(false);
  });
});

describe('destroying', () => {
  it('only the owner dissolves; members are told; the group stays readable but nothing more can be done or sent', async () => {
    const [owner, admin, member] = await users(3);
    const id = await groups.group(owner, [admin, member]);
    await groups.batch(owner, 'addGroupAdmins', id, [admin.id]);
    const destroy = `mutation($g: ID!) { destroyGroup(groupId: $g) { __typename ... on DestroyGroupPayload { group { id dissolved } } ... on Error { code } } }`;
    expect(await groups.mutate(admin, destroy, { g: id })).toMatchObject({ code: 'NEEDS_GROUP_OWNER' });
    expect(await groups.mutate(member, destroy, { g: id })).toMatchObject({ code: 'NEEDS_GROUP_OWNER' });
    const live = await groups.listen(member);
    expect(await groups.mutate(owner, destroy, { g: id })).toEqual({ __typename: 'DestroyGroupPayload', group: { id, dissolved: true } });
    expect(await live.next()).toEqual({ __typename: 'GroupDissolvedEvent', groupId: id, group: { dissolved: true } });
    await live.close();
    expect(await groups.info(member, id)).toMatchObject({ dissolved: true, viewerCanSend: false });
    expect(await groups.mutate(owner, destroy, { g: id })).toMatchObject({ code: 'GROUP_NOT_FOUND' });
    expect(await groups.batch(owner, 'kickGroupMembers', id, [member.id])).toMatchObject({ code: 'GROUP_NOT_FOUND' });
    const joined = await groups.op(member, `{ joinedGroups { edges { node { id } } } }`);
    expect(joined.data.joinedGroups.edges).toEqual([]);
  });
});

describe('roles', () => {
  it('the owner adds and removes admins; others may not; targets must be members', async () => {
    const [owner, a, b, outsider] = await users(4);
    const id = await groups.group(owner, [a, b]);
    expect(await groups.batch(a, 'addGroupAdmins', id, [b.id])).toMatchObject({ code: 'NEEDS_GROUP_OWNER' });
    const added = await groups.batch(owner, 'addGroupAdmins', id, [a.id, outsider.id, owner.id]);
    expect(added.outcomes.map((r: any) => [r.id, r.outcome, r.code])).toEqual([
      [a.id, 'SUCCESS', null],
      [outsider.id, 'FAILED', 'NOT_GROUP_MEMBER'],
      [owner.id, 'FAILED', 'FORBIDDEN'],
    ]);
    const admins = await groups.op(owner, `query($id: ID!) { group(id: $id) { admins { userId role } } }`, { id });
    expect(admins.data.group.admins).toEqual([{ userId: a.id, role: 'ADMIN' }]);
    expect(ids((await groups.batch(owner, 'removeGroupAdmins', id, [a.id])).outcomes)).toEqual([[a.id, 'SUCCESS']]);
    expect((await groups.info(a, id)).viewerMembership.role).toBe('MEMBER');
  });

  it('kicking: admins kick members, only the owner kicks admins, nobody kicks the owner, members kick nobody', async () => {
    const [owner, admin1, admin2, m1, m2] = await users(5);
    const id = await groups.group(owner, [admin1, admin2, m1, m2]);
    await groups.batch(owner, 'addGroupAdmins', id, [admin1.id, admin2.id]);
    expect(await groups.batch(m1, 'kickGroupMembers', id, [m2.id])).toMatchObject({ code: 'NEEDS_GROUP_ADMIN' });
    const byAdmin = await groups.batch(admin1, 'kickGroupMembers', id, [m1.id, admin2.id, owner.id]);
    expect(byAdmin.outcomes.map((r: any) => [r.outcome, r.code])).toEqual([
      ['SUCCESS', null],
      ['FAILED', 'NEEDS_GROUP_OWNER'],
      ['FAILED', 'FORBIDDEN'],
    ]);
    expect(ids((await groups.batch(owner, 'kickGroupMembers', id, [admin2.id])).outcomes)).toEqual([[admin2.id, 'SUCCESS']]);
    expect(await groups.memberIds(owner, id)).toEqual([owner.id, admin1.id, m2.id]);
    expect((await groups.info(owner, id)).memberCount).toBe(3);
  });

  it('transfers ownership to a member only; the old owner becomes a member and may then leave', async () => {
    const [owner, member, outsider] = await users(3);
    const id = await groups.group(owner, [member]);
    const transfer = `mutation($g: ID!, $u: ID!) { transferGroupOwnership(groupId: $g, newOwnerId: $u) { __typename ... on TransferGroupOwnershipPayload { group { ownerId } } ... on Error { code } } }`;
    const leave = `mutation($g: ID!) { leaveGroup(groupId: $g) { __typename ... on Error { code } } }`;
    expect(await groups.mutate(owner, leave, { g: id })).toMatchObject({ code: 'OWNER_CANNOT_LEAVE' });
    expect(await groups.mutate(owner, transfer, { g: id, u: outsider.id })).toMatchObject({ code: 'NEW_OWNER_NOT_MEMBER' });
    expect(await groups.mutate(member, transfer, { g: id, u: member.id })).toMatchObject({ code: 'NEEDS_GROUP_OWNER' });
    expect(await groups.mutate(owner, transfer, { g: id, u: member.id })).toEqual({ __typename: 'TransferGroupOwnershipPayload', group: { ownerId: member.id } });
    expect((await groups.info(owner, id)).viewerMembership.role).toBe('MEMBER');
    expect((await groups.mutate(owner, leave, { g: id })).__typename).toBe('LeaveGroupPayload');
    expect(await groups.memberIds(member, id)).toEqual([member.id]);
  });
});

describe('members', () => {
  it('are listed in join order with a total, page by page, to members only', async () => {
    const [owner, outsider, ...rest] = await users(6);
    const id = await groups.group(owner, rest);
    const first = await groups.members(owner, id, 2);
    expect(first.totalCount).toBe(5);
    expect(first.edges.map((e: any) => e.node.userId)).toEqual([owner.id, rest[0]!.id]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await groups.members(owner, id, 10, first.pageInfo.endCursor);
    expect(second.edges.map((e: any) => e.node.userId)).toEqual(rest.slice(1).map((u) => u.id));
    expect(second.pageInfo.hasNextPage).toBe(false);
    expect((await groups.members(outsider, id)).errors[0].extensions.code).toBe('NEEDS_GROUP_MEMBER');
    expect((await groups.members(owner, id, 2, 'garbage')).errors[0].extensions).toMatchObject({ code: 'INVALID_INPUT', field: 'after' });
  });

  it('set their own display name and modes; bad modes answer INVALID_GROUP_MODE; others read display names in a batch', async () => {
    const [owner, member] = await users(2);
    const id = await groups.group(owner, [member]);
    const update = `mutation($g: ID!, $input: UpdateGroupMembershipInput!) { updateGroupMembership(groupId: $g, input: $input) {
      __typename ... on UpdateGroupMembershipPayload { membership { displayName msgMuteMode msgPushMode } } ... on Error { code } ... on InvalidInputError { field } } }`;
    expect(await groups.mutate(member, update, { g: id, input: { displayName: 'Mo', msgMuteMode: 'NO_NOTIFICATION', msgPushMode: 'ADMINS' } })).toEqual({
      __typename: 'UpdateGroupMembershipPayload',
      membership: { displayName: 'Mo', msgMuteMode: 'NO_NOTIFICATION', msgPushMode: 'ADMINS' },
    });
    // A mode outside its enum is refused by GraphQL before anything runs.
    expect(await groups.mutate(member, update, { g: id, input: { msgPushMode: 5 } })).toMatchObject({ __typename: 'errors' });
    expect(await groups.mutate(member, update, { g: id, input: { msgMuteMode: 'LOUD' } })).toMatchObject({ __typename: 'errors' });
    expect(await groups.mutate(member, update, { g: id, input: { displayName: 'x'.repeat(65) } })).toMatchObject({ code: 'INVALID_INPUT' });
    const names = await groups.op(owner, `query($id: ID!, $u: [ID!]!) { group(id: $id) { membersAmong(userIds: $u) { userId displayName msgPushMode } } }`, {
      id,
      u: [member.id, '999999999999', owner.id],
    });
    expect(names.data.group.membersAmong).toEqual([
      { userId: member.id, displayName: 'Mo', msgPushMode: null },
      { userId: owner.id, displayName: '', msgPushMode: 'ALL' },
    ]);
    expect((await groups.info(member, id)).viewerMembership).toMatchObject({ msgMuteMode: 'NO_NOTIFICATION', msgPushMode: 'ADMINS' });
  });
});

describe('info and settings', () => {
  const INFO = `mutation($g: ID!, $input: UpdateGroupInfoInput!) { updateGroupInfo(groupId: $g, input: $input) { __typename ... on UpdateGroupInfoPayload { group { name avatar description ext } } ... on Error { code } ... on InvalidInputError { field } } }`;
  const SETTINGS = `mutation($g: ID!, $input: UpdateGroupSettingsInput!) { updateGroupSettings(groupId: $g, input: $input) { __typename ... on UpdateGroupSettingsPayload { group { memberInvite memberModify historyVisible readAck applyApproval } } ... on Error { code } ... on InvalidInputError { field } } }`;

  it('admins change info; members only when memberModify is on; members are told', async () => {
    const [owner, member] = await users(2);
    const id = await groups.group(owner, [member]);
    expect(await groups.mutate(member, INFO, { g: id, input: { name: 'mine' } })).toMatchObject({ code: 'NEEDS_GROUP_ADMIN' });
    const live = await groups.listen(member);
    expect(await groups.mutate(owner, SETTINGS, { g: id, input: { memberModify: true } })).toMatchObject({ group: { memberModify: true } });
    expect(await live.next()).toMatchObject({ __typename: 'GroupUpdatedEvent', groupId: id });
    expect(await groups.mutate(member, INFO, { g: id, input: { name: 'ours', ext: { a: 1 } } })).toMatchObject({ group: { name: 'ours', ext: { a: 1 } } });
    expect(await live.next()).toEqual({ __typename: 'GroupUpdatedEvent', groupId: id, group: { name: 'ours', banAll: false } });
    await live.close();
    expect(await groups.mutate(member, INFO, { g: id, input: { ext: 'x'.repeat(8200) } })).toMatchObject({ code: 'INVALID_INPUT', field: 'ext' });
    expect(await groups.mutate(member, INFO, { g: id, input: { ext: null } })).toMatchObject({ group: { ext: null } });
    expect(await groups.mutate(member, INFO, { g: id, input: {} })).toMatchObject({ code: 'INVALID_INPUT', field: 'input' });
  });

  it('settings are for admins, validated', async () => {
    const [owner, member] = await users(2);
    const id = await groups.group(owner, [member]);
    expect(await groups.mutate(member, SETTINGS, { g: id, input: { readAck: true } })).toMatchObject({ code: 'NEEDS_GROUP_ADMIN' });
    expect(await groups.mutate(owner, SETTINGS, { g: id, input: { applyApproval: 3 } })).toMatchObject({ __typename: 'errors' });
    expect(await groups.mutate(owner, SETTINGS, { g: id, input: { readAck: true, historyVisible: true, memberInvite: false, applyApproval: 'ACCEPT_ALL' } })).toEqual({
      __typename: 'UpdateGroupSettingsPayload',
      group: { memberInvite: false, memberModify: false, historyVisible: true, readAck: true, applyApproval: 'ACCEPT_ALL' },
    });
  });
});

describe('applying', () => {
  const APPLY = `mutation($g: ID!, $r: String) { applyToGroup(groupId: $g, reason: $r) { __typename ... on ApplyToGroupPayload { application { applicantId status reason expired } } ... on Error { code } } }`;
  const ANSWER = `mutation($g: ID!, $u: ID!, $a: Boolean!) { answerGroupApplication(groupId: $g, applicantId: $u, accept: $a) { __typename ... on AnswerGroupApplicationPayload { application { status } } ... on Error { code } } }`;

  it('follows apply_approval: 0 joins at once, 1 waits for an admin (who is told), 2 refuses; private groups refuse', async () => {
    const [owner, a, b, c] = await users(4);
    const open = await groups.group(owner, [], { type: 'PUBLIC', applyApproval: 'ACCEPT_ALL' });
    const moderated = await groups.group(owner, [], { type: 'CHATROOM' });
    const closed = await groups.group(owner, [], { type: 'PUBLIC', applyApproval: 'REFUSE_ALL' });
    const secret = await groups.group(owner, [], { type: 'PRIVATE', applyApproval: 'ACCEPT_ALL' });
    expect(await groups.mutate(a, APPLY, { g: open })).toMatchObject({ application: { status: 'ACCEPTED' } });
    expect(await groups.memberIds(owner, open)).toContain(a.id);
    expect(await groups.mutate(a, APPLY, { g: closed })).toMatchObject({ code: 'APPLICATIONS_REFUSED' });
    expect(await groups.mutate(a, APPLY, { g: secret })).toMatchObject({ code: 'APPLICATIONS_REFUSED' });
    expect(await groups.mutate(a, APPLY, { g: open })).toMatchObject({ code: 'ALREADY_GROUP_MEMBER' });

    const live = await groups.listen(owner);
    expect(await groups.mutate(b, APPLY, { g: moderated, r: 'let me in' })).toMatchObject({ application: { status: 'PENDING', reason: 'let me in', expired: false } });
    expect(await live.next()).toEqual({ __typename: 'GroupApplicationEvent', groupId: moderated, applicantId: b.id, status: 'PENDING', reason: 'let me in' });
    expect(await groups.mutate(c, APPLY, { g: moderated })).toMatchObject({ application: { status: 'PENDING' } });
    expect(await live.next()).toMatchObject({ applicantId: c.id });
    await live.close();
    expect(await groups.memberIds(owner, moderated)).toEqual([owner.id]);

    expect(await groups.mutate(a, ANSWER, { g: moderated, u: b.id, a: true })).toMatchObject({ code: 'NEEDS_GROUP_MEMBER' });
    expect(await groups.mutate(owner, ANSWER, { g: moderated, u: b.id, a: true })).toMatchObject({ application: { status: 'ACCEPTED' } });
    expect(await groups.mutate(owner, ANSWER, { g: moderated, u: c.id, a: false })).toMatchObject({ application: { status: 'DECLINED' } });
    expect(await groups.mutate(owner, ANSWER, { g: moderated, u: c.id, a: true })).toMatchObject({ code: 'APPLICATION_CLOSED' });
    expect(await groups.mutate(owner, ANSWER, { g: moderated, u: a.id, a: true })).toMatchObject({ code: 'APPLICATION_CLOSED' });
    expect(await groups.memberIds(owner, moderated)).toEqual([owner.id, b.id]);
  });

  it('admins list applications newest first with a total and cursor paging', async () => {
    const [owner, member, ...applicants] = await users(5);
    const g1 = await groups.group(owner, [member], { type: 'PUBLIC' });
    const g2 = await groups.group(owner, [], { type: 'PUBLIC' });
    for (const a of applicants) await groups.mutate(a, APPLY, { g: g1 });
    await groups.mutate(applicants[0]!, APPLY, { g: g2 });
    const LIST = `query($ids: [ID!], $first: Int, $after: String) { groupApplications(groupIds: $ids, first: $first, after: $after) {
      totalCount edges { node { groupId applicantId status } } pageInfo { hasNextPage endCursor } } }`;
    const page1 = (await groups.op(owner, LIST, { ids: [g1], first: 2 })).data.groupApplications;
    expect(page1.totalCount).toBe(3);
    expect(page1.edges.map((e: any) => e.node.applicantId)).toEqual([applicants[2]!.id, applicants[1]!.id]);
    const page2 = (await groups.op(owner, LIST, { ids: [g1], first: 2, after: page1.pageInfo.endCursor })).data.groupApplications;
    expect(page2.edges.map((e: any) => e.node.applicantId)).toEqual([applicants[0]!.id]);
    expect(page2.pageInfo.hasNextPage).toBe(false);
    const everything = (await groups.op(owner, LIST, {})).data.groupApplications;
    expect(everything.totalCount).toBe(4);
    const asMember = await groups.op(member, LIST, { ids: [g1] });
    expect(asMember.errors![0]!.extensions!.code).toBe('NEEDS_GROUP_ADMIN');
    expect((await groups.op(member, LIST, {})).data.groupApplications.totalCount).toBe(0);
  });
});

describe('inviting', () => {
  const ANSWER = `mutation($g: ID!, $a: Boolean!) { answerGroupInvitation(groupId: $g, accept: $a) { __typename ... on AnswerGroupInvitationPayload { invitation { status inviterId } } ... on Error { code } } }`;
  const LIST = `query($first: Int, $after: String) { groupInvitations(first: $first, after: $after) { totalCount edges { node { groupId inviterId status expired } } pageInfo { hasNextPage endCursor } } }`;

  it('members invite while member_invite is on, admins always; each invitee joins or is invited by their setting', async () => {
    const [owner, member, plain] = await users(3);
    const confirmer = await user({ confirm: true });
    const id = await groups.group(owner, [member]);
    const live = await groups.listen(confirmer);
    const res = await groups.batch(member, 'inviteGroupMembers', id, [plain.id, confirmer.id, member.id], ', reason: $r', { r: 'join us' });
    expect(res.outcomes.map((r: any) => [r.id, r.outcome, r.code])).toEqual([
      [plain.id, 'JOINED', null],
      [confirmer.id, 'INVITED', null],
      [member.id, 'FAILED', 'ALREADY_GROUP_MEMBER'],
    ]);
    expect(await live.next()).toEqual({ __typename: 'GroupInvitationEvent', groupId: id, inviteeId: confirmer.id, inviterId: member.id, status: 'PENDING' });
    await live.close();
    await server.gql(`mutation($g: ID!) { updateGroupSettings(groupId: $g, input: { memberInvite: false }) { __typename } }`, { g: id }, { token: owner.token });
    expect(await groups.batch(member, 'inviteGroupMembers', id, [confirmer.id])).toMatchObject({ code: 'NEEDS_GROUP_ADMIN' });
    expect(await groups.batch(confirmer, 'inviteGroupMembers', id, [plain.id])).toMatchObject({ code: 'NEEDS_GROUP_MEMBER' });
  });

  it('the invitee accepts or declines once; the inviter is told; the invitations list pages with a total', async () => {
    const owner = await user();
    const invitee = await user({ confirm: true });
    const g1 = await groups.group(owner);
    const g2 = await groups.group(owner);
    await groups.batch(owner, 'inviteGroupMembers', g1, [invitee.id]);
    await groups.batch(owner, 'inviteGroupMembers', g2, [invitee.id]);
    const page = (await groups.op(invitee, LIST, { first: 1 })).data.groupInvitations;
    expect(page.totalCount).toBe(2);
    expect(page.edges).toEqual([{ node: { groupId: g2, inviterId: owner.id, status: 'PENDING', expired: false } }]);
    const next = (await groups.op(invitee, LIST, { first: 1, after: page.pageInfo.endCursor })).data.groupInvitations;
    expect(next.edges[0].node.groupId).toBe(g1);

    const live = await groups.listen(owner);
    expect(await groups.mutate(invitee, ANSWER, { g: g1, a: true })).toEqual({ __typename: 'AnswerGroupInvitationPayload', invitation: { status: 'ACCEPTED', inviterId: owner.id } });
    expect(await live.next()).toMatchObject({ __typename: 'GroupMembersJoinedEvent', groupId: g1, userIds: [invitee.id] });
    expect(await live.next()).toMatchObject({ __typename: 'GroupInvitationEvent', groupId: g1, status: 'ACCEPTED' });
    await live.close();
    expect(await groups.mutate(invitee, ANSWER, { g: g2, a: false })).toMatchObject({ invitation: { status: 'DECLINED' } });
    expect(await groups.mutate(invitee, ANSWER, { g: g2, a: true })).toMatchObject({ code: 'INVITATION_CLOSED' });
    expect(await groups.mutate(owner, ANSWER, { g: g2, a: true })).toMatchObject({ code: 'INVITATION_CLOSED' });
    expect(await groups.memberIds(owner, g1)).toEqual([owner.id, invitee.id]);
    expect(await groups.memberIds(owner, g2)).toEqual([owner.id]);
  });
});

describe('moderation', () => {
  it('bans members for minutes (only admins may), lists current bans, and expired bans stop applying by themselves', async () => {
    const [owner, admin, m1, m2] = await users(4);
    const id = await groups.group(owner, [admin, m1, m2]);
    await groups.batch(owner, 'addGroupAdmins', id, [admin.id]);
    expect(await groups.batch(m1, 'banGroupMembers', id, [m2.id], ', minutes: $m', { m: 10 })).toMatchObject({ code: 'NEEDS_GROUP_ADMIN' });
    expect(await groups.batch(admin, 'banGroupMembers', id, [m1.id], ', minutes: $m', { m: 0 })).toMatchObject({ code: 'INVALID_INPUT', field: 'minutes' });
    const live = await groups.listen(m2);
    const banned = await groups.batch(admin, 'banGroupMembers', id, [m1.id, m2.id, owner.id], ', minutes: $m', { m: 10 });
    expect(banned.outcomes.map((r: any) => r.outcome)).toEqual(['SUCCESS', 'SUCCESS', 'FAILED']);
    const event = await live.next();
    expect(event).toMatchObject({ __typename: 'GroupMembersBannedEvent', userIds: [m1.id, m2.id] });
    expect(event.until).toBeGreaterThan(Date.now() + 9 * 60_000);
    await live.close();
    expect(await groups.info(m1, id)).toMatchObject({ viewerCanSend: false });
    expect((await groups.info(admin, id)).viewerCanSend).toBe(true);

    const LIST = `query($id: ID!) { group(id: $id) { bannedMembers { totalCount edges { node { userId bannedUntil } } } } }`;
    expect((await groups.op(m1, LIST, { id })).errors![0]!.extensions!.code).toBe('NEEDS_GROUP_ADMIN');
    const list = (await groups.op(admin, LIST, { id })).data.group.bannedMembers;
    expect(list.totalCount).toBe(2);
    expect(list.edges.map((e: any) => e.node.userId)).toEqual([m1.id, m2.id]);

    // m1's ban runs out (moved into the past): nobody lifts it, it simply stops counting.
    await server.running.database.db.execute(sql`update group_members set banned_until = now() - interval '1 second' where user_id = ${Number(m1.id)}`);
    expect((await groups.info(m1, id)).viewerCanSend).toBe(true);
    expect((await groups.info(m1, id)).viewerMembership.bannedUntil).toBeNull();
    expect((await groups.op(admin, LIST, { id })).data.group.bannedMembers.totalCount).toBe(1);

    expect(ids((await groups.batch(admin, 'unbanGroupMembers', id, [m2.id])).outcomes)).toEqual([[m2.id, 'SUCCESS']]);
    expect((await groups.info(m2, id)).viewerCanSend).toBe(true);
  });

  it('bans everyone but admins, for minutes or until lifted', async () => {
    const [owner, member] = await users(2);
    const id = await groups.group(owner, [member]);
    const BAN_ALL = `mutation($g: ID!, $m: Int) { banAllGroupMembers(groupId: $g, minutes: $m) { __typename ... on BanAllGroupMembersPayload { group { banAll banAllUntil } } ... on Error { code } ... on InvalidInputError { field } } }`;
    const UNBAN_ALL = `mutation($g: ID!) { unbanAllGroupMembers(groupId: $g) { __typename ... on UnbanAllGroupMembersPayload { group { banAll } } ... on Error { code } } }`;
    expect(await groups.mutate(member, BAN_ALL, { g: id })).toMatchObject({ code: 'NEEDS_GROUP_ADMIN' });
    expect(await groups.mutate(owner, BAN_ALL, { g: id })).toEqual({ __typename: 'BanAllGroupMembersPayload', group: { banAll: true, banAllUntil: null } });
    expect((await groups.info(member, id)).viewerCanSend).toBe(false);
    expect((await groups.info(owner, id)).viewerCanSend).toBe(true);
    const timed = await groups.mutate(owner, BAN_ALL, { g: id, m: 30 });
    expect(timed.group.banAllUntil).toBeGreaterThan(Date.now() + 29 * 60_000);
    expect(await groups.mutate(owner, BAN_ALL, { g: id, m: -5 })).toMatchObject({ code: 'INVALID_INPUT', field: 'minutes' });
    expect(await groups.mutate(member, UNBAN_ALL, { g: id })).toMatchObject({ code: 'NEEDS_GROUP_ADMIN' });
    expect(await groups.mutate(owner, UNBAN_ALL, { g: id })).toEqual({ __typename: 'UnbanAllGroupMembersPayload', group: { banAll: false } });
    expect((await groups.info(member, id)).viewerCanSend).toBe(true);
  });

  it('blocks: a blocked member is removed and cannot come back by applying, invitation or QR code until unblocked', async () => {
    const [owner, member, stranger] = await users(3);
    const id = await groups.group(owner, [member], { type: 'PUBLIC', applyApproval: 'ACCEPT_ALL' });
    const live = await groups.listen(member);
    const res = await groups.batch(owner, 'blockGroupUsers', id, [member.id, stranger.id, '999999999999']);
    expect(res.outcomes.map((r: any) => [r.outcome, r.code])).toEqual([
      ['SUCCESS', null],
      ['SUCCESS', null],
      ['FAILED', 'USER_NOT_FOUND'],
    ]);
    expect(await live.next()).toEqual({ __typename: 'GroupMembersRemovedEvent', groupId: id, userIds: [member.id], cause: 'BLOCKED' });
    await live.close();
    const apply = `mutation($g: ID!) { applyToGroup(groupId: $g) { __typename ... on Error { code } } }`;
    expect(await groups.mutate(member, apply, { g: id })).toMatchObject({ code: 'BLOCKED_FROM_GROUP' });
    const invited = await groups.batch(owner, 'inviteGroupMembers', id, [stranger.id]);
    expect(invited.outcomes[0]).toMatchObject({ outcome: 'FAILED', code: 'BLOCKED_FROM_GROUP' });
    const LIST = `query($id: ID!) { group(id: $id) { blockedUsers { totalCount edges { node { userId } } } } }`;
    expect((await groups.op(owner, LIST, { id })).data.group.blockedUsers.totalCount).toBe(2);
    await groups.batch(owner, 'unblockGroupUsers', id, [member.id]);
    expect(await groups.mutate(member, apply, { g: id })).toMatchObject({ __typename: 'ApplyToGroupPayload' });
    expect((await groups.op(owner, LIST, { id })).data.group.blockedUsers.edges).toEqual([{ node: { userId: stranger.id } }]);
  });
});

describe('announcements', () => {
  it('admins publish, edit and delete; members read the list, the last one and one by id, and hear of new ones', async () => {
    const [owner, member, outsider] = await users(3);
    const id = await groups.group(owner, [member]);
    const PUBLISH = `mutation($g: ID!, $t: String, $c: String!) { publishGroupAnnouncement(groupId: $g, title: $t, content: $c) { __typename ... on PublishGroupAnnouncementPayload { announcement { id title content authorId } } ... on Error { code } ... on InvalidInputError { field } } }`;
    expect(await groups.mutate(member, PUBLISH, { g: id, t: 'x', c: 'y' })).toMatchObject({ code: 'NEEDS_GROUP_ADMIN' });
    expect(await groups.mutate(owner, PUBLISH, { g: id, c: '' })).toMatchObject({ code: 'INVALID_INPUT', field: 'content' });
    const live = await groups.listen(member);
    const { announcement: first } = await groups.mutate(owner, PUBLISH, { g: id, t: 'Hello', c: 'first' });
    expect(first).toMatchObject({ title: 'Hello', content: 'first', authorId: owner.id });
    expect(await live.next()).toEqual({ __typename: 'GroupAnnouncementPublishedEvent', groupId: id, announcement: { title: 'Hello' } });
    await live.close();
    const { announcement: second } = await groups.mutate(owner, PUBLISH, { g: id, t: 'Again', c: 'second' });
    const edit = await groups.mutate(owner, `mutation($g: ID!, $i: ID!) { editGroupAnnouncement(groupId: $g, id: $i, content: "edited") { __typename ... on EditGroupAnnouncementPayload { announcement { title content } } } }`, { g: id, i: first.id });
    expect(edit).toEqual({ __typename: 'EditGroupAnnouncementPayload', announcement: { title: 'Hello', content: 'edited' } });
    const READ = `query($id: ID!, $a: ID!) { group(id: $id) { announcements { edges { node { id } } } lastAnnouncement { id } announcement(id: $a) { content } } }`;
    expect((await groups.op(member, READ, { id, a: first.id })).data.group).toEqual({
      announcements: { edges: [{ node: { id: second.id } }, { node: { id: first.id } }] },
      lastAnnouncement: { id: second.id },
      announcement: { content: 'edited' },
    });
    const DELETE = `mutation($g: ID!, $i: ID!) { deleteGroupAnnouncement(groupId: $g, id: $i) { __typename ... on DeleteGroupAnnouncementPayload { announcementId } ... on Error { code } } }`;
    expect(await groups.mutate(member, DELETE, { g: id, i: second.id })).toMatchObject({ code: 'NEEDS_GROUP_ADMIN' });
    expect(await groups.mutate(owner, DELETE, { g: id, i: second.id })).toEqual({ __typename: 'DeleteGroupAnnouncementPayload', announcementId: second.id });
    expect(await groups.mutate(owner, DELETE, { g: id, i: second.id })).toMatchObject({ code: 'ANNOUNCEMENT_NOT_FOUND' });
    // A deleted (or unknown) announcement reads as null; a non-member still gets the group's error.
    expect((await groups.op(member, READ, { id, a: second.id })).data.group.announcement).toBeNull();
    expect((await groups.op(outsider, READ, { id, a: first.id })).errors![0]!.extensions!.code).toBe('NEEDS_GROUP_MEMBER');
  });
});

describe('shared files', () => {
  const ADD = `mutation($g: ID!, $input: AddGroupFileInput!) { addGroupFile(groupId: $g, input: $input) { __typename ... on AddGroupFilePayload { file { id name size type url uploaderId } } ... on Error { code } ... on InvalidInputError { field } } }`;
  const RENAME = `mutation($g: ID!, $f: ID!, $n: String!) { renameGroupFile(groupId: $g, fileId: $f, name: $n) { __typename ... on RenameGroupFilePayload { file { name } } ... on Error { code } } }`;

  it('members register files; the uploader or admins rename and delete them, others get NOT_FILE_OWNER', async () => {
    const [owner, uploader, other, outsider] = await users(4);
    const id = await groups.group(owner, [uploader, other]);
    const file = { name: 'plan.txt', url: await sharedFileUrl(server, uploader.token, id, 'the plan\n') };
    expect(await groups.mutate(outsider, ADD, { g: id, input: file })).toMatchObject({ code: 'NEEDS_GROUP_MEMBER' });
    expect(await groups.mutate(uploader, ADD, { g: id, input: { ...file, url: 'https://cdn/plan.pdf' } })).toMatchObject({
      code: 'FILE_REFERENCE_INVALID',
      field: 'url',
    });
    const { file: a } = await groups.mutate(uploader, ADD, { g: id, input: file });
    expect(a).toMatchObject({ name: 'plan.txt', size: 9, type: 'text/plain', uploaderId: uploader.id });
    const { file: b } = await groups.mutate(uploader, ADD, { g: id, input: { ...file, name: 'b.txt' } });
    expect(await groups.mutate(other, RENAME, { g: id, f: a.id, n: 'mine' })).toMatchObject({ code: 'NOT_FILE_OWNER' });
    expect(await groups.mutate(uploader, RENAME, { g: id, f: a.id, n: 'plan-v2.pdf' })).toMatchObject({ file: { name: 'plan-v2.pdf' } });
    expect(await groups.mutate(owner, RENAME, { g: id, f: a.id, n: 'final.pdf' })).toMatchObject({ file: { name: 'final.pdf' } });
    expect(await groups.mutate(owner, RENAME, { g: id, f: '999999', n: 'x' })).toMatchObject({ code: 'GROUP_FILE_NOT_FOUND' });
    const list = await groups.op(other, `query($id: ID!, $f: ID!) { group(id: $id) { files { totalCount edges { node { id name } } } file(id: $f) { name } } }`, { id, f: a.id });
    expect(list.data.group).toEqual({ files: { totalCount: 2, edges: [{ node: { id: b.id, name: 'b.txt' } }, { node: { id: a.id, name: 'final.pdf' } }] }, file: { name: 'final.pdf' } });
    const gone = await groups.op(other, `query($id: ID!) { group(id: $id) { file(id: "999999") { name } } }`, { id });
    expect(gone.data.group.file).toBeNull();
    const DELETE = `mutation($g: ID!, $f: [ID!]!) { deleteGroupFiles(groupId: $g, fileIds: $f) { __typename ... on DeleteGroupFilesPayload { outcomes { id outcome code } } ... on Error { code } } }`;
    const deleted = await groups.mutate(other, DELETE, { g: id, f: [a.id, b.id, '999999'] });
    expect(deleted.outcomes.map((r: any) => r.code)).toEqual(['NOT_FILE_OWNER', 'NOT_FILE_OWNER', 'GROUP_FILE_NOT_FOUND']);
    expect((await groups.mutate(uploader, DELETE, { g: id, f: [a.id, b.id] })).outcomes.map((r: any) => r.outcome)).toEqual(['SUCCESS', 'SUCCESS']);
  });
});

describe('QR codes', () => {
  const SIGN = `mutation($g: ID!) { createGroupQrCode(groupId: $g) { __typename ... on CreateGroupQrCodePayload { qrCode { qrInfo createdAt expiresAt } } ... on Error { code } } }`;
  const JOIN = `mutation($q: String!) { joinGroupByQrCode(qrInfo: $q) { __typename ... on JoinGroupByQrCodePayload { group { id memberCount } } ... on Error { code } ... on InvalidInputError { field } } }`;

  it('a signed code lets whoever scans it join; forged or foreign codes are refused', async () => {
    const [owner, member, scanner, late] = await users(4);
    const id = await groups.group(owner, [member]);
    const { qrCode: code } = await groups.mutate(member, SIGN, { g: id });
    expect(code.expiresAt - code.createdAt).toBe(7 * 24 * 3600 * 1000);
    expect(await groups.mutate(scanner, JOIN, { q: code.qrInfo })).toEqual({ __typename: 'JoinGroupByQrCodePayload', group: { id, memberCount: 3 } });
    expect(await groups.mutate(scanner, JOIN, { q: code.qrInfo })).toMatchObject({ code: 'ALREADY_GROUP_MEMBER' });

    const [body, signature] = code.qrInfo.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), g: Number(id) + 1 })).toString('base64url');
    expect(await groups.mutate(late, JOIN, { q: `${forged}.${signature}` })).toMatchObject({ code: 'QR_CODE_INVALID', field: 'qrInfo' });
    expect(await groups.mutate(late, JOIN, { q: 'garbage' })).toMatchObject({ code: 'QR_CODE_INVALID' });
    const other = await server.createApp('qrother');
    const foreigner = await server.user('qrforeigner', { appId: other.appId });
    expect(await groups.mutate(foreigner, JOIN, { q: code.qrInfo })).toMatchObject({ code: 'QR_CODE_INVALID' });

    // A code stops working when its signer can no longer invite.
    await server.gql(`mutation($g: ID!) { updateGroupSettings(groupId: $g, input: { memberInvite: false }) { __typename } }`, { g: id }, { token: owner.token });
    expect(await groups.mutate(member, SIGN, { g: id })).toMatchObject({ code: 'NEEDS_GROUP_ADMIN' });
    expect(await groups.mutate(late, JOIN, { q: code.qrInfo })).toMatchObject({ code: 'QR_CODE_INVALID' });
  });
});

describe('live events', () => {
  it('members hear joins, kicks, leaves and role changes', async () => {
    const [owner, listener, a, b] = await users(4);
    const id = await groups.group(owner, [listener]);
    const live = await groups.listen(listener);
    await groups.batch(owner, 'inviteGroupMembers', id, [a.id, b.id]);
    expect(await live.next()).toEqual({ __typename: 'GroupMembersJoinedEvent', groupId: id, userIds: [a.id, b.id] });
    await groups.batch(owner, 'addGroupAdmins', id, [a.id]);
    expect(await live.next()).toEqual({ __typename: 'GroupRolesChangedEvent', groupId: id, changes: [{ userId: a.id, role: 'ADMIN' }] });
    await groups.batch(a, 'kickGroupMembers', id, [b.id]);
    expect(await live.next()).toEqual({ __typename: 'GroupMembersRemovedEvent', groupId: id, userIds: [b.id], cause: 'KICKED' });
    await groups.mutate(a, `mutation($g: ID!) { leaveGroup(groupId: $g) { __typename } }`, { g: id });
    expect(await live.next()).toEqual({ __typename: 'GroupMembersRemovedEvent', groupId: id, userIds: [a.id], cause: 'LEFT' });
    await groups.mutate(owner, `mutation($g: ID!, $u: ID!) { transferGroupOwnership(groupId: $g, newOwnerId: $u) { __typename } }`, { g: id, u: listener.id });
    expect(await live.next()).toEqual({
      __typename: 'GroupRolesChangedEvent',
      groupId: id,
      changes: [
        { userId: listener.id, role: 'OWNER' },
        { userId: owner.id, role: 'MEMBER' },
      ],
    });
    await live.close();
  });

  it('the kicked hear it too; outsiders hear nothing of a group', async () => {
    const [owner, kicked, outsider] = await users(3);
    const id = await groups.group(owner, [kicked]);
    const kickedLive = await groups.listen(kicked);
    const outsiderLive = await groups.listen(outsider);
    await groups.batch(owner, 'kickGroupMembers', id, [kicked.id]);
    expect(await kickedLive.next()).toMatchObject({ __typename: 'GroupMembersRemovedEvent', userIds: [kicked.id], cause: 'KICKED' });
    // The outsider's next event is of their own group, not of the one above.
    const own = await groups.group(outsider);
    expect(await outsiderLive.next()).toMatchObject({ __typename: 'GroupMembersJoinedEvent', groupId: own });
    await kickedLive.close();
    await outsiderLive.close();
  });
});

describe('an admin token acting as a group admin', () => {
  it('with X-Act-As-Group-Admin it does what admins do in that group only, and not what needs the owner', async () => {
    const [owner, member] = await users(2);
    const id = await groups.group(owner, [member]);
    const elsewhere = await groups.group(owner);
    const admin = await server.adminToken();
    const asGroupAdmin = { token: admin, headers: { 'x-act-as-group-admin': id } };
    expect(ids((await groups.batch(asGroupAdmin, 'banGroupMembers', id, [member.id], ', minutes: $m', { m: 5 })).outcomes)).toEqual([[member.id, 'SUCCESS']]);
    expect((await groups.members(asGroupAdmin, id)).totalCount).toBe(2);
    expect(await groups.batch(asGroupAdmin, 'kickGroupMembers', elsewhere, [owner.id])).toMatchObject({ code: 'FORBIDDEN' });
    expect(await groups.batch(asGroupAdmin, 'addGroupAdmins', id, [member.id])).toMatchObject({ code: 'NEEDS_GROUP_OWNER' });
    const published = await groups.mutate(asGroupAdmin, `mutation($g: ID!) { publishGroupAnnouncement(groupId: $g, content: "from the app") { ... on PublishGroupAnnouncementPayload { announcement { authorId } } } }`, { g: id });
    expect(published).toEqual({ announcement: { authorId: null } });
    const bad = await groups.op({ token: admin, headers: { 'x-act-as-group-admin': 'abc' } }, `query($id: ID!) { group(id: $id) { id } }`, { id });
    expect(bad.errors![0]!.extensions).toMatchObject({ code: 'INVALID_INPUT', field: 'group_id' });
  });
});

describe('the group view', () => {
  it('exposes every documented field', async () => {
    const owner = await user();
    const id = await groups.group(owner);
    const info = await groups.info(owner, id);
    for (const field of GROUP_FIELDS.split(/\s+/).filter((f) => /^\w+$/.test(f) && !['role', 'displayName', 'msgMuteMode', 'msgPushMode', 'bannedUntil'].includes(f))) {
      expect(info).toHaveProperty(field);
    }
  });
});

describe('limits, expiry and restarts', () => {
  // Long enough for any machine between signing and scanning; expiry is reached by moving the clock.
  const QR_TTL_SECONDS = 600;
  let limited: TestServer;
  let small: GroupClient;
  let m = 0;
  beforeAll(async () => {
    limited = await TestServer.start({
      env: { GROUP_CAPACITY: '3', GROUP_OWNED_LIMIT: '1', GROUP_JOINED_LIMIT: '2', GROUP_ADMIN_LIMIT: '1', GROUP_QR_TTL_SECONDS: String(QR_TTL_SECONDS) },
    });
    small = new GroupClient(limited);
  });
  afterAll(() => limited.close());
  const limitedUser = () => limited.user(`lim${++m}`);
  const SIGN = `mutation($g: ID!) { createGroupQrCode(groupId: $g) { ... on CreateGroupQrCodePayload { qrCode { qrInfo } } } }`;
  const JOIN = `mutation($q: String!) { joinGroupByQrCode(qrInfo: $q) { __typename ... on Error { code } } }`;

  it('holds capacity when many join at once: the group row lock lets exactly the free places in', async () => {
    const owner = await limitedUser();
    const id = await small.group(owner);
    const scanners = await Promise.all([1, 2, 3, 4, 5].map(() => limitedUser()));
    const qrInfo = (await small.mutate(owner, SIGN, { g: id })).qrCode.qrInfo;
    const answers = await Promise.all(scanners.map((s) => small.mutate(s, JOIN, { q: qrInfo })));
    const outcomes = answers.map((a) => a.code ?? a.__typename).sort();
    expect(outcomes).toEqual(['GROUP_FULL', 'GROUP_FULL', 'GROUP_FULL', 'JoinGroupByQrCodePayload', 'JoinGroupByQrCodePayload']);
    expect((await small.info(owner, id)).memberCount).toBe(3);
    expect(await small.memberIds(owner, id)).toHaveLength(3);
  });

  it('refuses a second owned group, a third joined group and a second admin', async () => {
    const [owner, a, b, other] = [await limitedUser(), await limitedUser(), await limitedUser(), await limitedUser()];
    const id = await small.group(owner, [a, b]);
    expect(await small.create(owner, { name: 'two' })).toMatchObject({ code: 'OWNED_GROUPS_QUOTA' });
    const added = await small.batch(owner, 'addGroupAdmins', id, [a.id, b.id]);
    expect(added.outcomes.map((r: any) => r.code)).toEqual([null, 'GROUP_ADMINS_QUOTA']);
    const second = await small.create(other, { name: 'x', memberIds: [a.id] });
    expect(second.invitees).toEqual([{ id: a.id, outcome: 'JOINED', code: null, reason: null }]);
    const third = await small.create(b, { name: 'y' });
    expect(third.__typename).toBe('CreateGroupPayload');
    expect((await small.batch(b, 'inviteGroupMembers', third.group.id, [a.id])).outcomes[0]).toMatchObject({ outcome: 'FAILED', code: 'JOINED_GROUPS_QUOTA' });
    // Transfers respect the owned quota too: b owns a group already.
    const transfer = `mutation($g: ID!, $u: ID!) { transferGroupOwnership(groupId: $g, newOwnerId: $u) { __typename ... on Error { code } } }`;
    expect(await small.mutate(owner, transfer, { g: id, u: b.id })).toMatchObject({ code: 'OWNED_GROUPS_QUOTA' });
  });

  it('refuses an expired QR code, and keeps its signing key across restarts', { timeout: 90_000 }, async () => {
    const owner = await limitedUser();
    const id = await small.group(owner);
    const qrInfo = (await small.mutate(owner, SIGN, { g: id })).qrCode.qrInfo;
    const scanner = await limitedUser();
    // Within its life the code is good (the owner is a member already: that is the answer)...
    expect((await small.mutate(owner, JOIN, { q: qrInfo })).code).not.toBe('QR_CODE_EXPIRED');
    // ...a minute before its end too; a second past it, expired, for anyone.
    expect((await later((QR_TTL_SECONDS - 60) * 1000, () => small.mutate(owner, JOIN, { q: qrInfo }))).code).not.toBe('QR_CODE_EXPIRED');
    expect(await later((QR_TTL_SECONDS + 1) * 1000, () => small.mutate(scanner, JOIN, { q: qrInfo }))).toEqual({ __typename: 'InvalidInputError', code: 'QR_CODE_EXPIRED' });
    expect(await later((QR_TTL_SECONDS + 1) * 1000, () => small.mutate(owner, JOIN, { q: qrInfo }))).toMatchObject({ code: 'QR_CODE_EXPIRED' });
    expect(await small.memberIds(owner, id)).not.toContain(scanner.id);

    const restartable = await TestServer.start();
    const first = new GroupClient(restartable);
    const signer = await restartable.user('signer');
    const joiner = await restartable.user('joiner');
    const group = await first.group(signer);
    const code = (await first.mutate(signer, SIGN, { g: group })).qrCode.qrInfo;
    await restartable.running.close();
    // The same database served by a new process: the code it signed before still works.
    const again = await TestServer.start({ database: restartable.database });
    try {
      expect(await new GroupClient(again).mutate(joiner, JOIN, { q: code })).toEqual({ __typename: 'JoinGroupByQrCodePayload' });
    } finally {
      await again.close();
      await restartable.database.drop();
    }
  });
});
