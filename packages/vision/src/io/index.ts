/**
 * Image files (Node): PNG through pngjs, JPEG through jpeg-js.
 *
 * @module
 */
export { decodeJpeg, encodeJpeg, isJpeg } from './jpeg.js';
export { decodePng, encodePng, isPng } from './png.js';
export { decodeImage, readImage } from './read-image.js';
