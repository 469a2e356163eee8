// Value checks that need the data: on a synchronous backend they read at once and throw; on an
// asynchronous one (onnx-web) the backend holds the check and throws from the next read, as a
// CUDA device-side assert surfaces at PyTorch's next synchronization. Either way a value the
// check guards is never seen without the error.
import { noGrad } from '../autograd/grad-mode.js';
import { tidy } from '../tensor/scope.js';
import type { Tensor } from '../tensor/tensor.js';
import { all } from './reduce-logical.js';

/**
 * @internal Throws `message()` unless every element of the bool tensor `cond()` is true:
 * now on a backend that reads synchronously, at the next read on one that does not.
 * `cond` runs without recording gradients; its intermediates are freed at once.
 */
export function checkOnDevice(cond: () => Tensor, message: () => string): void {
  const ok = noGrad(() => tidy(() => all(cond())));
  const backend = ok._backend;
  if (backend.readsSync === false && backend.deferCheck) {
    backend.deferCheck(ok, message);
    ok.dispose();
    return;
  }
  const holds = Boolean(ok.item());
  ok.dispose();
  if (!holds) throw new Error(message());
}
