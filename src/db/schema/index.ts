export * from './apps.js';
export * from './accounts.js';
export * from './presence.js';
