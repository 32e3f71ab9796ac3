import { authenticate, tokenEventKey, type Credentials } from '../domain/accounts/tokens.js';
import type { Deps } from '../domain/deps.js';
import type { Viewer } from '../domain/viewer.js';
import type { SessionEndReason } from './events.js';

/** Why a live session ended: its token was revoked (for one of these reasons) or expired. */
export type SessionEnd = SessionEndReason | 'TOKEN_EXPIRED';

/** The viewer of a live connection or stream, and the one place that says when it must end. */
export interface LiveSession {
  viewer: Viewer;
  /** Calls `end` once, when the token is revoked (through any server process) or expires. */
  onEnd(end: (reason: SessionEnd) => void): void;
  /** Stops watching (the connection or stream ended by itself). */
  close(): void;
}

const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Authenticates the credentials of a live transport (a graphql-ws connection, an SSE stream) and
 * watches their token. It listens for the token's revocation before checking it, so a revocation
 * is either seen by the check or heard afterwards, never missed in between. Throws the
 * DomainError of credentials that are not (or no longer) valid.
 *
 * Every transport ends a session through this: WebSocket closes the socket with 4403, SSE ends
 * the stream after the events published before the revocation (its TokenRevokedEvent included).
 */
export async function openLiveSession(deps: Deps, credentials: Credentials): Promise<LiveSession> {
  // What ends the session: its callback once known, and a revocation heard before that.
  let ending: ((reason: SessionEnd) => void) | undefined;
  let heard: SessionEnd | undefined;
  const unlisten = credentials.token
    ? await deps.events.listen('token', tokenEventKey(credentials.token), ({ reason }) => {
        if (ending) ending(reason);
        else heard ??= reason;
      })
    : undefined;
  let viewer: Viewer;
  try {
    viewer = await authenticate(deps, credentials);
  } catch (error) {
    unlisten?.();
    throw error;
  }
  let expiry: NodeJS.Timeout | undefined;
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    ending = undefined;
    clearTimeout(expiry);
    unlisten?.();
  };
  return {
    viewer,
    close,
    onEnd(end) {
      if (closed || ending) return;
      ending = (reason: SessionEnd) => {
        close();
        end(reason);
      };
      if (heard !== undefined) {
        // Revoked between the check and now: ends as soon as the caller is done setting up.
        const reason = heard;
        queueMicrotask(() => ending?.(reason));
        return;
      }
      if (viewer.kind !== 'anonymous') {
        expiry = setTimeout(() => ending?.('TOKEN_EXPIRED'), Math.min(viewer.tokenExpiresAt.getTime() - Date.now(), MAX_TIMER_MS));
      }
    },
  };
}
