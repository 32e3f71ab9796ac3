import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { nameOf, type Conversation, type GroupDetails, type Message, type PendingSend } from '../store.js';
import { useAuthorizedUrl, useStore } from './hooks.js';
import { OneField, splitNames } from './Sidebar.js';

/** Within this many pixels of an edge counts as at it. */
const EDGE = 80;

export function ChatView({ conversation }: { conversation: Conversation }) {
  const store = useStore();
  const [showMembers, setShowMembers] = useState(false);
  const list = useRef<HTMLDivElement>(null);
  // Where the reader was: at the bottom (follow new messages) or some distance from it (keep
  // the view still when older messages are put above).
  const position = useRef({ atBottom: true, fromBottom: 0, firstId: '' });
  const group = conversation.kind === 'GROUP';
  const typing = [...conversation.typing.values()].map((t) => t.name);

  useLayoutEffect(() => {
    const el = list.current;
    if (!el) return;
    const firstId = conversation.messages[0]?.id ?? '';
    if (position.current.atBottom) el.scrollTop = el.scrollHeight;
    else if (firstId !== position.current.firstId) el.scrollTop = el.scrollHeight - position.current.fromBottom;
    position.current.firstId = firstId;
  });

  // Content that grows later (an image that finished loading) keeps a reader at the bottom there.
  useEffect(() => {
    const el = list.current;
    const content = el?.firstElementChild;
    if (!el || !content) return;
    const observer = new ResizeObserver(() => {
      if (position.current.atBottom) el.scrollTop = el.scrollHeight;
    });
    observer.observe(content);
    return () => observer.disconnect();
  }, []);

  function onScroll() {
    const el = list.current!;
    position.current.atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < EDGE;
    position.current.fromBottom = el.scrollHeight - el.scrollTop;
    if (el.scrollTop < EDGE && conversation.olderCursor) void store.loadOlder(conversation.key);
  }

  return (
    <section class="chat" aria-labelledby="chat-title">
      <header class="chat-head">
        <button class="back" onClick={() => void store.open(null)} aria-label="Back to conversations">
          ←
        </button>
        <h2 id="chat-title">{conversation.title}</h2>
        {group && (
          <button class="secondary" aria-expanded={showMembers} onClick={() => setShowMembers(!showMembers)}>
            Members
          </button>
        )}
      </header>
      {group && showMembers && <Members groupId={conversation.id} />}
      <div class="messages" ref={list} onScroll={onScroll} role="log" aria-label="Messages" tabIndex={0}>
      <ol>
        {conversation.olderCursor && (
          <li class="older">
            <button class="secondary" disabled={conversation.loadingOlder} onClick={() => void store.loadOlder(conversation.key)}>
              {conversation.loadingOlder ? 'Loading…' : 'Load older messages'}
            </button>
          </li>
        )}
        {conversation.messages.map((m) => (
          <Item key={m.id} message={m} conversation={conversation} />
        ))}
        {conversation.pending.map((p) => (
          <Pending key={p.transactionId} send={p} conversation={conversation} />
        ))}
      </ol>
      </div>
      <p class="typing" aria-live="polite">
        {typing.length > 0 && `${typing.join(', ')} ${typing.length > 1 ? 'are' : 'is'} typing…`}
      </p>
      <Composer conversation={conversation} />
    </section>
  );
}

function Item({ message, conversation }: { message: Message; conversation: Conversation }) {
  const store = useStore();
  const mine = message.from?.id === store.session?.userId;
  const read = conversation.kind === 'USER' && message.seq <= conversation.peerReadSeq;
  return (
    <li class={mine ? 'msg mine' : 'msg'} data-seq={message.seq}>
      {!mine && conversation.kind === 'GROUP' && <span class="from">{nameOf(message.from)}</span>}
      <Body message={message} />
      <span class="meta">
        <time dateTime={new Date(message.createdAt).toISOString()}>{clock(message.createdAt)}</time>
        {mine && (
          <span class={read ? 'tick read' : 'tick'} title={read ? 'Read' : 'Sent'}>
            <span aria-hidden="true">{read ? '✓✓' : '✓'}</span>
            <span class="sr">{read ? 'Read' : 'Sent'}</span>
          </span>
        )}
      </span>
    </li>
  );
}

function Body({ message }: { message: Message }) {
  if (message.recalled) return <p class="body recalled">Message recalled</p>;
  const file = message.file;
  if (file && file.thumbnailUrl) return <Thumbnail url={file.thumbnailUrl} name={file.name} full={file.url} ratio={file.width && file.height ? file.width / file.height : undefined} />;
  if (file) return <Download url={file.url} name={file.name} size={file.size} />;
  return <p class="body">{message.content}</p>;
}

function Thumbnail({ url, name, full, ratio }: { url: string; name: string; full: string; ratio: number | undefined }) {
  const store = useStore();
  const src = useAuthorizedUrl(url, store.session!.token);
  const [open, setOpen] = useState(false);
  const original = useAuthorizedUrl(open ? full : null, store.session!.token);
  useEffect(() => {
    if (original) window.open(original, '_blank', 'noopener');
  }, [original]);
  return (
    <button class="thumb" onClick={() => setOpen(true)} aria-label={`Open image ${name}`}>
      {src ? <img src={src} alt={name} class="thumbnail" /> : <span class="placeholder" style={ratio ? { aspectRatio: String(ratio) } : undefined}>Loading image…</span>}
    </button>
  );
}

function Download({ url, name, size }: { url: string; name: string; size: number }) {
  const store = useStore();
  const [wanted, setWanted] = useState(false);
  const local = useAuthorizedUrl(wanted ? url : null, store.session!.token);
  const link = useRef<HTMLAnchorElement>(null);
  useEffect(() => {
    if (local) link.current?.click();
  }, [local]);
  return (
    <p class="body file">
      <button class="secondary" onClick={() => setWanted(true)}>
        {name} <span class="size">({bytes(size)})</span>
      </button>
      {local && <a ref={link} href={local} download={name} hidden />}
    </p>
  );
}

function Pending({ send, conversation }: { send: PendingSend; conversation: Conversation }) {
  const store = useStore();
  return (
    <li class="msg mine pending" aria-busy={!send.failed}>
      {send.previewUrl ? <img src={send.previewUrl} alt={send.content} class="thumbnail" /> : <p class="body">{send.content}</p>}
      <span class="meta">
        {send.failed ? (
          <>
            <span class="error">Not sent: {send.failed}</span>{' '}
            <button class="link" onClick={() => store.retry(conversation.key, send.transactionId)}>
              Retry
            </button>
          </>
        ) : (
          <span class="sending">Sending…</span>
        )}
      </span>
    </li>
  );
}

function Composer({ conversation }: { conversation: Conversation }) {
  const store = useStore();
  const [text, setText] = useState('');
  const fileInput = useRef<HTMLInputElement>(null);
  const send = () => {
    store.sendText(conversation.key, text);
    setText('');
  };
  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <label class="attach" title="Attach a photo or file">
        <svg aria-hidden="true" viewBox="0 0 24 24" width="22" height="22" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round">
          <path d="M21 11.5l-8.5 8.5a5 5 0 01-7-7l9-9a3.3 3.3 0 014.7 4.7l-9 9a1.7 1.7 0 01-2.4-2.4l8.3-8.3" />
        </svg>
        <span class="sr">Attach a photo or file</span>
        <input
          ref={fileInput}
          type="file"
          class="sr"
          onChange={(e) => {
            for (const file of e.currentTarget.files ?? []) store.sendFile(conversation.key, file);
            e.currentTarget.value = '';
          }}
        />
      </label>
      <label class="grow">
        <span class="sr">Message</span>
        <textarea
          rows={1}
          value={text}
          placeholder="Message"
          onInput={(e) => {
            setText(e.currentTarget.value);
            if (e.currentTarget.value) store.typing(conversation.key);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey) {
              e.preventDefault();
              send();
            }
          }}
        />
      </label>
      <button type="submit" disabled={!text.trim()}>
        Send
      </button>
    </form>
  );
}

function Members({ groupId }: { groupId: string }) {
  const store = useStore();
  const [group, setGroup] = useState<GroupDetails>();
  const reload = () => store.members(groupId).then(setGroup, (e) => store.fail(e));
  useEffect(() => void reload(), [groupId, store.groups.get(groupId)?.memberCount]);
  return (
    <section class="members" aria-label="Group members">
      <ul>
        {group?.members.edges.map(({ node }) => (
          <li key={node.userId}>
            {node.displayName || nameOf(node.user)} <span class="role">{node.role.toLowerCase()}</span>
          </li>
        ))}
      </ul>
      <OneField label="Invite (usernames)" action="Invite" onSubmit={(v) => store.invite(groupId, splitNames(v)).then(reload)} />
    </section>
  );
}

const clock = (ms: number) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

function bytes(n: number) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
