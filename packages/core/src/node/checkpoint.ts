import {
  ModelCheckpoint as CoreModelCheckpoint,
  type ModelCheckpointOptions,
} from '../train/callbacks/model-checkpoint.js';
import { save } from './io.js';

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
