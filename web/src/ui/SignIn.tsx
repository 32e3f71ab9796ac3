import { useState } from 'preact/hooks';
import { anonymousClient, run } from '../api.js';
import { RegisterDocument, SignInDocument } from '../graphql/generated.js';
import { useStore } from './hooks.js';

const APP_KEY = 'im.appId';

/** Sign in or register. The app id comes from `?app=` in the page URL, else from the last use. */
export function SignIn() {
  const store = useStore();
  const [appId, setAppId] = useState(() => new URLSearchParams(location.search).get('app') ?? localStorage.getItem(APP_KEY) ?? '');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState(store.notice);
  const [busy, setBusy] = useState(false);

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    const register = (event.submitter as HTMLButtonElement | null)?.value === 'register';
    setBusy(true);
    setError('');
    try {
      const client = anonymousClient();
      if (register) {
        const created = await run(client, 'mutation', RegisterDocument, { appId, input: { username, password } });
        if ('message' in created.registerUser) throw new Error(created.registerUser.message);
      }
      const signedIn = (await run(client, 'mutation', SignInDocument, { appId, input: { username, password, deviceGuid: deviceGuid() } })).createAccessToken;
      if (signedIn.__typename !== 'CreateAccessTokenPayload') throw new Error('message' in signedIn ? signedIn.message : 'could not sign in');
      const { accessToken } = signedIn;
      localStorage.setItem(APP_KEY, appId);
      store.signedIn({ appId, token: accessToken.token, userId: accessToken.userId, deviceSn: accessToken.deviceSn, username });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="signin">
      <form onSubmit={submit} aria-describedby="signin-error">
        <h1>Chat</h1>
        <label>
          App id
          <input name="app" value={appId} onInput={(e) => setAppId(e.currentTarget.value)} required autocomplete="off" />
        </label>
        <label>
          Username
          <input name="username" value={username} onInput={(e) => setUsername(e.currentTarget.value)} required autocomplete="username" />
        </label>
        <label>
          Password
          <input name="password" type="password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} required autocomplete="current-password" />
        </label>
        <p id="signin-error" class="error" role="alert">{error}</p>
        <div class="row">
          <button type="submit" value="signin" disabled={busy}>Sign in</button>
          <button type="submit" value="register" class="secondary" disabled={busy}>Register</button>
        </div>
      </form>
    </main>
  );
}

/** One device per browser, so a second sign-in here is the same device, not a new one. */
function deviceGuid() {
  let guid = localStorage.getItem('im.device');
  if (!guid) localStorage.setItem('im.device', (guid = crypto.randomUUID()));
  return guid;
}
