// @proj/core/node: Node-only helpers (file system, terminal); the main entry stays browser-safe.

export type { AtomicFs } from './node/atomic-write.js';
export { writeFileAtomic, writeFileAtomicSync } from './node/atomic-write.js';
export * from './node/io.js';
export * from './node/progress.js';
