import DataLoader from 'dataloader';
import { findSettings, findUsers, type User, type UserSettings } from './domain/accounts/users.js';
import type { Credentials } from './domain/accounts/tokens.js';
import { cachedViewer } from './domain/accounts/viewers.js';
import type { Deps } from './domain/deps.js';
import { DomainError } from './domain/errors.js';
import { findReadyFiles, type ReadyFile } from './domain/files/model.js';
import { findMemberships, type Group, type GroupMember } from './domain/groups/access.js';
import { findGroups } from './domain/groups/groups.js';
import { readPositions } from './domain/messages/read.js';
import { onlineUsers } from './domain/presence.js';
import type { Viewer } from './domain/viewer.js';
import type { UrlBuilder } from './files/urls.js';

export interface Context {
  deps: Deps;
  viewer: Viewer;
  /** Why the presented credentials did not yield a viewer; reported by operations that need one. */
  authError: DomainError | undefined;
  loaders: Loaders;
  /** Where clients reach this server, for the file URLs handed out. */
  urls: UrlBuilder;
  /** Where the request came from (see client-address.ts): login budgets count per address. */
  clientAddress: string;
  /** The credentials presented (the token is not kept over WebSocket: the connection's viewer is). */
  credentials: Credentials;
  /**
   * Aborted when the operation's live streams must end: its session ended (revoked, expired), its
   * client left, or the server is stopping. Set for subscriptions.
   */
  liveUntil?: AbortSignal;
}

export interface Loaders {
  /** Forgets every cached row (a long-lived subscription calls it before each event). */
  clearAll(): void;
  user: DataLoader<number, User | undefined>;
  settings: DataLoader<number, UserSettings | undefined>;
  online: DataLoader<number, boolean>;
  /** Read positions of the members of a conversation, by conversation id. */
  reads: DataLoader<number, Map<number, number>>;
  /** Groups of the viewer's app by id, dissolved ones too. */
  group: DataLoader<number, Group | undefined>;
  /** The viewer's own membership, by group id. */
  viewerMembership: DataLoader<number, GroupMember | undefined>;
  /** File references of the viewer's app with their bytes, by reference id (no access check: callers decide). */
  file: DataLoader<number, ReadyFile | undefined>;
}

/**
 * Builds the per-request (or per-operation, over WebSocket) context: from the viewer a WebSocket
 * connection authenticated once, or from the presented credentials (through the process's short
 * cache of viewers).
 */
export async function createContext(deps: Deps, credentials: Credentials, urls: UrlBuilder, clientAddress: string, known?: Viewer): Promise<Context> {
  let viewer: Viewer = known ?? { kind: 'anonymous' };
  let authError: DomainError | undefined;
  if (!known) {
    try {
      viewer = await cachedViewer(deps, credentials);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      authError = error;
    }
  }
  return { deps, viewer, authError, loaders: new RequestLoaders(deps, viewer), urls, credentials, clientAddress };
}

/** The context of a viewer a connection already authenticated (no lookup: made synchronously). */
export function contextOfViewer(deps: Deps, viewer: Viewer, credentials: Credentials, urls: UrlBuilder, clientAddress: string): Context {
  return { deps, viewer, authError: undefined, loaders: new RequestLoaders(deps, viewer), urls, credentials, clientAddress };
}

/**
 * The request's loaders, each made on first use: a subscription's context lives as long as its
 * connection, and most operations touch one or two of them (bench: idle memory per subscriber).
 */
class RequestLoaders implements Loaders {
  private readonly made: Partial<Omit<Loaders, 'clearAll'>> = {};
  private readonly appId: string | undefined;

  constructor(
    private readonly deps: Deps,
    private readonly viewer: Viewer,
  ) {
    this.appId = viewer.kind === 'anonymous' ? undefined : viewer.appId;
  }

  clearAll() {
    for (const loader of Object.values(this.made)) loader.clearAll();
  }

  // Scoped to the viewer's app: another app's ids simply do not resolve.
  get user() {
    return (this.made.user ??= new DataLoader(async (ids) => {
      const rows = this.appId ? await findUsers(this.deps.db, this.appId, ids) : [];
      const byId = new Map(rows.map((u) => [u.id, u]));
      return ids.map((id) => byId.get(id));
    }));
  }

  get settings() {
    return (this.made.settings ??= new DataLoader(async (ids) => {
      const rows = await findSettings(this.deps.db, ids);
      const byId = new Map(rows.map((s) => [s.userId, s]));
      return ids.map((id) => byId.get(id));
    }));
  }

  get reads() {
    const { appId, deps } = this;
    return (this.made.reads ??= new DataLoader((ids) =>
      (appId ? readPositions(deps.db, appId, ids) : Promise.resolve(new Map())).then((m) => ids.map((id) => m.get(id) ?? new Map())),
    ));
  }

  get online() {
    return (this.made.online ??= new DataLoader(async (ids) => {
      const online = this.appId ? await onlineUsers(this.deps.db, this.deps.config.presenceTtlSeconds, this.appId, ids) : new Set<number>();
      return ids.map((id) => online.has(id));
    }));
  }

  get group() {
    return (this.made.group ??= new DataLoader(async (ids) => {
      const rows = this.appId ? await findGroups(this.deps.db, this.appId, ids) : [];
      const byId = new Map(rows.map((g) => [g.id, g]));
      return ids.map((id) => byId.get(id));
    }));
  }

  get file() {
    return (this.made.file ??= new DataLoader(async (ids) => {
      const rows = this.appId ? await findReadyFiles(this.deps.db, this.appId, ids) : [];
      const byId = new Map(rows.map((f) => [f.ref.id, f]));
      return ids.map((id) => byId.get(id));
    }));
  }

  get viewerMembership() {
    const viewer = this.viewer;
    return (this.made.viewerMembership ??= new DataLoader(async (groupIds) => {
      const rows = viewer.kind === 'user' ? await findMemberships(this.deps.db, viewer.appId, viewer.userId, groupIds) : [];
      const byGroup = new Map(rows.map((m) => [m.groupId, m]));
      return groupIds.map((id) => byGroup.get(id));
    }));
  }
}

/**
 * Reads credentials from HTTP headers: `Authorization: Bearer <token>`, and for admin tokens
 * `X-Act-As-User` or `X-Act-As-Group-Admin`.
 */
export function credentialsFromHeaders(headers: Headers): Credentials {
  const authorization = headers.get('authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(authorization);
  const actAs = headers.get('x-act-as-user') ?? undefined;
  const actAsGroupAdminOf = headers.get('x-act-as-group-admin') ?? undefined;
  return { token: match?.[1], actAsUserId: actAs, actAsGroupAdminOf };
}
