// Node-only training callbacks, re-exported by `@proj/core/node`: the terminal progress bar,
// a CSV logger that writes a file, and a ModelCheckpoint that saves files with `save`.
import {
  ModelCheckpoint as CoreModelCheckpoint,
  type ModelCheckpointOptions,
} from '../train/callbacks/model-checkpoint.js';
import { save } from './io.js';

export type { FileCSVLoggerOptions } from './csv-logger.js';
export { CSVLogger } from './csv-logger.js';
export type { ProgressBarOptions, ProgressStream } from './progress-bar.js';
export { ProgressBar } from './progress-bar.js';

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
