// The dialect reads parameters like every other: see ../shared/params.ts.
export * from '../shared/params.js';
