/**
 * torchvision.utils for Node: makeGrid, and saveImage, which writes files.
 *
 * @module
 */
export * from './index.js';
export type { SaveImageOptions } from './save-image.js';
export { gridToImage, saveImage } from './save-image.js';
