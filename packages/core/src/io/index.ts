export { saveSafetensors } from './safetensors-write.js';
export type { SaveSafetensorsOptions } from './safetensors-write.js';
export { loadSafetensors, readSafetensorsHeader, safetensorsMetadata } from './safetensors-read.js';
export type { LoadSafetensorsOptions } from './safetensors-read.js';
export type { SafetensorsDType, SafetensorsHeader, SafetensorsTensorInfo } from './safetensors-format.js';
