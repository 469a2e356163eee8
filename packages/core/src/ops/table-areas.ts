// Every area file of the op table (ops/table.ts), re-exported: their functions are public
// (index.ts re-exports this file) and importing them registers their entries and Tensor methods.
// A new area file gets one line here.

export * from './clamp-bounds.js';
export * from './closeness.js';
export * from './cumulative.js';
export * from './exp-log.js';
export * from './flip.js';
export * from './float-class.js';
export * from './histogram.js';
export * from './lerp.js';
export * from './linalg-ops.js';
export * from './pointwise.js';
export * from './reduce-logical.js';
export * from './reduce-nan.js';
export * from './reduce-norm.js';
export * from './reduce-stats.js';
export * from './repeat.js';
export * from './rounding.js';
export * from './triangular.js';
export * from './trig.js';
export * from './unique.js';
