import { useEffect } from 'preact/hooks';
import type { LinkState } from '../api.js';
import { ChatView } from './ChatView.js';
import { useStore } from './hooks.js';
import { Sidebar } from './Sidebar.js';
import { SignIn } from './SignIn.js';

const LINK_TEXT: Record<LinkState, string> = {
  connecting: 'Connecting…',
  online: 'Online',
  reconnecting: 'Reconnecting…',
  'signed-out': 'Signed out',
};

export function App() {
  const store = useStore();
  useEffect(() => {
    const visible = () => store.visible();
    document.addEventListener('visibilitychange', visible);
    return () => document.removeEventListener('visibilitychange', visible);
  }, [store]);

  if (!store.session) return <SignIn />;
  const open = store.openKey ? store.conversations.get(store.openKey) : undefined;
  return (
    <div class="app" data-view={open ? 'chat' : 'list'}>
      <header class="top">
        <h1>Chat</h1>
        <p class="link" role="status" data-state={store.link}>
          {LINK_TEXT[store.link]}
        </p>
        <span class="me">{store.session.username}</span>
        <button class="secondary" onClick={() => void store.signOutEverywhere()}>
          Sign out
        </button>
      </header>
      <Sidebar />
      <main class="main">{open ? <ChatView key={open.key} conversation={open} /> : <p class="hint">Pick a conversation, or start one.</p>}</main>
      <p class="notice" role="status" aria-live="polite">
        {store.notice}
        {store.notice && (
          <button class="link" onClick={() => store.say('')} aria-label="Dismiss">
            ×
          </button>
        )}
      </p>
    </div>
  );
}
