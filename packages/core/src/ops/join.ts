import { record } from '../autograd/node.js';
import { CAT, STACK } from '../signature/tensor-functions.js';
import { promoteTypes } from '../tensor/dtype.js';
import { fmtShape, normDim, shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { binaryRaw } from './binary.js';
import { cast } from './convert.js';
import { narrow, padRaw, unsqueeze } from './shape.js';
import { checkSameDevice, checkTensor, wrap } from './util.js';

/** `dim` (default 0) positionally or by name: `cat(ts)`, `cat(ts, 1)`, `cat(ts, { dim: 1 })`. */
export type JoinRest =
  | [dim?: number]
  | [
      options: {
        /** The dim to join along (default 0). */
        dim?: number;
      },
    ];

/**
 * Concatenates tensors along `dim` (all other dims equal). PyTorch's `cat(tensors, dim=0, *,
 * out=None)`: `cat(ts, 1)` or `cat(ts, { dim: 1 })`; `out` is refused.
 */
export function cat(tensors: readonly Tensor[], ...rest: JoinRest): Tensor {
  const a = CAT.parse<{ tensors: readonly Tensor[]; dim?: number }>([tensors, ...rest]);
  return catImpl(a.tensors, a.dim ?? 0);
}

function catImpl(tensors: readonly Tensor[], dim: number): Tensor {
  if (!tensors || tensors.length === 0) throw new Error('cat: expected a non-empty array of tensors');
  for (let i = 0; i < tensors.length; i++) checkTensor('cat', tensors[i], `tensors[${i}]`);
  // PyTorch skips 1-D empty tensors for backward compatibility.
  const parts = tensors.filter((t) => !(t.ndim === 1 && t.shape[0] === 0));
  if (parts.length === 0) return tensors[0];
  const first = parts[0];
  const d = normDim('cat', dim, first.ndim);
  let dtype = first.dtype;
  for (const t of parts) {
    checkSameDevice('cat', first, t);
    dtype = promoteTypes(dtype, t.dtype);
    const ok = t.ndim === first.ndim && t.shape.every((s, i) => i === d || s === first.shape[i]);
    if (!ok) {
      throw new Error(
        `cat: sizes of tensors must match except in dim ${d}: ${parts.map((p) => fmtShape(p.shape)).join(', ')}`,
      );
    }
  }
  const xs = parts.map((t) => (t.dtype === dtype ? t : cast(t, dtype)));
  const total = xs.reduce((a, t) => a + t.shape[d], 0);
  const shape = [...first.shape];
  shape[d] = total;
  let y: Tensor;
  const b = first._backend;
  if (xs.length === 1) {
    y = wrap(
      first,
      b.slice(
        xs[0],
        shape.map(() => 0),
        shape,
        shape.map(() => 1),
      ),
      shape,
      dtype,
    );
  } else if (b.concat) {
    y = wrap(first, b.concat(xs, d), shape, dtype);
  } else {
    // Composite: pad each part into place and add (bool parts are or-ed).
    let at = 0;
    let acc: Tensor | null = null;
    for (const t of xs) {
      const pads = t.shape.map(
        (_, i) => (i === d ? [at, total - at - t.shape[d]] : [0, 0]) as [number, number],
      );
      const p = padRaw(t, pads, 0);
      acc = acc === null ? p : binaryRaw(dtype === 'bool' ? 'logicalOr' : 'add', acc, p);
      at += t.shape[d];
    }
    y = acc!;
  }
  return record('CatBackward', y, xs, (g) => {
    let at = 0;
    return xs.map((t) => {
      const part = t._requiresGrad ? narrow(g, d, at, t.shape[d]) : null;
      at += t.shape[d];
      return part;
    });
  });
}

/**
 * Stacks same-shape tensors along a new dim `dim`. PyTorch's `stack(tensors, dim=0, *,
 * out=None)`: `stack(ts, 1)` or `stack(ts, { dim: 1 })`; `out` is refused.
 */
export function stack(tensors: readonly Tensor[], ...rest: JoinRest): Tensor {
  const a = STACK.parse<{ tensors: readonly Tensor[]; dim?: number }>([tensors, ...rest]);
  return stackImpl(a.tensors, a.dim ?? 0);
}

function stackImpl(tensors: readonly Tensor[], dim: number): Tensor {
  if (!tensors || tensors.length === 0) throw new Error('stack: expected a non-empty array of tensors');
  for (let i = 0; i < tensors.length; i++) checkTensor('stack', tensors[i], `tensors[${i}]`);
  const first = tensors[0];
  for (const t of tensors) {
    if (!shapesEqual(t.shape, first.shape)) {
      throw new Error(
        `stack: expects each tensor to be equal size, got ${tensors.map((p) => fmtShape(p.shape)).join(', ')}`,
      );
    }
  }
  const d = normDim('stack', dim, first.ndim + 1);
  return catImpl(
    tensors.map((t) => unsqueeze(t, d)),
    d,
  );
}
