import { fmtShape } from '../tensor/shape.js';
import type { GradFn, Tensor } from '../tensor/tensor.js';
import { forwardStack } from './anomaly.js';
import { isGradEnabled } from './grad-mode.js';
import type { HookList } from './hooks.js';

/** How an op's backward may be used (see {@link record}). */
export interface RecordOptions {
  /**
   * The backward runs outside autograd (a raw kernel), so it cannot be differentiated again:
   * with `createGraph`, differentiating its result is a clear error, never a wrong number.
   */
  onceDifferentiable?: boolean;
  /**
   * The backward returns constant zeros (PyTorch's `zeros_like`), independent of the incoming
   * gradient: under createGraph they are correctly constants, not a backward that left autograd.
   */
  zeroGradient?: boolean;
}

/**
 * Maps the gradient of an op's output to the gradients of its inputs (same order; `null`
 * where an input gets none). Written with differentiable tensor ops: it runs unrecorded, or recorded under `createGraph`
 * (double backward); an op whose backward cannot be records with `onceDifferentiable`.
 */
export type BackwardFn = (grad: Tensor) => readonly (Tensor | null | undefined)[];

/**
 * Maps the gradients of every output of a multi-output op (`null` for an output that got
 * none) to the gradients of its inputs. Written with differentiable tensor ops: it runs unrecorded, or recorded under `createGraph`
 * (double backward); an op whose backward cannot be records with `onceDifferentiable`.
 */
export type MultiBackwardFn = (grads: readonly (Tensor | null)[]) => readonly (Tensor | null | undefined)[];

/** Throws PyTorch's error when a tensor saved by `name` was modified in place or disposed. */
function checkSavedTensors(name: string, saved: readonly Tensor[], versions: readonly number[]): void {
  for (let i = 0; i < saved.length; i++) {
    const t = saved[i];
    if (t._storage.version !== versions[i]) {
      throw new Error(
        `backward: one of the tensors needed for gradient computation has been modified by an in-place operation: ` +
          `${t.dtype} ${fmtShape(t.shape)} is at version ${t._storage.version}; expected version ${versions[i]} ` +
          `(saved by ${name}). Avoid the in-place op or clone() the tensor first.`,
      );
    }
    if (t.isDisposed) {
      throw new Error(
        `backward: a tensor saved by ${name} (${t.dtype} ${fmtShape(t.shape)}) was disposed before backward(); ` +
          'do not dispose tensors of the graph (or tidy() them away) before calling backward()',
      );
    }
  }
}

/**
 * The shared backward of an op with several outputs (split, chunk). Each output keeps its
 * own {@link Node} as `grad_fn` (so retainGrad and in-place ops work per output); the
 * engine collects the outputs' gradients and runs `backwardFn` once, after the last output
 * it reaches, instead of one full-size gradient per output.
 */
export class NodeGroup {
  readonly name: string;
  inputs: readonly Tensor[];
  /** See {@link Node.edges}. */
  edges: readonly (Node | null)[];
  /** See {@link Node.needs}. */
  needs: readonly boolean[];
  backwardFn: MultiBackwardFn | null;
  saved: readonly Tensor[];
  savedVersions: readonly number[];
  /** Number of outputs. */
  readonly size: number;
  /** Outputs whose node is not released yet; the group is released with the last one. */
  live: number;
  readonly onceDifferentiable: boolean;
  readonly zeroGradient: boolean;
  /** The forward call's stack, kept in anomaly mode. */
  readonly forwardStack: string | null = forwardStack();

  constructor(
    name: string,
    inputs: readonly Tensor[],
    backwardFn: MultiBackwardFn,
    saved: readonly Tensor[],
    outputs: number,
    opts: RecordOptions = {},
  ) {
    this.name = name;
    this.inputs = inputs;
    this.edges = edgesOf(inputs);
    this.needs = inputs.map((t) => t._requiresGrad);
    this.backwardFn = backwardFn;
    this.saved = saved;
    this.savedVersions = saved.map((t) => t._storage.version);
    this.size = outputs;
    this.live = outputs;
    this.onceDifferentiable = opts.onceDifferentiable ?? false;
    this.zeroGradient = opts.zeroGradient ?? false;
  }

  checkSaved(): void {
    checkSavedTensors(this.name, this.saved, this.savedVersions);
  }

  release(): void {
    this.inputs = [];
    this.edges = [];
    this.needs = [];
    this.saved = [];
    this.savedVersions = [];
    this.backwardFn = null;
  }
}

/** A recorded op in the autograd graph: PyTorch's `grad_fn`. */
export class Node implements GradFn {
  readonly name: string;
  inputs: readonly Tensor[];
  /**
   * Each input's grad_fn when this node was recorded (PyTorch's edges). Gradients flow along
   * these, not along the inputs' current `gradFn`: an in-place op later gives a tensor new
   * history, which must not reroute gradients recorded before it.
   */
  edges: readonly (Node | null)[];
  /** Whether each input required grad when this node was recorded. */
  needs: readonly boolean[];
  /** Null once released, and always for an output of a {@link NodeGroup} (the group has it). */
  backwardFn: BackwardFn | null;
  saved: readonly Tensor[];
  savedVersions: readonly number[];
  /** The output tensor when it asked to keep its grad (retainGrad). */
  retained: Tensor | null = null;
  /** For an output of a multi-output op: the op's shared backward, and which output this is. */
  readonly group: NodeGroup | null;
  readonly index: number;
  released = false;
  /** Hooks on this output's gradient (`registerHook` on a non-leaf), run before the backward. */
  hooks: HookList | null = null;
  readonly onceDifferentiable: boolean;
  readonly zeroGradient: boolean;
  /** The forward call's stack, kept in anomaly mode. */
  readonly forwardStack: string | null;

  constructor(
    name: string,
    inputs: readonly Tensor[],
    backwardFn: BackwardFn | null,
    saved: readonly Tensor[],
    group: NodeGroup | null = null,
    index = 0,
    opts: RecordOptions = {},
  ) {
    this.name = name;
    this.inputs = inputs;
    this.edges = group !== null ? group.edges : edgesOf(inputs);
    this.needs = group !== null ? group.needs : inputs.map((t) => t._requiresGrad);
    this.backwardFn = backwardFn;
    this.saved = saved;
    this.savedVersions = saved.map((t) => t._storage.version);
    this.group = group;
    this.index = index;
    this.onceDifferentiable = group?.onceDifferentiable ?? opts.onceDifferentiable ?? false;
    this.zeroGradient = group?.zeroGradient ?? opts.zeroGradient ?? false;
    this.forwardStack = group !== null ? group.forwardStack : forwardStack();
  }

  /** Throws PyTorch's error when a tensor saved for this node was modified in place. */
  checkSaved(): void {
    checkSavedTensors(this.name, this.saved, this.savedVersions);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.inputs = [];
    this.edges = [];
    this.needs = [];
    this.saved = [];
    this.savedVersions = [];
    this.backwardFn = null;
    if (this.group !== null && --this.group.live === 0) this.group.release();
  }
}

function edgesOf(inputs: readonly Tensor[]): (Node | null)[] {
  return inputs.map((t) => (t.gradFn instanceof Node ? t.gradFn : null));
}

/**
 * Records `out` as produced by op `name` from `inputs` when recording is on and an input
 * requires grad. `saved` lists tensors the backward reads, checked for in-place changes.
 * Returns `out`. The low-level way to define an op's gradient (PyTorch's `derivatives.yaml`
 * entries); users usually write an `autograd.Function` instead.
 *
 * @example
 * ```ts
 * // y = x³ computed without recording, then given its gradient 3x²·g:
 * const y = record('CubeBackward', noGrad(() => x.mul(x).mul(x)), [x], (g) => [g.mul(x.mul(x)).mul(3)], [x]);
 * ```
 */
export function record(
  name: string,
  out: Tensor,
  inputs: readonly Tensor[],
  backward: BackwardFn,
  saved: readonly Tensor[] = [],
  opts: RecordOptions = {},
): Tensor {
  if (!anyRequiresGrad(inputs)) return out;
  out._requiresGrad = true;
  out.gradFn = new Node(name, inputs, backward, saved, null, 0, opts);
  return out;
}

/**
 * Records `outs` as the outputs of one op `name` with a shared backward (see
 * {@link NodeGroup}) when recording is on and an input requires grad. Returns `outs`.
 */
export function recordMulti(
  name: string,
  outs: readonly Tensor[],
  inputs: readonly Tensor[],
  backward: MultiBackwardFn,
  saved: readonly Tensor[] = [],
  opts: RecordOptions = {},
): readonly Tensor[] {
  if (!anyRequiresGrad(inputs)) return outs;
  const group = new NodeGroup(name, inputs, backward, saved, outs.length, opts);
  for (let i = 0; i < outs.length; i++) {
    outs[i]._requiresGrad = true;
    outs[i].gradFn = new Node(name, inputs, null, [], group, i);
  }
  return outs;
}

/** Whether {@link record} would record for these inputs (to skip saving work otherwise). */
export function anyRequiresGrad(inputs: readonly Tensor[]): boolean {
  if (!isGradEnabled()) return false;
  let any = false;
  for (const t of inputs) {
    t._freshen(); // a view whose base was written takes the base's new history
    if (t._requiresGrad) any = true;
  }
  return any;
}
