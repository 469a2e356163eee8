import { fmtShape } from '../tensor/shape.js';
import type { GradFn, Tensor } from '../tensor/tensor.js';
import { isGradEnabled } from './grad-mode.js';

/**
 * Maps the gradient of an op's output to the gradients of its inputs (same order; `null`
 * where an input gets none). Written with tensor ops; runs with recording off.
 */
export type BackwardFn = (grad: Tensor) => readonly (Tensor | null | undefined)[];

/** A recorded op in the autograd graph: PyTorch's `grad_fn`. */
export class Node implements GradFn {
  readonly name: string;
  inputs: readonly Tensor[];
  backwardFn: BackwardFn | null;
  saved: readonly Tensor[];
  savedVersions: readonly number[];
  /** The output tensor when it asked to keep its grad (retainGrad). */
  retained: Tensor | null = null;

  constructor(name: string, inputs: readonly Tensor[], backwardFn: BackwardFn, saved: readonly Tensor[]) {
    this.name = name;
    this.inputs = inputs;
    this.backwardFn = backwardFn;
    this.saved = saved;
    this.savedVersions = saved.map((t) => t._storage.version);
  }

  /** Throws PyTorch's error when a tensor saved for this node was modified in place. */
  checkSaved(): void {
    for (let i = 0; i < this.saved.length; i++) {
      const t = this.saved[i];
      if (t._storage.version !== this.savedVersions[i]) {
        throw new Error(
          `backward: one of the tensors needed for gradient computation has been modified by an in-place operation: ` +
            `${t.dtype} ${fmtShape(t.shape)} is at version ${t._storage.version}; expected version ${this.savedVersions[i]} ` +
            `(saved by ${this.name}). Avoid the in-place op or clone() the tensor first.`,
        );
      }
      if (t.isDisposed) {
        throw new Error(
          `backward: a tensor saved by ${this.name} (${t.dtype} ${fmtShape(t.shape)}) was disposed before backward(); ` +
            'do not dispose tensors of the graph (or tidy() them away) before calling backward()',
        );
      }
    }
  }

  release(): void {
    this.inputs = [];
    this.saved = [];
    this.savedVersions = [];
    this.backwardFn = null;
  }
}

/**
 * Records `out` as produced by op `name` from `inputs` when recording is on and an input
 * requires grad. `saved` lists tensors the backward reads, checked for in-place changes.
 * Returns `out`.
 */
export function record(
  name: string,
  out: Tensor,
  inputs: readonly Tensor[],
  backward: BackwardFn,
  saved: readonly Tensor[] = [],
): Tensor {
  if (!isGradEnabled()) return out;
  let any = false;
  for (let i = 0; i < inputs.length; i++) {
    if (inputs[i]._requiresGrad) {
      any = true;
      break;
    }
  }
  if (!any) return out;
  out._requiresGrad = true;
  out.gradFn = new Node(name, inputs, backward, saved);
  return out;
}

/** Whether `needsGrad` would record for these inputs (to skip saving work otherwise). */
export function anyRequiresGrad(inputs: readonly Tensor[]): boolean {
  if (!isGradEnabled()) return false;
  for (const t of inputs) if (t._requiresGrad) return true;
  return false;
}
