// Training callbacks for Node, re-exported by `@proj/core/node`: the progress bar, a CSV logger
// that writes a file, and a ModelCheckpoint that saves files with `save`.

// The progress bar itself is browser-safe (it lives in train/); re-exported here as before.
export type { ProgressBarOptions, ProgressStream } from '../train/callbacks/progress-bar.js';
export { ProgressBar } from '../train/callbacks/progress-bar.js';
export { ModelCheckpoint } from './checkpoint.js';
export type { FileCSVLoggerOptions } from './csv-logger.js';
export { CSVLogger } from './csv-logger.js';
