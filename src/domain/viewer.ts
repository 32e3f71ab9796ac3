import { AuthenticationError, ForbiddenError } from './errors.js';

/** Who is calling. Every domain function that reads or writes app data takes one. */
export type Viewer =
  | { kind: 'anonymous' }
  | {
      kind: 'user';
      appId: string;
      userId: number;
      /** The token in use; an admin token acting as this user counts too. */
      tokenId: number;
      tokenExpiresAt: Date;
      deviceId: number | null;
      deviceSn: number | null;
      /** True when an admin token acts as this user. */
      viaAdmin: boolean;
    }
  | {
      kind: 'admin';
      appId: string;
      tokenId: number;
      tokenExpiresAt: Date;
      /** Set when the admin token acts as an admin of this group (REST header `group_id`). */
      actAsGroupAdminOf?: number;
    };

export type UserViewer = Extract<Viewer, { kind: 'user' }>;
export type AdminViewer = Extract<Viewer, { kind: 'admin' }>;

export function requireUser(viewer: Viewer): UserViewer {
  if (viewer.kind === 'user') return viewer;
  if (viewer.kind === 'admin') throw new ForbiddenError('an admin token must name the user it acts as');
  throw new AuthenticationError('TOKEN_MISSING', 'an access token is required');
}

export function requireAdmin(viewer: Viewer): AdminViewer {
  if (viewer.kind === 'admin') return viewer;
  if (viewer.kind === 'user') throw new ForbiddenError('an admin token is required');
  throw new AuthenticationError('TOKEN_MISSING', 'an access token is required');
}

/** The app a signed-in viewer belongs to. */
export function viewerApp(viewer: Viewer): string {
  if (viewer.kind === 'anonymous') throw new AuthenticationError('TOKEN_MISSING', 'an access token is required');
  return viewer.appId;
}

/** May the viewer see a user's private fields (private_info, settings, mobile, email)? */
export function canSeePrivate(viewer: Viewer, appId: string, userId: number): boolean {
  if (viewer.kind === 'admin') return viewer.appId === appId;
  return viewer.kind === 'user' && viewer.appId === appId && viewer.userId === userId;
}
