import type { LiveLimits } from '../config.js';
import type { Viewer } from '../domain/viewer.js';

/**
 * Close codes of the limits on WebSocket transports (besides graphql-ws's own): the server holds
 * as many connections as it may (1013, Try Again Later: clients retry with backoff), or the user
 * holds as many as they may (4429: graphql-ws clients do not retry it).
 */
export const CLOSE_SERVER_BUSY = 1013;
export const CLOSE_TOO_MANY_CONNECTIONS = 4429;

/** A live connection's place under the limits; released once, when the connection ends. */
export interface LiveTicket {
  /** Counts the connection against its viewer's own limit; false (and nothing counted) when they have too many. */
  claim(viewer: Viewer): boolean;
  release(): void;
}

export interface LiveAdmission {
  /** A place for a new connection, or undefined when the process holds MAX_LIVE_CONNECTIONS already. */
  open(): LiveTicket | undefined;
}

/** Whose connections are counted together: a user's, or all admin tokens of an app (acting as a user or not). */
const principalOf = (viewer: Viewer) =>
  viewer.kind === 'anonymous' ? undefined : viewer.kind === 'user' && !viewer.viaAdmin ? `${viewer.appId}/${viewer.userId}` : `${viewer.appId}/admin`;

/**
 * Counts the live connections of this process, graphql-ws sockets and SSE streams alike, so that
 * neither transport lets one user (or everyone together) hold more than the limits allow.
 */
export function createLiveAdmission(limits: LiveLimits): LiveAdmission {
  let total = 0;
  const byPrincipal = new Map<string, number>();
  return {
    open() {
      if (total >= limits.maxConnections) return undefined;
      total++;
      let principal: string | undefined;
      let released = false;
      return {
        claim(viewer) {
          const key = principalOf(viewer);
          if (key === undefined) return true;
          const held = byPrincipal.get(key) ?? 0;
          if (held >= limits.maxConnectionsPerUser) return false;
          byPrincipal.set(key, held + 1);
          principal = key;
          return true;
        },
        release() {
          if (released) return;
          released = true;
          total--;
          if (principal === undefined) return;
          const held = byPrincipal.get(principal)! - 1;
          if (held === 0) byPrincipal.delete(principal);
          else byPrincipal.set(principal, held);
        },
      };
    },
  };
}
