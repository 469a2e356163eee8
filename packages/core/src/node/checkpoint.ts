import { ModelCheckpoint as CoreModelCheckpoint, type SaveFn } from '../train/callbacks/model-checkpoint.js';
import { save } from './io.js';

/**
 * `train.ModelCheckpoint` that writes with `@proj/core/node`'s atomic `save` (one safetensors
 * file per checkpoint) unless another `saveFn` is given. Keras's parameters, as the core's:
 *
 * @throws Error when `filepath` is empty or an option is unknown or mistyped; a failed save
 *   rejects the epoch's hook (and so `fit`).
 *
 * @example
 * ```ts
 * import { ModelCheckpoint } from '@proj/core/node';
 *
 * new ModelCheckpoint('ckpt/best.safetensors', { monitor: 'val_loss', saveBestOnly: true })
 * new ModelCheckpoint({ filepath: 'ckpt/best.safetensors', monitor: 'val_loss', saveBestOnly: true })
 * ```
 */
export class ModelCheckpoint extends CoreModelCheckpoint {
  protected override defaultSaveFn(): SaveFn {
    return save;
  }
}
