// The client's state and everything that changes it: server events, history pages, sends.
// Components read it through `useStore()` and call its actions; nothing else talks to the API.
import type { Subscription } from 'wonka';
import { pipe, subscribe } from 'wonka';
import { connect, NetworkError, run, type Api, type LinkState } from './api.js';
import {
  AnswerFriendRequestDocument,
  AnswerGroupInvitationDocument,
  ApplyFriendDocument,
  ConversationsDocument,
  CreateGroupDocument,
  CreateUploadSlotDocument,
  EventsDocument,
  FindUserDocument,
  FriendRequestsDocument,
  GroupInvitationsDocument,
  GroupMembersDocument,
  HistoryDocument,
  InviteGroupMembersDocument,
  JoinedGroupsDocument,
  MarkReadDocument,
  SendMessageDocument,
  SendTypingDocument,
  SignOutDocument,
  type ChatConversationFragment,
  type ChatGroupInvitationFragment,
  type ChatGroupFragment,
  type ChatMessageFragment,
  type ContentType,
  type ConversationInput,
  type EventsSubscription,
  type FriendRequestsQuery,
  type GroupMembersQuery,
  type PersonFragment,
  type TargetKind,
} from './graphql/generated.js';

export type Message = ChatMessageFragment;
export type Person = PersonFragment;
export type FriendRequest = FriendRequestsQuery['friendRequests']['edges'][number]['node'];
export type GroupDetails = GroupMembersQuery['group'];
/** A pending invitation to a group (for users whose groupConfirm setting asks them first). */
export type GroupInvitation = Pick<ChatGroupInvitationFragment, 'groupId' | 'group' | 'inviter'>;

export interface Session {
  appId: string;
  token: string;
  userId: string;
  deviceSn: number | null;
  username: string;
}

/** A send not yet confirmed by the server; retried with the same transactionId until it is. */
export interface PendingSend {
  transactionId: string;
  contentType: ContentType;
  content: string;
  file?: File;
  previewUrl?: string;
  failed?: string;
}

export interface Conversation {
  key: string;
  kind: TargetKind;
  id: string;
  title: string;
  lastMessage: Message | null;
  lastSeq: number;
  readSeq: number;
  unreadCount: number;
  /** 1:1: the other user has read the viewer's messages up to this seq. */
  peerReadSeq: number;
  /** Loaded history, ascending by seq, each message once. */
  messages: Message[];
  loaded: boolean;
  olderCursor: string | null;
  loadingOlder: boolean;
  pending: PendingSend[];
  /** Who is typing, by user id: their name and until when (ms). */
  typing: Map<string, { name: string; until: number }>;
}

const PAGE = 30;
const TYPING_SHOWN_MS = 5_000;
const TYPING_SENT_EVERY_MS = 3_000;
const SESSION_KEY = 'im.session';

export const keyOf = (kind: TargetKind, id: string) => `${kind}:${id}`;
export const nameOf = (p: Person | null | undefined) => (p ? p.nickName || p.username : 'someone');

export class Store {
  session: Session | null = loadSession();
  link: LinkState = 'connecting';
  conversations = new Map<string, Conversation>();
  groups = new Map<string, ChatGroupFragment>();
  requests: FriendRequest[] = [];
  invitations: GroupInvitation[] = [];
  openKey: string | null = null;
  /** A short message for the status line (errors of actions). */
  notice = '';
  version = 0;

  private api: Api | null = null;
  private cursor: string | null = null;
  private events: Subscription | null = null;
  private restarts = 0;
  private listeners = new Set<() => void>();
  private typingSentAt = new Map<string, number>();
  private typingTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    if (this.session) this.start();
  }

  subscribe(listener: () => void) {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  private changed() {
    this.version++;
    this.listeners.forEach((l) => l());
  }

  // Session.

  signedIn(session: Session) {
    localStorage.setItem(SESSION_KEY, JSON.stringify(session));
    this.session = session;
    this.start();
    this.changed();
  }

  /** Ends the session on the server too (every transport of this device closes), then locally. */
  async signOutEverywhere() {
    await run(this.client, 'mutation', SignOutDocument, {}).catch(() => {});
    this.signOut();
  }

  signOut(reason = '') {
    localStorage.removeItem(SESSION_KEY);
    this.stop();
    this.session = null;
    this.conversations.clear();
    this.groups.clear();
    this.requests = [];
    this.invitations = [];
    this.openKey = null;
    this.cursor = null;
    this.notice = reason;
    this.changed();
  }

  private start() {
    this.api = connect(this.session!.token);
    this.api.onLink((state, reason) => {
      if (state === 'signed-out') return this.signOut(`Your session ended${reason ? ` (${reason.replace(/^Forbidden: /, '')})` : ''}. Sign in again.`);
      this.link = state;
      if (state === 'online') this.listen();
      else this.stopListening();
      this.changed();
    });
  }

  private stop() {
    this.stopListening();
    this.api?.dispose();
    this.api = null;
  }

  private get client() {
    if (!this.api) throw new Error('not signed in');
    return this.api.client;
  }

  // Live events. Every (re)connection subscribes again from the latest cursor: the server first
  // replays what was missed (in order, once), then streams live. Messages are kept by id, so a
  // message seen twice across the seam is shown once.

  private listen() {
    this.stopListening();
    this.events = pipe(
      this.client.subscription(EventsDocument, { since: this.cursor }),
      subscribe((result) => {
        if (result.error) {
          // RESYNC_REQUIRED (this client fell behind): start over from the latest cursor. Dropped
          // connections are not errors here: the socket reconnects and calls listen() again.
          if (result.error.networkError) return;
          if (++this.restarts <= 3) return this.listen();
          return this.say(`Live updates stopped: ${result.error.graphQLErrors[0]?.message ?? result.error.message}. Reload the page.`);
        }
        if (result.data) this.apply(result.data.events);
      }),
    );
  }

  private stopListening() {
    this.events?.unsubscribe();
    this.events = null;
  }

  private apply(event: EventsSubscription['events']) {
    if (event.cursor) this.cursor = event.cursor;
    switch (event.__typename) {
      case 'StreamReadyEvent':
        this.restarts = 0;
        void this.refresh();
        break;
      case 'MessageEvent':
        this.receive(event.message);
        break;
      case 'MessageChangedEvent':
        this.replace(event.message);
        break;
      case 'ReadPositionEvent': {
        const conversation = this.conversations.get(keyOf(event.conversation.kind, event.conversation.id));
        if (conversation && event.seq >= conversation.readSeq) {
          conversation.readSeq = event.seq;
          conversation.unreadCount = 0;
        }
        break;
      }
      case 'MessageReadEvent': {
        const conversation = this.conversations.get(keyOf(event.conversation.kind, event.conversation.id));
        if (conversation) conversation.peerReadSeq = Math.max(conversation.peerReadSeq, event.seq);
        break;
      }
      case 'TypingEvent': {
        if (event.from.id === this.session?.userId) break;
        const key = event.conversation.kind === 'GROUP' ? keyOf('GROUP', event.conversation.id) : keyOf('USER', event.from.id);
        this.conversation(key, nameOf(event.from)).typing.set(event.from.id, { name: nameOf(event.from), until: Date.now() + TYPING_SHOWN_MS });
        this.scheduleTypingExpiry();
        break;
      }
      case 'FriendRequestReceivedEvent':
        this.requests = [event.request, ...this.requests.filter((r) => r.id !== event.request.id)];
        break;
      case 'FriendAddedEvent':
        this.requests = this.requests.filter((r) => r.from.id !== event.user.id);
        break;
      case 'GroupInvitationEvent':
        if (event.inviteeId !== this.session?.userId) break;
        this.invitations = this.invitations.filter((i) => i.groupId !== event.groupId);
        if (event.status === 'PENDING') this.invitations.unshift(event);
        break;
      case 'GroupMembersJoinedEvent':
      case 'GroupMembersRemovedEvent':
      case 'GroupUpdatedEvent':
      case 'GroupDissolvedEvent':
        void this.loadGroups();
        break;
      default:
        return;
    }
    this.changed();
  }

  /** The conversation a message belongs to, as the viewer sees it. */
  private keyOfMessage(message: Message) {
    if (message.to.kind === 'GROUP') return keyOf('GROUP', message.to.id);
    const mine = message.from?.id === this.session?.userId;
    return keyOf('USER', mine ? message.to.id : (message.from?.id ?? message.to.id));
  }

  private conversation(key: string, title?: string): Conversation {
    let conversation = this.conversations.get(key);
    if (!conversation) {
      const [kind, id] = key.split(':') as [TargetKind, string];
      conversation = {
        key, kind, id,
        title: title ?? (kind === 'GROUP' ? (this.groups.get(id)?.name ?? `Group ${id}`) : `User ${id}`),
        lastMessage: null, lastSeq: 0, readSeq: 0, unreadCount: 0, peerReadSeq: 0,
        messages: [], loaded: false, olderCursor: null, loadingOlder: false, pending: [], typing: new Map(),
      };
      this.conversations.set(key, conversation);
    }
    return conversation;
  }

  private receive(message: Message) {
    const key = this.keyOfMessage(message);
    const mine = message.from?.id === this.session?.userId;
    const conversation = this.conversation(key, mine || message.to.kind === 'GROUP' ? undefined : nameOf(message.from));
    // This device's own sends are shown from their mutation's answer (which replaces the
    // optimistic copy), not from the event that may overtake it.
    if (mine && message.from && conversation.pending.length > 0 && this.fromThisDevice(message)) return;
    if (!mine && message.to.kind === 'USER') conversation.title = nameOf(message.from);
    this.insert(conversation, message);
    if (message.from) conversation.typing.delete(message.from.id);
  }

  private fromThisDevice(message: Message) {
    return this.session?.deviceSn == null || message.fromDeviceSn === this.session.deviceSn;
  }

  private insert(conversation: Conversation, message: Message) {
    if (message.seq > conversation.lastSeq) {
      conversation.lastSeq = message.seq;
      conversation.lastMessage = message;
      const mine = message.from?.id === this.session?.userId;
      if (mine) conversation.readSeq = message.seq;
      else if (this.isReading(conversation)) void this.markRead(conversation);
      else conversation.unreadCount++;
    }
    if (conversation.loaded && !conversation.messages.some((m) => m.id === message.id)) {
      conversation.messages.push(message);
      conversation.messages.sort((a, b) => a.seq - b.seq);
    }
  }

  private replace(message: Message) {
    const conversation = this.conversations.get(this.keyOfMessage(message));
    if (!conversation) return;
    conversation.messages = conversation.messages.map((m) => (m.id === message.id ? message : m));
    if (conversation.lastMessage?.id === message.id) conversation.lastMessage = message;
  }

  private isReading(conversation: Conversation) {
    return this.openKey === conversation.key && document.visibilityState === 'visible';
  }

  private scheduleTypingExpiry() {
    clearTimeout(this.typingTimer);
    const now = Date.now();
    let next = Infinity;
    for (const conversation of this.conversations.values()) {
      for (const [id, t] of conversation.typing) {
        if (t.until <= now) conversation.typing.delete(id);
        else next = Math.min(next, t.until);
      }
    }
    if (next !== Infinity) {
      this.typingTimer = setTimeout(() => {
        this.scheduleTypingExpiry();
        this.changed();
      }, next - now);
    }
  }

  // Lists: loaded after the stream is ready, so every change after the load arrives as an event.

  async refresh() {
    await Promise.all([this.loadGroups(), this.loadConversations(), this.loadRequests(), this.loadInvitations()]).catch((e) => this.fail(e));
  }

  private async loadConversations() {
    const data = await run(this.client, 'query', ConversationsDocument, {});
    for (const { node } of data.conversations.edges) this.merge(node);
    this.changed();
  }

  /** Takes the server's summary unless this client already saw newer messages. */
  private merge(summary: ChatConversationFragment) {
    const key = keyOf(summary.target.kind, summary.target.id);
    const title = summary.target.kind === 'USER' ? nameOf(summary.target.user) : undefined;
    const conversation = this.conversation(key, title);
    if (title) conversation.title = title;
    if (summary.lastSeq < conversation.lastSeq) return;
    conversation.lastSeq = summary.lastSeq;
    conversation.readSeq = summary.readSeq;
    conversation.unreadCount = summary.unreadCount;
    conversation.lastMessage = summary.lastMessage;
    if (summary.lastMessage) this.insert(conversation, summary.lastMessage);
    if (this.isReading(conversation)) void this.markRead(conversation);
  }

  private async loadGroups() {
    const data = await run(this.client, 'query', JoinedGroupsDocument, {});
    this.groups = new Map(data.joinedGroups.edges.map(({ node }) => [node.id, node]));
    for (const group of this.groups.values()) this.conversation(keyOf('GROUP', group.id)).title = group.name;
    this.changed();
  }

  private async loadRequests() {
    const data = await run(this.client, 'query', FriendRequestsDocument, {});
    this.requests = data.friendRequests.edges.map((e) => e.node).filter((r) => r.status === 'PENDING');
    this.changed();
  }

  private async loadInvitations() {
    const data = await run(this.client, 'query', GroupInvitationsDocument, {});
    this.invitations = data.groupInvitations.edges.map((e) => e.node).filter((i) => i.status === 'PENDING' && !i.expired);
    this.changed();
  }

  // Reading.

  async open(key: string | null) {
    this.openKey = key;
    this.changed();
    if (!key) return;
    const conversation = this.conversation(key);
    try {
      if (!conversation.loaded) await this.loadHistory(conversation);
      await this.markRead(conversation);
    } catch (error) {
      this.fail(error);
    }
  }

  private async loadHistory(conversation: Conversation) {
    const data = await run(this.client, 'query', HistoryDocument, { conversation: target(conversation), last: PAGE });
    const page = data.messages.edges.map((e) => e.node);
    const known = new Set(page.map((m) => m.id));
    // Events that arrived while the page loaded are kept.
    conversation.messages = [...page, ...conversation.messages.filter((m) => !known.has(m.id))].sort((a, b) => a.seq - b.seq);
    conversation.olderCursor = data.messages.pageInfo.hasPreviousPage ? data.messages.pageInfo.startCursor : null;
    conversation.loaded = true;
    this.notePeerRead(conversation, page);
    const last = conversation.messages.at(-1);
    if (last && last.seq > conversation.lastSeq) {
      conversation.lastSeq = last.seq;
      conversation.lastMessage = last;
    }
    this.changed();
  }

  async loadOlder(key: string) {
    const conversation = this.conversations.get(key);
    if (!conversation?.olderCursor || conversation.loadingOlder) return;
    conversation.loadingOlder = true;
    this.changed();
    try {
      const data = await run(this.client, 'query', HistoryDocument, { conversation: target(conversation), last: PAGE, before: conversation.olderCursor });
      const page = data.messages.edges.map((e) => e.node).filter((m) => !conversation.messages.some((k) => k.id === m.id));
      conversation.messages = [...page, ...conversation.messages];
      conversation.olderCursor = data.messages.pageInfo.hasPreviousPage ? data.messages.pageInfo.startCursor : null;
      this.notePeerRead(conversation, page);
    } catch (error) {
      this.fail(error);
    } finally {
      conversation.loadingOlder = false;
      this.changed();
    }
  }

  private notePeerRead(conversation: Conversation, page: Message[]) {
    for (const m of page) {
      if (m.from?.id === this.session?.userId && m.status === 'READ') conversation.peerReadSeq = Math.max(conversation.peerReadSeq, m.seq);
    }
  }

  private async markRead(conversation: Conversation) {
    if (conversation.lastSeq <= conversation.readSeq && conversation.unreadCount === 0) return;
    const seq = conversation.lastSeq;
    conversation.readSeq = seq;
    conversation.unreadCount = 0;
    this.changed();
    await run(this.client, 'mutation', MarkReadDocument, { conversation: target(conversation), seq }).catch((e) => this.fail(e));
  }

  /** Re-reads once the page is visible again. */
  visible() {
    const conversation = this.openKey ? this.conversations.get(this.openKey) : undefined;
    if (conversation && document.visibilityState === 'visible') void this.markRead(conversation);
  }

  // Writing.

  typing(key: string) {
    const now = Date.now();
    if (now - (this.typingSentAt.get(key) ?? 0) < TYPING_SENT_EVERY_MS) return;
    this.typingSentAt.set(key, now);
    const conversation = this.conversation(key);
    void run(this.client, 'mutation', SendTypingDocument, { conversation: target(conversation) }).catch(() => {});
  }

  sendText(key: string, text: string) {
    const content = text.trim();
    if (!content) return;
    this.typingSentAt.delete(key);
    void this.deliver(this.conversation(key), { transactionId: crypto.randomUUID(), contentType: 'TEXT', content });
  }

  sendFile(key: string, file: File) {
    const image = file.type.startsWith('image/');
    void this.deliver(this.conversation(key), {
      transactionId: crypto.randomUUID(),
      contentType: image ? 'IMAGE' : 'FILE',
      content: file.name,
      file,
      previewUrl: image ? URL.createObjectURL(file) : undefined,
    });
  }

  retry(key: string, transactionId: string) {
    const conversation = this.conversations.get(key);
    const send = conversation?.pending.find((p) => p.transactionId === transactionId);
    if (!conversation || !send) return;
    conversation.pending = conversation.pending.filter((p) => p !== send);
    void this.deliver(conversation, { ...send, failed: undefined });
  }

  /**
   * Shows the send at once, then sends it until the server answers. A network failure is retried
   * with the same transactionId, so a send the server did receive is answered, not duplicated.
   */
  private async deliver(conversation: Conversation, send: PendingSend) {
    conversation.pending.push(send);
    this.changed();
    let message: Message | undefined;
    let failed: string | undefined;
    for (let attempt = 0; !message && !failed; attempt++) {
      try {
        const file = send.file ? await this.upload(conversation, send.file) : undefined;
        const data = await run(this.client, 'mutation', SendMessageDocument, {
          input: { toKind: conversation.kind, targets: [conversation.id], contentType: send.contentType, content: send.content, file, transactionId: send.transactionId },
        });
        const result = data.sendMessage;
        if (result.__typename === 'SendMessagePayload') message = result.messages[0];
        else failed = 'message' in result ? result.message : 'refused';
      } catch (error) {
        if (!(error instanceof NetworkError) || attempt >= 20) failed = error instanceof Error ? error.message : String(error);
        else await this.backoff(attempt);
      }
    }
    if (message) {
      conversation.pending = conversation.pending.filter((p) => p !== send);
      if (send.previewUrl) URL.revokeObjectURL(send.previewUrl);
      this.insert(conversation, message);
    } else {
      send.failed = failed;
    }
    this.changed();
  }

  /** Waits a little longer after each failure, and while the connection is down, until it is back. */
  private async backoff(attempt: number) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(500 * 2 ** attempt, 5_000)));
    if (this.link === 'online') return;
    await new Promise<void>((resolve) => {
      const stop = this.subscribe(() => {
        if (this.link !== 'online') return;
        stop();
        resolve();
      });
    });
  }

  /** Uploads a file into a slot for this conversation; answers the reference to send. */
  private async upload(conversation: Conversation, file: File): Promise<string> {
    const data = await run(this.client, 'mutation', CreateUploadSlotDocument, {
      input: { purpose: 'CHAT_FILE', fileType: file.type.startsWith('image/') ? 'IMAGE' : 'FILE', conversation: target(conversation) },
    });
    const result = data.createUploadSlot;
    if (result.__typename !== 'CreateUploadSlotPayload') throw new Error('message' in result ? result.message : 'upload refused');
    let response: Response;
    try {
      response = await fetch(`${result.slot.putUrl}&name=${encodeURIComponent(file.name)}`, { method: 'PUT', body: file });
    } catch (error) {
      throw new NetworkError(String(error));
    }
    const body = (await response.json().catch(() => null)) as { code?: number; message?: string } | null;
    if (!response.ok || body?.code !== 200) throw new Error(body?.message ?? `upload failed (${response.status})`);
    return result.slot.downloadUrl;
  }

  // People and groups.

  async findUser(username: string): Promise<Person | null> {
    const data = await run(this.client, 'query', FindUserDocument, { username: username.trim() });
    return data.searchUser?.user ?? null;
  }

  async startChat(username: string) {
    const user = await this.require(username);
    if (!user) return;
    const key = keyOf('USER', user.id);
    this.conversation(key).title = nameOf(user);
    await this.open(key);
  }

  async addFriend(username: string) {
    const user = await this.require(username);
    if (!user) return;
    const data = await run(this.client, 'mutation', ApplyFriendDocument, { input: { userId: user.id } });
    const result = data.applyFriend;
    this.say(result.__typename === 'ApplyFriendPayload' ? `Friend request to ${nameOf(user)}: ${result.status.toLowerCase().replaceAll('_', ' ')}.` : result.message);
  }

  async answerRequest(request: FriendRequest, accept: boolean) {
    const data = await run(this.client, 'mutation', AnswerFriendRequestDocument, { userId: request.from.id, accept });
    const result = data.acceptFriendRequest ?? data.declineFriendRequest;
    this.requests = this.requests.filter((r) => r.id !== request.id);
    this.say(result && 'message' in result ? result.message : `${accept ? 'Accepted' : 'Declined'} ${nameOf(request.from)}.`);
  }

  async answerInvitation(invitation: GroupInvitation, accept: boolean) {
    const data = await run(this.client, 'mutation', AnswerGroupInvitationDocument, { groupId: invitation.groupId, accept });
    const result = data.answerGroupInvitation;
    this.invitations = this.invitations.filter((i) => i.groupId !== invitation.groupId);
    if ('message' in result) return this.say(result.message);
    if (!accept) return this.changed();
    await this.loadGroups();
    await this.open(keyOf('GROUP', invitation.groupId));
  }

  async createGroup(name: string, usernames: string[]) {
    const members = await this.requireAll(usernames);
    if (!members) return;
    const data = await run(this.client, 'mutation', CreateGroupDocument, { input: { name: name.trim(), memberIds: members.map((m) => m.id) } });
    const result = data.createGroup;
    if (result.__typename !== 'CreateGroupPayload') return this.say(result.message);
    this.groups.set(result.group.id, result.group);
    this.conversation(keyOf('GROUP', result.group.id)).title = result.group.name;
    await this.open(keyOf('GROUP', result.group.id));
  }

  async invite(groupId: string, usernames: string[]) {
    const members = await this.requireAll(usernames);
    if (!members) return;
    const data = await run(this.client, 'mutation', InviteGroupMembersDocument, { groupId, userIds: members.map((m) => m.id) });
    const result = data.inviteGroupMembers;
    if (result.__typename !== 'InviteGroupMembersPayload') return this.say(result.message);
    this.say(result.outcomes.map((o, i) => `${nameOf(members[i])}: ${o.reason ?? o.outcome.toLowerCase()}`).join('; '));
    void this.loadGroups();
  }

  async members(groupId: string): Promise<GroupDetails> {
    return (await run(this.client, 'query', GroupMembersDocument, { id: groupId })).group;
  }

  private async require(username: string) {
    const user = await this.findUser(username);
    if (!user) this.say(`No user named “${username.trim()}”.`);
    return user;
  }

  private async requireAll(usernames: string[]) {
    const users = await Promise.all(usernames.map((u) => this.require(u)));
    return users.every((u) => u) ? (users as Person[]) : null;
  }

  say(notice: string) {
    this.notice = notice;
    this.changed();
  }

  fail(error: unknown) {
    this.say(error instanceof NetworkError ? 'No connection to the server.' : error instanceof Error ? error.message : String(error));
  }
}

export function target(conversation: Pick<Conversation, 'kind' | 'id'>): ConversationInput {
  return conversation.kind === 'GROUP' ? { groupId: conversation.id } : { userId: conversation.id };
}

function loadSession(): Session | null {
  try {
    const session = JSON.parse(localStorage.getItem(SESSION_KEY) ?? 'null') as Session | null;
    return session?.token ? session : null;
  } catch {
    return null;
  }
}
