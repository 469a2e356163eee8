// The nn namespace: layers, containers, losses, init and functional ops.
// Each barrel below is owned by one area; add exports there, not here.
export * from './basic.js';
export * as functional from './functional/index.js';
export * from './losses/index.js';
export * from './sequence.js';
export * from './spatial.js';
