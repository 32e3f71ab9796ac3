import { useState } from 'preact/hooks';
import { nameOf, type Conversation, type Message } from '../store.js';
import { useStore } from './hooks.js';

export function Sidebar() {
  const store = useStore();
  const conversations = [...store.conversations.values()].sort(byRecent);
  return (
    <aside class="side" aria-label="Conversations and people">
      <Tools />
      {store.requests.length > 0 && (
        <section aria-labelledby="requests-title" class="requests">
          <h2 id="requests-title">Friend requests</h2>
          <ul>
            {store.requests.map((request) => (
              <li key={request.id}>
                <span>
                  <strong>{nameOf(request.from)}</strong> {request.reason}
                </span>
                <button onClick={() => void store.answerRequest(request, true)}>Accept</button>
                <button class="secondary" onClick={() => void store.answerRequest(request, false)}>Decline</button>
              </li>
            ))}
          </ul>
        </section>
      )}
      {store.invitations.length > 0 && (
        <section aria-labelledby="invitations-title" class="requests">
          <h2 id="invitations-title">Group invitations</h2>
          <ul>
            {store.invitations.map((invitation) => (
              <li key={invitation.groupId}>
                <span>
                  <strong>{invitation.group?.name ?? `Group ${invitation.groupId}`}</strong>
                  {invitation.inviter && ` from ${nameOf(invitation.inviter)}`}
                </span>
                <button onClick={() => void store.answerInvitation(invitation, true).catch((e) => store.fail(e))}>Join</button>
                <button class="secondary" onClick={() => void store.answerInvitation(invitation, false).catch((e) => store.fail(e))}>
                  Decline
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      <nav aria-label="Conversations">
        <ul class="conversations">
          {conversations.map((c) => (
            <li key={c.key}>
              <button class="conversation" aria-current={store.openKey === c.key ? 'true' : undefined} onClick={() => void store.open(c.key)} data-title={c.title}>
                <span class="title">
                  {c.kind === 'GROUP' && <span aria-hidden="true"># </span>}
                  {c.title}
                </span>
                <span class="preview">{preview(c.lastMessage, c.typing.size > 0)}</span>
                {c.unreadCount > 0 && (
                  <span class="unread" aria-label={`${c.unreadCount} unread`}>
                    {c.unreadCount}
                  </span>
                )}
              </button>
            </li>
          ))}
        </ul>
        {conversations.length === 0 && <p class="hint">No conversations yet: start one above.</p>}
      </nav>
    </aside>
  );
}

function Tools() {
  const store = useStore();
  return (
    <div class="tools">
      <OneField label="Chat with (username)" action="Chat" onSubmit={(v) => store.startChat(v)} />
      <OneField label="Add friend (username)" action="Add" onSubmit={(v) => store.addFriend(v)} />
      <details>
        <summary>New group</summary>
        <NewGroup />
      </details>
    </div>
  );
}

export function OneField(props: { label: string; action: string; onSubmit(value: string): Promise<void> }) {
  const store = useStore();
  const [value, setValue] = useState('');
  return (
    <form
      class="one-field"
      onSubmit={(e) => {
        e.preventDefault();
        if (!value.trim()) return;
        props.onSubmit(value).then(() => setValue(''), (error) => store.fail(error));
      }}
    >
      <label>
        <span class="label">{props.label}</span>
        <input value={value} onInput={(e) => setValue(e.currentTarget.value)} autocomplete="off" />
      </label>
      <button type="submit">{props.action}</button>
    </form>
  );
}

function NewGroup() {
  const store = useStore();
  const [name, setName] = useState('');
  const [members, setMembers] = useState('');
  return (
    <form
      class="new-group"
      onSubmit={(e) => {
        e.preventDefault();
        store.createGroup(name, splitNames(members)).then(() => (setName(''), setMembers('')), (error) => store.fail(error));
      }}
    >
      <label>
        Group name
        <input value={name} onInput={(e) => setName(e.currentTarget.value)} required />
      </label>
      <label>
        Members (usernames, comma-separated)
        <input value={members} onInput={(e) => setMembers(e.currentTarget.value)} autocomplete="off" />
      </label>
      <button type="submit">Create group</button>
    </form>
  );
}

export const splitNames = (text: string) => text.split(/[\s,]+/).filter(Boolean);

function byRecent(a: Conversation, b: Conversation) {
  return (b.lastMessage?.createdAt ?? 0) - (a.lastMessage?.createdAt ?? 0) || a.title.localeCompare(b.title);
}

function preview(message: Message | null, typing: boolean) {
  if (typing) return 'typing…';
  if (!message) return 'No messages yet';
  if (message.recalled) return 'Message recalled';
  if (message.contentType === 'IMAGE') return 'Photo';
  if (message.file) return `File: ${message.file.name}`;
  return message.content;
}
