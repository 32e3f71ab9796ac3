import { accountRoutes } from './accounts.js';
import { fileRoutes } from './files.js';
import { messageRoutes } from './messages.js';
import { rosterRoutes } from './roster.js';
import { groupRoutes } from './groups.js';
import { pushRoutes } from './push.js';
import type { Route } from './types.js';
import { userRoutes } from './users.js';

/** Every route of the dialect served so far, one table. */
export const routes: Route[] = [...accountRoutes, ...userRoutes, ...rosterRoutes, ...messageRoutes, ...groupRoutes, ...fileRoutes, ...pushRoutes];
