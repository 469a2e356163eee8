// Elementwise kernels: unary, binary (NumPy broadcasting), where, and the ReLU gradient.
//
// One invocation per output element. Each operand is read in one of three ways, and the pipeline
// key names them (the shape class): `c` same-shape contiguous (`x[i]`), `s` a single element
// (`x[0]`), `b` broadcast through strides (`x[strided_offset(i, …)]`, shapes and strides in the
// params words, with dims that are contiguous for every strided operand merged first). The common
// cases (same shapes, a tensor and a scalar) thus run without index arithmetic, and one pipeline
// serves every shape of a class.
import {
  type BinaryOp,
  COMPARISON_OPS,
  type DType,
  type Shape,
  type TensorInfo,
  type UnaryOp,
} from '@proj/core';
import { type GpuContext, groups1d } from '../context.js';
import { intStatusMessage } from '../errors.js';
import { bufOf, type Handle, numelOf, type WgslScalar } from '../storage.js';
import { broadcastStrides, STRIDED_OFFSET, shader, WG, words } from '../wgsl.js';
import { binaryScalar, familyOf, type ScalarOp, unaryScalar, wgslOf } from './elementwise-ops.js';

/** How a kernel reads an operand: contiguous at `i`, the single element, or through strides. */
type Access = 'c' | 's' | 'b';

/** An input of an elementwise kernel. */
interface Operand {
  readonly info: TensorInfo;
  /** The WGSL type the kernel reads it as. */
  readonly type: WgslScalar;
}

/** What {@link launch} runs: `op` applied to the operands' values, written as `out`. */
interface Launch {
  /** Kernel name and dtype family for the pipeline key (the access classes are appended). */
  readonly name: string;
  readonly operands: readonly Operand[];
  readonly outShape: Shape;
  readonly outDtype: DType;
  readonly op: ScalarOp;
  /** For an op that can fail: the message of a failure code. */
  readonly message?: (code: number) => string;
}

/**
 * Drops size-1 dims and merges neighbours that every strided operand walks contiguously, so the
 * per-element index arithmetic runs over as few dims as the layout allows ([N,C,H,W] + [C,1,1]
 * becomes [N, C, H·W]).
 */
export function collapseDims(
  shape: Shape,
  strides: readonly (readonly number[])[],
): { shape: number[]; strides: number[][] } {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    const size = shape[d]!;
    if (size === 1) continue;
    const last = outShape.length - 1;
    const merge = last >= 0 && strides.every((st, k) => outStrides[k]![last] === st[d]! * size);
    if (merge) outShape[last] = outShape[last]! * size;
    else outShape.push(size);
    for (let k = 0; k < strides.length; k++) {
      if (merge) outStrides[k]![last] = strides[k]![d]!;
      else outStrides[k]!.push(strides[k]![d]!);
    }
  }
  return { shape: outShape, strides: outStrides };
}

/** Records the kernel and returns the output buffer (an empty output gets no dispatch). */
function launch(ctx: GpuContext, l: Launch): Handle {
  const n = numelOf(l.outShape);
  const out = ctx.alloc(n, l.outDtype);
  if (n === 0) return out;
  const access: Access[] = l.operands.map(({ info }) => {
    const m = numelOf(info.shape);
    return m === n ? 'c' : m === 1 ? 's' : 'b';
  });
  const strided = l.operands.filter((_, k) => access[k] === 'b');
  const meta: number[] = [n];
  if (strided.length > 0) {
    const c = collapseDims(
      l.outShape,
      strided.map(({ info }) => broadcastStrides(info.shape, l.outShape)),
    );
    meta.push(c.shape.length, ...c.shape, ...c.strides.flat());
  }
  let nth = 0;
  const reads = l.operands.map((_, k) => {
    if (access[k] === 'c') return `x${k}[i]`;
    if (access[k] === 's') return `x${k}[0]`;
    // params: [n, rank, shape…, strides of the 1st strided operand…, of the 2nd…]
    return `x${k}[strided_offset(i, params[1], 2u, 2u + params[1] * ${1 + nth++}u)]`;
  });
  const key = `${l.name}:${access.join('')}`;
  ctx.run({
    key,
    code: () =>
      shader({
        bindings: [
          ...l.operands.map((o, k) => ({ name: `x${k}`, type: o.type })),
          { name: 'y', type: l.op.out, write: true },
        ],
        meta: true,
        fails: l.op.fails,
        helpers: `${strided.length > 0 ? STRIDED_OFFSET : ''}\n${l.op.code}`,
        body: `  if (i >= params[0]) { return; }\n  y[i] = op(${reads.join(', ')});`,
      }),
    buffers: [...l.operands.map((o) => bufOf(o.info)), out.buffer],
    meta: words(meta),
    workgroups: groups1d(n, WG, ctx.maxWorkgroups),
    fails: l.op.fails ? l.message : undefined,
  });
  return out;
}

/**
 * Elementwise unary `op` of `x`: same shape, same dtype (bool for `isnan` and `logicalNot`).
 * float32 takes every op; int32/int64/uint8 take the ops exact on integers (neg, abs, sign, relu,
 * floor, ceil, round; `neg`/`abs` of -2^31 and `neg` of a positive uint8 are errors at the next
 * read) and isnan/logicalNot; bool takes abs, sign, relu, floor, ceil, round, isnan, logicalNot.
 * Other combinations throw (core casts integers to float32 for the floating-point ops).
 *
 * @example
 * ```ts
 * const y = unary(ctx, 'sigmoid', x); // a Handle; read it with ctx.read
 * ```
 */
export function unary(ctx: GpuContext, op: UnaryOp, x: TensorInfo): Handle {
  const s = unaryScalar(op, x.dtype);
  const outDtype: DType = op === 'isnan' || op === 'logicalNot' ? 'bool' : x.dtype;
  return launch(ctx, {
    name: `unary:${op}:${familyOf(x.dtype)}`,
    operands: [{ info: x, type: wgslOf(familyOf(x.dtype)) }],
    outShape: x.shape,
    outDtype,
    op: s,
    message: (code) => intStatusMessage(op, x.dtype, [x.shape], code),
  });
}

/**
 * Elementwise binary `op` of `a` and `b` (one dtype) broadcast to `outShape`. The result has
 * their dtype, or bool for comparisons and logical ops. Integer results outside the dtype's
 * range and integer division by zero are errors at the next read (int64 is computed in 32 bits
 * here: a result beyond int32 is such an error); integer `div` truncates toward zero.
 */
export function binary(ctx: GpuContext, op: BinaryOp, a: TensorInfo, b: TensorInfo, outShape: Shape): Handle {
  if (a.dtype !== b.dtype) {
    throw new Error(
      `webgpu binary: '${op}' operands must share a dtype (core promotes them first), got ${a.dtype} and ${b.dtype}`,
    );
  }
  const s = binaryScalar(op, a.dtype);
  const t = wgslOf(familyOf(a.dtype));
  return launch(ctx, {
    name: `binary:${op}:${familyOf(a.dtype)}`,
    operands: [
      { info: a, type: t },
      { info: b, type: t },
    ],
    outShape,
    outDtype: COMPARISON_OPS.has(op) ? 'bool' : a.dtype,
    op: s,
    message: (code) => intStatusMessage(op, a.dtype, [a.shape, b.shape], code),
  });
}

/** `cond ? a : b` elementwise (cond bool; a and b one dtype, copied as they are), broadcast to `outShape`. */
export function where(
  ctx: GpuContext,
  cond: TensorInfo,
  a: TensorInfo,
  b: TensorInfo,
  outShape: Shape,
): Handle {
  if (cond.dtype !== 'bool' || a.dtype !== b.dtype) {
    throw new Error(
      `webgpu where: expected a bool condition and values of one dtype, got cond ${cond.dtype}, values ${a.dtype} and ${b.dtype}`,
    );
  }
  familyOf(a.dtype); // throws for a dtype this backend does not store
  // Every stored dtype is one 4-byte word: the values are selected as bits, one pipeline for all.
  return launch(ctx, {
    name: 'where',
    operands: [
      { info: cond, type: 'u32' },
      { info: a, type: 'u32' },
      { info: b, type: 'u32' },
    ],
    outShape,
    outDtype: a.dtype,
    op: {
      code: 'fn op(c: u32, a: u32, b: u32) -> u32 { return select(b, a, c != 0u); }',
      out: 'u32',
      fails: false,
    },
  });
}

/**
 * The ReLU gradient `y > 0 ? g : +0` (NaN `y` gives +0) for float32 `g` and `y` of one shape.
 * `g`'s bits pass unchanged (NaN and -0 included); `y` is tested on its bits, so a subnormal
 * positive `y` counts as positive even on GPUs that flush subnormals.
 */
export function reluBackward(ctx: GpuContext, g: TensorInfo, y: TensorInfo): Handle {
  if (g.dtype !== 'float32' || y.dtype !== 'float32' || numelOf(g.shape) !== numelOf(y.shape)) {
    throw new Error(
      `webgpu reluBackward: expected float32 g and y of one shape, got ${g.dtype} [${g.shape.join(', ')}] and ${y.dtype} [${y.shape.join(', ')}]`,
    );
  }
  return launch(ctx, {
    name: 'reluBackward',
    operands: [
      { info: g, type: 'u32' },
      { info: y, type: 'u32' },
    ],
    outShape: g.shape,
    outDtype: 'float32',
    // y's bits in (0, 0x7f800000]: positive, nonzero, not NaN (+∞ included)
    op: {
      code: 'fn op(g: u32, y: u32) -> u32 { return select(0u, g, y != 0u && y <= 0x7f800000u); }',
      out: 'u32',
      fails: false,
    },
  });
}
