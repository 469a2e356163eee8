// The one backward engine behind `backward()`, `autograd.grad()` and everything built on them
// (gradcheck, gradgradcheck, autograd.functional). It walks the recorded graph once, in
// reverse topological order, from one or more roots.
import { keep, tidy } from '../tensor/scope.js';
import { fmtShape, shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { anomalyCheck, isAnomalyEnabled } from './anomaly.js';
import { enableGrad, noGrad } from './grad-mode.js';
import { applyHooks } from './hooks.js';
import { Node, type NodeGroup, record } from './node.js';

/** Live tensor ops the engine needs: plugged in by the ops layer to keep this layer free of them. */
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

/** @internal */
export function gradOps(): GradOps {
  return ops!;
}

/** How one engine run treats the gradients it computes. */
export interface EngineOptions {
  retainGraph: boolean;
  /** Record the backward pass itself, so the gradients can be differentiated again. */
  createGraph: boolean;
  /**
   * The tensors whose gradients are wanted (leaves or not); null means every leaf that
   * requires grad. Only the part of the graph that leads to them runs.
   */
  targets: readonly Tensor[] | null;
  /** Accumulate into `.grad` (backward) or return the targets' gradients (autograd.grad). */
  accumulate: boolean;
}

type BackwardResult = readonly (Tensor | null | undefined)[];

/**
 * Runs backward from `roots`, each seeded with its gradient (made by `makeSeeds` inside the pass), and returns the gradient of each
 * target (null where none flowed) when `targets` are given.
 */
export function runBackward(
  roots: readonly Tensor[],
  makeSeeds: () => readonly Tensor[],
  opts: EngineOptions,
): (Tensor | null)[] {
  // Without createGraph the pass records nothing and frees every intermediate it makes. With
  // it, the gradients carry a graph that references intermediates of this pass: they are left
  // to the enclosing scope (or the garbage collector), as the gradients themselves are.
  if (opts.createGraph) return enableGrad(() => engine(roots, makeSeeds(), opts));
  return noGrad(() => tidy(() => engine(roots, makeSeeds(), opts)));
}

function engine(roots: readonly Tensor[], seeds: readonly Tensor[], opts: EngineOptions): (Tensor | null)[] {
  const o = ops!;
  const { createGraph, retainGraph, targets, accumulate } = opts;
  // Leaves (and retained non-leaves) collect their contributions here; hooks and accumulation
  // run once per tensor on the sum, as PyTorch's AccumulateGrad does.
  const leafGrads = new Map<Tensor, Tensor>();
  const targetSet = targets === null ? null : new Set(targets);
  const targetNodes = new Map<Node, Tensor[]>();
  for (const t of targets ?? []) {
    const fn = t.gradFn;
    if (fn instanceof Node) {
      const list = targetNodes.get(fn);
      if (list === undefined) targetNodes.set(fn, [t]);
      else list.push(t);
    }
  }
  const captured = new Map<Tensor, Tensor>();
  const sum = (a: Tensor | undefined, b: Tensor): Tensor => (a === undefined ? b : o.add(a, b));
  const toLeaf = (leaf: Tensor, g: Tensor): void => {
    if (!leaf._requiresGrad) return;
    if (targetSet !== null && !targetSet.has(leaf)) return;
    leafGrads.set(leaf, sum(leafGrads.get(leaf), g));
  };

  const rootNodes: Node[] = [];
  const grads = new Map<Node, Tensor>();
  for (let i = 0; i < roots.length; i++) {
    const fn = roots[i].gradFn;
    if (fn instanceof Node) {
      rootNodes.push(fn);
      grads.set(fn, sum(grads.get(fn), seeds[i]));
    } else toLeaf(roots[i], seeds[i]);
  }
  const order = topoOrder(rootNodes);
  const runs = targets === null ? null : reachesTargets(order, targetSet!, targetNodes);

  // Multi-output ops: how many of their outputs' nodes are still ahead, and the grads so far.
  const pending = new Map<NodeGroup, number>();
  const slots = new Map<NodeGroup, { grads: (Tensor | null)[]; nodes: Node[] }>();
  for (const node of order) {
    const grp = node.group;
    if (grp !== null) pending.set(grp, (pending.get(grp) ?? 0) + 1);
  }
  const propagate = (
    from: Node | NodeGroup,
    upstream: readonly (Tensor | null)[],
    inputGrads: BackwardResult,
  ): void => {
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
      // A gradient is linear in the incoming one: when that carries a graph and this one does
      // not, the op's backward ran outside autograd and its second derivative would be wrong.
      if (createGraph && !from.zeroGradient && !gi._requiresGrad && upstream.some((u) => u?._requiresGrad)) {
        throw new Error(
          `backward: double backward is not supported by ${name} (its backward is not recorded); ` +
            'createGraph cannot differentiate through it',
        );
      }
      const fn = edges[i];
      if (fn === null) toLeaf(inp, gi);
      else grads.set(fn, sum(grads.get(fn), gi));
    }
  };
  const runNode = (
    from: Node | NodeGroup,
    upstream: readonly (Tensor | null)[],
    call: () => BackwardResult,
  ): void => {
    from.checkSaved();
    const result = from.onceDifferentiable && createGraph ? onceDifferentiable(from, upstream, call) : call();
    if (isAnomalyEnabled()) anomalyCheck(from, result);
    propagate(from, upstream, result);
  };

  for (const node of order) {
    let g = grads.get(node);
    grads.delete(node);
    if (g !== undefined && node.hooks !== null) g = applyHooks(node.hooks, g);
    if (g !== undefined) {
      const wanted = targetNodes.get(node);
      if (wanted !== undefined) for (const t of wanted) captured.set(t, g);
    }
    const runsHere = runs === null || runs.has(node);
    const grp = node.group;
    if (grp !== null) {
      // One output of a multi-output op: park its gradient; the op's backward runs once,
      // when the last of its outputs in this graph has been reached.
      let parked = slots.get(grp);
      if (g !== undefined && runsHere) {
        if (node.released || grp.backwardFn === null) throw secondTime(node.name);
        if (node.retained && accumulate) toLeaf(node.retained, g);
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
        const gs = parked.grads;
        runNode(grp, gs, () => grp.backwardFn!(gs));
        // Released only now: releasing the last live output also releases the group.
        if (!retainGraph) for (const n of parked.nodes) n.release();
      }
      continue;
    }
    if (g === undefined || !runsHere) continue;
    if (node.backwardFn === null) throw secondTime(node.name);
    if (node.retained && accumulate) toLeaf(node.retained, g);
    const gNode = g;
    runNode(node, [gNode], () => node.backwardFn!(gNode));
    if (!retainGraph) node.release();
  }

  // Leaf hooks, then accumulation into .grad or capture for autograd.grad.
  const assigned = new Set<Tensor>();
  for (const [leaf, total] of leafGrads) {
    const g = leaf._gradHooks !== null ? applyHooks(leaf._gradHooks, total) : total;
    if (!accumulate) captured.set(leaf, g);
    else accumulateGrad(leaf, g, createGraph, seeds, assigned);
  }
  return (targets ?? []).map((t) => captured.get(t) ?? null);
}

/** Adds `g` into `leaf.grad`, as PyTorch's AccumulateGrad does. */
function accumulateGrad(
  leaf: Tensor,
  grad: Tensor,
  createGraph: boolean,
  seeds: readonly Tensor[],
  assigned: Set<Tensor>,
): void {
  const o = ops!;
  const g = grad.dtype === leaf.dtype ? grad : o.cast(grad, leaf);
  const prev = leaf.grad;
  if (prev !== null && !prev.isDisposed) {
    // With createGraph the sum is out of place, so it is recorded and `prev` stays valid.
    if (createGraph) leaf.grad = keep(o.add(prev, g));
    else o.addInPlace(prev, g);
    return;
  }
  // A grad tensor is owned by one leaf: copy when it may be shared or was user-provided.
  const own = assigned.has(g) || seeds.includes(g) || g._storage.refs > 1 || !g._dense ? o.clone(g) : g;
  assigned.add(own);
  leaf.grad = keep(own);
}

/**
 * PyTorch's `once_differentiable`: the backward runs unrecorded; where its result would need
 * a graph, that graph is one node whose own backward is a clear error.
 */
function onceDifferentiable(
  from: Node | NodeGroup,
  upstream: readonly (Tensor | null)[],
  call: () => BackwardResult,
): BackwardResult {
  const result = noGrad(call);
  const sources = [...upstream.filter((u): u is Tensor => u !== null), ...from.saved, ...from.inputs];
  return result.map((gi) =>
    gi
      ? record(`${from.name}Backward`, gi, sources, () => {
          throw new Error(
            `backward: double backward through ${from.name} is not implemented ` +
              '(its backward is differentiable only once)',
          );
        })
      : gi,
  );
}

/**
 * The nodes whose backward must run to reach a target: those with an edge into a target
 * leaf, a target node, or another such node. `order` has every node before its inputs'.
 */
function reachesTargets(
  order: readonly Node[],
  targetSet: ReadonlySet<Tensor>,
  targetNodes: ReadonlyMap<Node, unknown>,
): Set<Node> {
  const runs = new Set<Node>();
  const groupRuns = new Set<NodeGroup>();
  for (let k = order.length - 1; k >= 0; k--) {
    const node = order[k];
    const from = node.group ?? node;
    const { edges, inputs } = from;
    // A freed node "runs", so that the engine reports the second backward instead of no path.
    let reaches = node.released || (node.group !== null && groupRuns.has(node.group));
    for (let i = 0; i < edges.length && !reaches; i++) {
      const e = edges[i];
      reaches = e === null ? targetSet.has(inputs[i]) : targetNodes.has(e) || runs.has(e);
    }
    if (reaches) {
      runs.add(node);
      if (node.group !== null) groupRuns.add(node.group);
    }
  }
  // Every output node of a running group runs (each contributes its gradient to the group).
  if (groupRuns.size > 0) for (const n of order) if (n.group !== null && groupRuns.has(n.group)) runs.add(n);
  return runs;
}

function secondTime(name: string): Error {
  return new Error(
    `backward: trying to backward through the graph a second time (${name} was freed); ` +
      'pass { retainGraph: true } to the first backward() if you need to',
  );
}

/** Nodes reachable from `roots`, each before the nodes it feeds into (reverse post-order DFS). */
function topoOrder(roots: readonly Node[]): Node[] {
  const visited = new Set<Node>();
  const post: Node[] = [];
  for (const root of roots) {
    if (visited.has(root)) continue;
    visited.add(root);
    const stack: [Node, number][] = [[root, 0]];
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
  }
  return post.reverse();
}
