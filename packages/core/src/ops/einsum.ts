// einsum, reduced to differentiable composites (diagonal, squeeze, sum, permute, reshape, mul,
// matmul) so its gradient, double backward included, needs no code of its own. The steps are
// PyTorch 1.13's (opt_einsum absent, as in the reference install): repeated subscripts of an
// operand take its diagonal, subscripts found in one operand only are summed there, and the
// operands are contracted pairwise from left to right — a broadcast multiply when no
// subscript is summed, else one (batched) matrix product. Following those steps also gives
// PyTorch's dtypes for integer operands (a per-operand sum of int32 is int64).
import { fmtShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { mul } from './binary.js';
import {
  type EinsumPlan,
  labelOf,
  parseEquation,
  type SublistEntry,
  sublistEquation,
} from './einsum-parse.js';
import { productOf } from './products.js';
import { sum } from './reduce.js';
import { permute, reshape, squeeze } from './shape.js';
import { checkTensor } from './util.js';
import { diagonal } from './view.js';

/** An operand on its way through the contraction: the tensor and the dim id of each of its dims. */
interface Operand {
  t: Tensor;
  ids: number[];
}

/**
 * Einstein summation, PyTorch's `torch.einsum`: `equation` names each operand's dims with
 * letters; letters shared by operands are multiplied along, letters left out of the output
 * (after `->`) are summed. `...` stands for broadcast dims; without `->` the output is the
 * `...` dims then the letters used once, in alphabetical order. Also takes the operands as one
 * array, and PyTorch's sublist form `einsum(a, [0, 1], b, [1, 2], [0, 2])`.
 *
 * ```ts
 * einsum('ij,jk->ik', a, b);      // matrix product
 * einsum('bij,bjk->bik', a, b);   // batched
 * einsum('ii', m);                // trace
 * einsum('i,j->ij', u, v);        // outer product
 * einsum('...ij->...ji', x);      // transpose of the last two dims
 * ```
 */
export function einsum(equation: string, ...operands: Tensor[]): Tensor;
export function einsum(equation: string, operands: readonly Tensor[]): Tensor;
export function einsum(...sublistForm: (Tensor | readonly SublistEntry[])[]): Tensor;
export function einsum(...args: unknown[]): Tensor {
  const [equation, operands] = einsumArgs(args);
  for (const [k, t] of operands.entries()) checkTensor('einsum', t, `operand ${k}`);
  const plan = parseEquation(
    equation,
    operands.map((t) => t.ndim),
  );
  return contract(plan, operands);
}

/** The equation and the operands of any of the three calling forms. */
function einsumArgs(args: readonly unknown[]): [string, Tensor[]] {
  if (typeof args[0] === 'string') {
    const rest = args.slice(1);
    const ops = rest.length === 1 && Array.isArray(rest[0]) ? (rest[0] as unknown[]) : rest;
    if (ops.length === 0) {
      throw new Error('einsum: must specify the equation string and at least one operand');
    }
    return [args[0], ops as Tensor[]];
  }
  if (args[0] instanceof Tensor) {
    // Sublist form: operand, sublist, operand, sublist, ..., optionally the output sublist.
    const ops: Tensor[] = [];
    const subs: (readonly SublistEntry[])[] = [];
    let i = 0;
    for (; i + 1 < args.length && args[i] instanceof Tensor; i += 2) {
      if (!Array.isArray(args[i + 1])) {
        throw new Error(`einsum: expected a sublist (an array of subscripts) after operand ${ops.length}`);
      }
      ops.push(args[i] as Tensor);
      subs.push(args[i + 1] as SublistEntry[]);
    }
    const out = args[i];
    if (i < args.length - 1 || (out !== undefined && !Array.isArray(out))) {
      throw new Error('einsum: the sublist form is einsum(op1, sublist1, op2, sublist2, ..., [sublistOut])');
    }
    return [sublistEquation(subs, out as SublistEntry[] | undefined), ops];
  }
  throw new Error(
    'einsum: must specify the equation string and at least one operand, or at least one operand and its subscripts list',
  );
}

/** Replaces repeated ids of one operand by their diagonal (appended last), as `'ii->i'` asks. */
function takeDiagonals(op: Operand, k: number): Operand {
  let { t, ids } = op;
  for (;;) {
    const j = ids.findIndex((id, a) => ids.indexOf(id) !== a);
    if (j < 0) return { t, ids };
    const first = ids.indexOf(ids[j]);
    if (t.shape[first] !== t.shape[j]) {
      throw new Error(
        `einsum: subscript ${labelOf(ids[j])} is repeated for operand ${k} but the sizes don't match, ${t.shape[first]} != ${t.shape[j]} (shape ${fmtShape(op.t.shape)})`,
      );
    }
    t = diagonal(t, 0, first, j);
    ids = [...ids.filter((_, a) => a !== first && a !== j), ids[j]];
  }
}

/** The size of every id over all operands: equal, or 1 where an operand broadcasts. */
function idSizes(ops: readonly Operand[]): Map<number, number> {
  const sizes = new Map<number, number>();
  ops.forEach(({ t, ids }, k) => {
    ids.forEach((id, d) => {
      const n = t.shape[d];
      const seen = sizes.get(id);
      if (seen === undefined || seen === 1) sizes.set(id, n);
      else if (n !== 1 && n !== seen) {
        const what = labelOf(id) === '...' ? 'a dim covered by the ellipsis' : `subscript ${labelOf(id)}`;
        throw new Error(
          `einsum: ${what} has size ${n} for operand ${k} (shape ${fmtShape(t.shape)}) which does not broadcast with previously seen size ${seen}`,
        );
      }
    });
  });
  return sizes;
}

/** Drops an operand's size-1 dims that broadcast against a larger size elsewhere. */
function squeezeBroadcast(op: Operand, sizes: Map<number, number>): Operand {
  const drop = op.ids.map((id, d) => op.t.shape[d] === 1 && sizes.get(id)! > 1);
  if (!drop.includes(true)) return op;
  return {
    t: squeeze(
      op.t,
      drop.flatMap((x, d) => (x ? [d] : [])),
    ),
    ids: op.ids.filter((_, d) => !drop[d]),
  };
}

/** Sums the dims of `op` whose ids are not in `keep`. */
function sumOut(op: Operand, keep: ReadonlySet<number>): Operand {
  const dims = op.ids.flatMap((id, d) => (keep.has(id) ? [] : [d]));
  if (dims.length === 0) return op;
  return { t: sum(op.t, dims), ids: op.ids.filter((id) => keep.has(id)) };
}

/** `op` permuted so its dims follow `order` (every id of `op`, once). */
function arrange(op: Operand, order: readonly number[]): Tensor {
  const perm = order.map((id) => op.ids.indexOf(id));
  return perm.every((p, i) => p === i) ? op.t : permute(op.t, perm);
}

/** Multiplies two operands along their shared ids, summing those not in `keep`. */
function contractPair(
  a: Operand,
  b: Operand,
  keep: ReadonlySet<number>,
  sizes: Map<number, number>,
): Operand {
  const inB = new Set(b.ids);
  const inA = new Set(a.ids);
  const shared = a.ids.filter((id) => inB.has(id));
  const batch = shared.filter((id) => keep.has(id));
  const summed = shared.filter((id) => !keep.has(id));
  const aOnly = a.ids.filter((id) => !inB.has(id));
  const bOnly = b.ids.filter((id) => !inA.has(id));
  const size = (ids: readonly number[]): number[] => ids.map((id) => sizes.get(id)!);
  const prod = (ids: readonly number[]): number => size(ids).reduce((x, y) => x * y, 1);
  const ids = [...batch, ...aOnly, ...bOnly];
  if (summed.length === 0) {
    // A broadcast product: [batch, aOnly, 1...] * [batch, 1..., bOnly].
    const ta = reshape(arrange(a, [...batch, ...aOnly]), [
      ...size(batch),
      ...size(aOnly),
      ...bOnly.map(() => 1),
    ]);
    const tb = reshape(arrange(b, [...batch, ...bOnly]), [
      ...size(batch),
      ...aOnly.map(() => 1),
      ...size(bOnly),
    ]);
    return { t: mul(ta, tb), ids };
  }
  // One batched matrix product: [batch, M, K] @ [batch, K, N].
  const [M, K, N] = [prod(aOnly), prod(summed), prod(bOnly)];
  const ta = reshape(arrange(a, [...batch, ...aOnly, ...summed]), [...size(batch), M, K]);
  const tb = reshape(arrange(b, [...batch, ...summed, ...bOnly]), [...size(batch), K, N]);
  return { t: reshape(productOf('einsum', ta, tb), size(ids)), ids };
}

/** Runs a parsed equation. */
function contract(plan: EinsumPlan, operands: readonly Tensor[]): Tensor {
  let ops = operands.map((t, k) => takeDiagonals({ t, ids: plan.inputs[k] }, k));
  const sizes = idSizes(ops);
  ops = ops.map((op) => squeezeBroadcast(op, sizes));
  const output = new Set(plan.output);
  // Ids needed after operand k: the output's and those of the operands after k.
  const keepAfter = ops.map((_, k) => new Set([...output, ...ops.slice(k + 1).flatMap((o) => o.ids)]));
  // Ids found in one operand only (and not in the output) are summed in that operand first.
  ops = ops.map((op, k) =>
    sumOut(op, new Set([...output, ...ops.flatMap((o, j) => (j === k ? [] : o.ids))])),
  );
  let acc = ops[0];
  for (let k = 1; k < ops.length; k++) acc = contractPair(acc, ops[k], keepAfter[k], sizes);
  acc = sumOut(acc, output);
  return arrange(acc, plan.output);
}
