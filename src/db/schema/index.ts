export * from './apps.js';
export * from './accounts.js';
export * from './presence.js';
export * from './roster.js';
export * from './messages.js';
export * from './groups.js';
export * from './keys.js';
export * from './files.js';
