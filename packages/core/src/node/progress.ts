// Training callbacks for Node, re-exported by `@proj/core/node`: the progress bar, a CSV logger
// that writes a file, and a ModelCheckpoint that saves files with `save`.
import {
  ModelCheckpoint as CoreModelCheckpoint,
  type ModelCheckpointOptions,
} from '../train/callbacks/model-checkpoint.js';
import { save } from './io.js';

// The progress bar itself is browser-safe (it lives in train/); re-exported here as before.
export type { ProgressBarOptions, ProgressStream } from '../train/callbacks/progress-bar.js';
export { ProgressBar } from '../train/callbacks/progress-bar.js';
export type { FileCSVLoggerOptions } from './csv-logger.js';
export { CSVLogger } from './csv-logger.js';

/**
 * `train.ModelCheckpoint` that writes with `@proj/core/node`'s atomic `save` (one safetensors
 * file per checkpoint) unless another `saveFn` is given.
 *
 * ```ts
 * new ModelCheckpoint({ filepath: 'ckpt/best.safetensors', monitor: 'val_loss', saveBestOnly: true })
 * ```
 */
export class ModelCheckpoint extends CoreModelCheckpoint {
  constructor(opts: ModelCheckpointOptions) {
    super({ ...opts, saveFn: opts.saveFn ?? save });
  }
}
