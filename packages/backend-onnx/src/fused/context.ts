// State shared by the emitters of a fused training graph: the graph, the graph input of each
// parameter, and the gradient accumulated for it by the backward pass.
import type { Tensor } from '@proj/core';
import type { GraphBuilder } from '../proto/graph-builder.js';

/** A float32 value of the training graph and its (static) shape. */
export interface Value {
  readonly name: string;
  readonly shape: readonly number[];
}

/** Graph, parameter inputs and gradients of one training graph. */
export class TrainContext {
  private readonly gradOf = new Map<Tensor, string>();

  constructor(
    readonly g: GraphBuilder,
    /** The graph input holding each parameter (declared before any layer is emitted). */
    private readonly paramInputs: ReadonlyMap<Tensor, string>,
  ) {}

  /** The graph input of parameter `p`. */
  param(p: Tensor): string {
    const name = this.paramInputs.get(p);
    if (!name)
      throw new Error('compileTrainStep: internal: a layer uses a parameter the model does not list');
    return name;
  }

  /** Records `grad` as (a part of) the gradient of `p`; a parameter used twice gets the sum. */
  addGrad(p: Tensor, grad: string): void {
    const known = this.gradOf.get(p);
    this.gradOf.set(p, known ? this.op('Add', [known, grad]) : grad);
  }

  /** The gradient of `p`, or undefined when no layer produced one. */
  grad(p: Tensor): string | undefined {
    return this.gradOf.get(p);
  }

  /** One-output node with a fresh name. */
  op(opType: string, inputs: readonly string[], attrs: Parameters<GraphBuilder['op']>[2] = {}): string {
    return this.g.op(opType, inputs, attrs);
  }

  /** A float32 scalar constant. */
  scalar(v: number): string {
    return this.g.scalar(v, 'c');
  }

  /** Reshape to fixed `shape`. */
  reshape(x: string, shape: readonly number[]): string {
    return this.op('Reshape', [x, this.g.int64s(shape, 'shape')]);
  }

  /** ReduceSum over `axes` (dropped). */
  sum(x: string, axes: readonly number[]): string {
    return this.op('ReduceSum', [x, this.g.int64s(axes, 'axes')], { keepdims: 0 });
  }
}
