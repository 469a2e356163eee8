import { keep, tidy } from '../tensor/scope.js';
import { fmtShape, shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { noGrad } from './grad-mode.js';
import { Node, type NodeGroup } from './node.js';

/** Options of {@link backward}. */
export interface BackwardOptions {
  /** Keep the graph so backward can run through it again (PyTorch's retain_graph). */
  retainGraph?: boolean;
}

/** Live tensors that the hooks below need: ops are plugged in to keep this layer free of them. */
export interface GradOps {
  onesLike(t: Tensor): Tensor;
  add(a: Tensor, b: Tensor): Tensor;
  addInPlace(target: Tensor, g: Tensor): void;
  clone(t: Tensor): Tensor;
  cast(t: Tensor, like: Tensor): Tensor;
}

let ops: GradOps | undefined;

/** @internal Called once by the ops layer. */
export function setGradOps(o: GradOps): void {
  ops = o;
}

/**
 * Computes the gradient of `root` with respect to every leaf that requires grad and
 * accumulates it into the leaves' `.grad` (PyTorch's `tensor.backward()`). `grad` is the
 * gradient of some scalar w.r.t. `root`; it may be omitted only for one-element roots.
 * The graph is freed afterwards unless `retainGraph`.
 */
export function backward(root: Tensor, grad?: Tensor, opts: BackwardOptions = {}): void {
  root._check('backward');
  root._freshen();
  if (!root._requiresGrad) {
    throw new Error(
      'backward: the tensor does not require grad and has no grad_fn (did you call requiresGrad_() on the inputs?)',
    );
  }
  if (grad === undefined && root.numel() !== 1) {
    throw new Error(
      `backward: grad can be implicitly created only for scalar outputs, got shape ${fmtShape(root.shape)}; pass a gradient of that shape`,
    );
  }
  if (grad !== undefined) {
    grad._check('backward');
    if (!shapesEqual(grad.shape, root.shape)) {
      throw new Error(
        `backward: gradient shape ${fmtShape(grad.shape)} does not match the tensor's shape ${fmtShape(root.shape)}`,
      );
    }
    if (grad.device !== root.device) {
      throw new Error(
        `backward: gradient is on ${grad.device} but the tensor is on ${root.device} (use .to())`,
      );
    }
  }
  const o = ops!;
  noGrad(() =>
    tidy(() => {
      const seed =
        grad === undefined ? o.onesLike(root) : grad.dtype === root.dtype ? grad : o.cast(grad, root);
      const assigned = new Set<Tensor>();
      const toLeaf = (leaf: Tensor, g: Tensor): void => {
        if (!leaf._requiresGrad) return;
        const gg = g.dtype === leaf.dtype ? g : o.cast(g, leaf);
        if (leaf.grad && !leaf.grad.isDisposed) {
          o.addInPlace(leaf.grad, gg);
        } else {
          // A grad tensor is owned by one leaf: copy when it is shared or user-provided.
          const own =
            assigned.has(gg) || gg === grad || gg._storage.refs > 1 || !gg._dense ? o.clone(gg) : gg;
          assigned.add(own);
          leaf.grad = keep(own);
        }
      };
      const rootFn = root.gradFn as Node | null;
      if (rootFn === null) {
        toLeaf(root, seed);
        return;
      }
      const order = topoOrder(rootFn);
      const grads = new Map<Node, Tensor>();
      grads.set(rootFn, seed);
      // Multi-output ops: how many of their outputs' nodes are still ahead, and the grads so far.
      const pending = new Map<NodeGroup, number>();
      const slots = new Map<NodeGroup, { grads: (Tensor | null)[]; nodes: Node[] }>();
      for (const node of order) {
        const grp = node.group;
        if (grp !== null) pending.set(grp, (pending.get(grp) ?? 0) + 1);
      }
      const propagate = (from: Node | NodeGroup, inputGrads: BackwardResult): void => {
        const { name, inputs, edges, needs } = from;
        for (let i = 0; i < inputs.length; i++) {
          const gi = inputGrads[i];
          const inp = inputs[i];
          if (!gi || !needs[i]) continue;
          if (!shapesEqual(gi.shape, inp.shape)) {
            throw new Error(
              `backward: ${name} returned a gradient of shape ${fmtShape(gi.shape)} for an input of shape ${fmtShape(inp.shape)}`,
            );
          }
          const fn = edges[i];
          if (fn === null) toLeaf(inp, gi);
          else {
            const prev = grads.get(fn);
            grads.set(fn, prev === undefined ? gi : o.add(prev, gi));
          }
        }
      };
      for (const node of order) {
        const g = grads.get(node);
        grads.delete(node);
        const grp = node.group;
        if (grp !== null) {
          // One output of a multi-output op: park its gradient; the op's backward runs once,
          // when the last of its outputs in this graph has been reached.
          let parked = slots.get(grp);
          if (g !== undefined) {
            if (node.released || grp.backwardFn === null) throw secondTime(node.name);
            if (node.retained) toLeaf(node.retained, g);
            if (parked === undefined) {
              parked = { grads: new Array<Tensor | null>(grp.size).fill(null), nodes: [] };
              slots.set(grp, parked);
            }
            parked.grads[node.index] = g;
            parked.nodes.push(node);
          }
          const left = pending.get(grp)! - 1;
          pending.set(grp, left);
          if (left === 0 && parked !== undefined) {
            grp.checkSaved();
            propagate(grp, grp.backwardFn!(parked.grads));
            // Released only now: releasing the last live output also releases the group.
            if (!opts.retainGraph) for (const n of parked.nodes) n.release();
          }
          continue;
        }
        if (g === undefined) continue;
        if (node.backwardFn === null) throw secondTime(node.name);
        node.checkSaved();
        if (node.retained) toLeaf(node.retained, g);
        propagate(node, node.backwardFn(g));
        if (!opts.retainGraph) node.release();
      }
    }),
  );
}

type BackwardResult = readonly (Tensor | null | undefined)[];

function secondTime(name: string): Error {
  return new Error(
    `backward: trying to backward through the graph a second time (${name} was freed); ` +
      'pass { retainGraph: true } to the first backward() if you need to',
  );
}

/** Nodes reachable from `root`, each before the nodes it feeds into (reverse post-order DFS). */
function topoOrder(root: Node): Node[] {
  const visited = new Set<Node>();
  const post: Node[] = [];
  const stack: [Node, number][] = [[root, 0]];
  visited.add(root);
  while (stack.length) {
    const top = stack[stack.length - 1];
    const [node, i] = top;
    if (i < node.edges.length) {
      top[1]++;
      const fn = node.edges[i];
      if (fn !== null && !visited.has(fn)) {
        visited.add(fn);
        stack.push([fn, 0]);
      }
    } else {
      stack.pop();
      post.push(node);
    }
  }
  return post.reverse();
}

/** Makes a non-leaf tensor keep its gradient in `.grad` during backward (PyTorch's retain_grad). */
export function retainGrad(t: Tensor): void {
  const fn = t.gradFn as Node | null;
  if (fn instanceof Node) fn.retained = t;
}
