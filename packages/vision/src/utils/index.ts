/**
 * torchvision.utils, browser-safe part (saveImage writes files: '@proj/vision/node').
 *
 * @module
 */
export type { MakeGridOptions } from './make-grid.js';
export { makeGrid } from './make-grid.js';
