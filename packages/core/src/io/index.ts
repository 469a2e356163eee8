export type { IndexedDBOptions } from './browser-storage.js';
export {
  deleteFromIndexedDB,
  download,
  listIndexedDB,
  loadFromIndexedDB,
  saveToIndexedDB,
} from './browser-storage.js';
export type { CheckpointInput } from './checkpoint.js';
export { decodeCheckpoint, encodeCheckpoint } from './checkpoint.js';
export type { SafetensorsDType, SafetensorsHeader, SafetensorsTensorInfo } from './safetensors-format.js';
export { ST_ITEM_SIZE } from './safetensors-format.js';
export type { LoadSafetensorsOptions } from './safetensors-read.js';
export { loadSafetensors, readSafetensorsHeader, safetensorsMetadata } from './safetensors-read.js';
export type { SaveSafetensorsOptions } from './safetensors-write.js';
export { saveSafetensors } from './safetensors-write.js';
