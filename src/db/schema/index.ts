export * from './apps.js';
export * from './accounts.js';
