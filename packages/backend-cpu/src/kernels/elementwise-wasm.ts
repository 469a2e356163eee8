import type { BinaryOp, Shape, UnaryOp } from '@proj/core';
import { heapFor, type KernelExports, kernels } from '../wasm/module.js';
import { type BinaryLoops, broadcastRows } from './broadcast-rows.js';

/**
 * Elements from which a float32 elementwise op runs in WebAssembly: below it the call and the
 * copies in and out cost about what the JavaScript loop does. Measured: a JS loop takes 1.5-3 ns
 * per element here (7 ns for relu, whose sign branch mispredicts), a copy into or out of the
 * module's memory 0.08 ns, the SIMD loop ~0.2 ns.
 */
export const WASM_ELEMENTWISE_MIN = 256;

/** Binary ops with a float32 WebAssembly kernel, by the module's name for them. */
const BINARY: Partial<Record<BinaryOp, string>> = {
  add: 'add',
  sub: 'sub',
  mul: 'mul',
  div: 'div',
  maximum: 'max',
  minimum: 'min',
};

/** Unary ops with a float32 WebAssembly kernel. */
const UNARY: Partial<Record<UnaryOp, string>> = { neg: 'neg', abs: 'abs', sqrt: 'sqrt', relu: 'relu' };

const align4 = (n: number): number => (n + 3) & ~3;

type Fn = (...args: number[]) => void;
/** The three row kernels of each binary op, looked up once (not a template string per call). */
const tables = new WeakMap<KernelExports, Map<string, { vv: Fn; vs: Fn; sv: Fn }>>();

function binaryKernels(ex: KernelExports, name: string): { vv: Fn; vs: Fn; sv: Fn } {
  let byName = tables.get(ex);
  if (byName === undefined) {
    byName = new Map(
      Object.values(BINARY).map((n) => [n, { vv: ex[`${n}_vv`], vs: ex[`${n}_vs`], sv: ex[`${n}_sv`] }]),
    );
    tables.set(ex, byName);
  }
  return byName.get(name) as { vv: Fn; vs: Fn; sv: Fn };
}

/** Whether `op` on float32 operands of `size` output elements runs in WebAssembly. */
export function wasmBinaryApplies(op: BinaryOp, size: number): boolean {
  return size >= WASM_ELEMENTWISE_MIN && BINARY[op] !== undefined && kernels() !== null;
}

/**
 * `op(a, b)` broadcast to `outShape` into `out`, float32, in WebAssembly: the operands are copied
 * into the module's memory, the op runs there (one flat loop, or one call per row of the
 * collapsed broadcast), and the result is copied out. Returns false (having done nothing) when
 * the memory cannot hold them. Bit-identical to the JavaScript loops (see elementwise-wat.ts).
 */
export function binaryWasm(
  op: BinaryOp,
  a: Float32Array,
  aShape: Shape,
  b: Float32Array,
  bShape: Shape,
  outShape: Shape,
  out: Float32Array,
): boolean {
  const k = kernels();
  const name = BINARY[op];
  if (k === null || name === undefined) return false;
  const size = out.length;
  const A = 0;
  const B = align4(a.length);
  const O = B + align4(b.length);
  const h = heapFor(k, O + size);
  if (h === null) return false;
  h.set(a, A);
  h.set(b, B);
  const { vv, vs, sv } = binaryKernels(k.exports, name);
  if (a.length === size && b.length === size) vv(A * 4, B * 4, O * 4, size);
  else if (b.length === 1 && a.length === size) vs(A * 4, b[0], O * 4, size);
  else if (a.length === 1 && b.length === size) sv(a[0], B * 4, O * 4, size);
  else {
    // The row loops get views of the operands in the module's memory; their offsets are
    // relative to those views.
    const loops: BinaryLoops = {
      vv: (_a, ao, _b, bo, _o, oo, n) => vv((A + ao) * 4, (B + bo) * 4, (O + oo) * 4, n),
      vs: (_a, ao, s, _o, oo, n) => vs((A + ao) * 4, s, (O + oo) * 4, n),
      sv: (s, _b, bo, _o, oo, n) => sv(s, (B + bo) * 4, (O + oo) * 4, n),
    };
    broadcastRows(
      loops,
      h.subarray(A, A + a.length),
      aShape,
      h.subarray(B, B + b.length),
      bShape,
      outShape,
      h.subarray(O, O + size),
    );
  }
  out.set(h.subarray(O, O + size));
  return true;
}

/** Whether unary `op` on `n` float32 elements runs in WebAssembly. */
export function wasmUnaryApplies(op: UnaryOp, n: number): boolean {
  return n >= WASM_ELEMENTWISE_MIN && UNARY[op] !== undefined && kernels() !== null;
}

/** Unary `op` of `x` into `out` (float32, same length) in WebAssembly; false when it could not run. */
export function unaryWasm(op: UnaryOp, x: Float32Array, out: Float32Array): boolean {
  const k = kernels();
  const name = UNARY[op];
  if (k === null || name === undefined) return false;
  const n = x.length;
  const O = align4(n);
  const h = heapFor(k, O + n);
  if (h === null) return false;
  h.set(x, 0);
  k.exports[name](0, O * 4, n);
  out.set(h.subarray(O, O + n));
  return true;
}

/** `y > 0 ? g : +0` into `out` (float32, same lengths) in WebAssembly; false when it could not run. */
export function reluBackwardWasm(g: Float32Array, y: Float32Array, out: Float32Array): boolean {
  const k = kernels();
  const n = g.length;
  if (k === null || n < WASM_ELEMENTWISE_MIN) return false;
  const Y = align4(n);
  const O = 2 * Y;
  const h = heapFor(k, O + n);
  if (h === null) return false;
  h.set(g, 0);
  h.set(y, Y);
  k.exports.relu_backward(0, Y * 4, O * 4, n);
  out.set(h.subarray(O, O + n));
  return true;
}
