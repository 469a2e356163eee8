// The one tiled matrix product every product-shaped kernel runs on (matmul and the three
// convolutions): C[z] = A[z] · B[z] with A [M, K] and B [K, Ncols], where each kernel only says
// how an element of A or B is read (a plain or transposed matrix, or im2col addressing computed
// on the fly) and where an element of C is written. The tiling, the shared memory, the
// workgroup grid and the split of long reductions live here once.
//
// A workgroup of 16×16 invocations computes a 64×64 tile of C, each invocation a 4×4 block,
// over slabs of 16 along K staged in workgroup memory: per slab an invocation loads 4 elements
// of A and 4 of B and does 256 multiply-adds out of vec4 reads of the staged tiles.
import { type GpuContext, groups1d } from '../context.js';
import type { Handle } from '../storage.js';
import { type Binding, shader, WG, words } from '../wgsl.js';

/** Rows and columns of C per workgroup. */
export const TILE = 64;
/** Depth of one slab along K. */
export const SLAB = 16;

/**
 * Words of `params` every GEMM kernel starts with: tile offsets x0, y0, z0 of this launch,
 * M, Ncols, K, the number of K splits, the K length per split, and C's element count (the
 * stride between split partial results). Kernel-specific words follow from `GEMM_PARAMS`.
 */
export const GEMM_PARAMS = 9;

/**
 * How invocations read an operand's slab (64 rows of A, or 64 columns of B, by 16 of K):
 *
 * - `'k'`: invocation t reads, at k = k0 + t / 16, the 4 consecutive rows (columns) from
 *   (t % 16)·4: the natural order when rows (columns) are adjacent in memory, and the order in
 *   which an invocation keeps the same 4 rows (columns) on every slab, so it can decode them once.
 * - `'row'`: invocation t reads row (column) t / 4 at the 4 consecutive k from k0 + (t % 4)·4:
 *   the natural order when K is adjacent in memory.
 */
export type SlabOrder = 'k' | 'row';

/** A product-shaped kernel: its buffers and the WGSL that addresses its operands. */
export interface GemmKernel {
  /** Pipeline key (kernel name and variant, never a shape). */
  readonly key: string;
  /** Storage buffers, inputs then the output, which must be named `c` and be `write`. */
  readonly bindings: readonly Binding[];
  /** How A's slab is read: `'k'` when A's rows are adjacent in memory, `'row'` when K is. */
  readonly orderA: SlabOrder;
  /** How B's slab is read: `'k'` when B's columns are adjacent in memory, `'row'` when K is. */
  readonly orderB: SlabOrder;
  /**
   * WGSL defining `fn setup(zb: u32, row0: u32, col0: u32, lx: u32, ly: u32)` (called once per
   * invocation before the K loop: zb is the batch or group, row0/col0 the tile's origin; lx, ly
   * the invocation in the 16×16 workgroup, whose C columns are col0 + 4·lx … + 3, the same ones
   * it reads of B in order `'k'`), `fn load_a(k: u32, kEnd: u32, m: u32) -> vec4<f32>`,
   * `fn load_b(k: u32, kEnd: u32, n: u32) -> vec4<f32>` (elements as the order says; zero outside
   * the matrix; in order `'k'` the caller has checked k < kEnd, in order `'row'` the loader checks
   * each k + j < kEnd) and `fn store(row: u32, col: u32, v: vec4<f32>, base: u32)` (C[row,
   * col + j] = v[j] for the columns inside C, at element offset `base` for the split partials;
   * the caller has checked row < M). Module-scope `var<private>` state may carry from setup.
   */
  readonly helpers: string;
  /**
   * For a product over terms some of which do not exist (a transposed convolution's taps that
   * land on no output position), where the CPU kernels skip those terms rather than multiply by
   * zero — the difference shows when A holds ±inf or NaN (inf·0 = NaN). load_b then returns an
   * absent term as -0.0 and a present zero as +0.0 (equal in every sum, which starts at +0), and a
   * slab whose staged A holds a non-finite value is multiplied with the absent terms skipped.
   */
  readonly absentB?: boolean;
}

/** The 4 components of a vec4, for unrolled per-component WGSL. */
export const LANES = ['x', 'y', 'z', 'w'] as const;

/** `f(j, component)` for j = 0…3, joined by newlines: WGSL unrolled over the 4 lanes. */
export function lanes(f: (j: number, c: string) => string): string {
  return LANES.map((c, j) => f(j, c)).join('\n');
}

function slabLoad(op: 'a' | 'b', order: SlabOrder, origin: string): string {
  const tile = op === 'a' ? 'As' : 'Bs';
  if (order === 'k') {
    return `  {
    let k = k0 + t / 16u;
    var v = vec4<f32>(0.0);
    if (k < kEnd) { v = load_${op}(k, kEnd, ${origin} + (t % 16u) * 4u); }
    ${tile}[t] = v;
  }`;
  }
  return `  {
    let r = t / 4u;
    let kq = (t % 4u) * 4u;
    let v = load_${op}(k0 + kq, kEnd, ${origin} + r);
    let at = kq * 16u + r / 4u;
    let lane = r % 4u;
    ${tile}[at][lane] = v.x;
    ${tile}[at + 16u][lane] = v.y;
    ${tile}[at + 32u][lane] = v.z;
    ${tile}[at + 48u][lane] = v.w;
  }`;
}

/**
 * The slab's 16 rank-1 updates of the invocation's 4×4 block, indented by `pad`; `masked` adds
 * only B's present terms (absent ones are -0.0, see `GemmKernel.absentB`).
 */
function rankOneUpdates(pad: string, masked: boolean): string {
  const term = (a: string) => (masked ? `select(vec4<f32>(0.0), ${a} * b, present)` : `${a} * b`);
  return [
    `for (var kk = 0u; kk < ${SLAB}u; kk++) {`,
    '  let a = As[kk * 16u + lid.y];',
    '  let b = Bs[kk * 16u + lid.x];',
    ...(masked ? ['  let present = bitcast<vec4<u32>>(b) != vec4<u32>(0x80000000u);'] : []),
    ...LANES.map((c, j) => `  acc${j} += ${term(`a.${c}`)};`),
    '}',
  ]
    .map((l) => pad + l)
    .join('\n');
}

/** The slab's product: {@link rankOneUpdates} once the slab is staged. */
const PRODUCT = `    workgroupBarrier();
${rankOneUpdates('    ', false)}`;

/**
 * {@link PRODUCT} for kernels with absent B terms (see `GemmKernel.absentB`): the invocation
 * that stages a non-finite A element flags the slab, and a flagged slab masks absent terms out.
 */
const ABSENT_PRODUCT = `    workgroupBarrier();
    // exponent all ones: ±inf or NaN (tested on the bits; the compiler may assume finite floats)
    if (any((bitcast<vec4<u32>>(As[t]) & vec4<u32>(0x7f800000u)) == vec4<u32>(0x7f800000u))) {
      atomicStore(&nonfinite, 1u);
    }
    if (workgroupUniformLoad(&nonfinite) == 0u) {
${rankOneUpdates('      ', false)}
    } else {
${rankOneUpdates('      ', true)}
      workgroupBarrier();
      if (t == 0u) { atomicStore(&nonfinite, 0u); }
    }`;

/** The WGSL module of a GEMM kernel. */
export function gemmShader(k: GemmKernel): string {
  return shader({
    bindings: k.bindings,
    meta: true,
    workgroup: [16, 16],
    // staged slabs, K-major: As[kk·16 + q] holds rows 4q … 4q + 3 at k0 + kk (Bs: columns)
    shared: [
      'var<workgroup> As: array<vec4<f32>, 256>;',
      'var<workgroup> Bs: array<vec4<f32>, 256>;',
      ...(k.absentB ? ['var<workgroup> nonfinite: atomic<u32>;'] : []),
    ].join('\n'),
    helpers: k.helpers,
    body: `
  let t = lid.y * 16u + lid.x;
  let row0 = (wid.y + params[1]) * ${TILE}u;
  let col0 = (wid.x + params[0]) * ${TILE}u;
  let z = wid.z + params[2];
  let M = params[3];
  let K = params[5];
  let splits = params[6];
  let s = z % splits;
  let kBegin = min(K, s * params[7]);
  let kEnd = min(K, kBegin + params[7]);
  setup(z / splits, row0, col0, lid.x, lid.y);
  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  for (var k0 = kBegin; k0 < kEnd; k0 += ${SLAB}u) {
${slabLoad('a', k.orderA, 'row0')}
${slabLoad('b', k.orderB, 'col0')}
${k.absentB ? ABSENT_PRODUCT : PRODUCT}
    workgroupBarrier();
  }
  let base = s * params[8];
  let row = row0 + lid.y * 4u;
  let col = col0 + lid.x * 4u;
  if (row < M) { store(row, col, acc0, base); }
  if (row + 1u < M) { store(row + 1u, col, acc1, base); }
  if (row + 2u < M) { store(row + 2u, col, acc2, base); }
  if (row + 3u < M) { store(row + 3u, col, acc3, base); }`,
  });
}

/** One GEMM launch: sizes, buffers (inputs, in binding order; the output is added) and extra params. */
export interface GemmLaunch {
  readonly kernel: GemmKernel;
  /** Input buffers in binding order (the output `c` is bound after them). */
  readonly inputs: readonly GPUBuffer[];
  /** The output, `outNumel` elements, all written. */
  readonly out: Handle;
  /** Elements of C over all of Z (the stride between the partial results of a split reduction). */
  readonly outNumel: number;
  /** Rows of C. */
  readonly M: number;
  /** Columns of C. */
  readonly Ncols: number;
  /** The reduction length. */
  readonly K: number;
  /** Independent products (batch items or convolution groups). */
  readonly Z: number;
  /** Kernel-specific params (from word {@link GEMM_PARAMS}). */
  readonly extra: readonly number[];
}

/** Workgroups wanted in flight before a long reduction is split across several. */
const TARGET_GROUPS = 128;
/** The most pieces a reduction is split into (each costs a partial result of C). */
const MAX_SPLITS = 32;
/** Slabs a split keeps at least, so the extra pass stays small against the product. */
const MIN_SLABS_PER_SPLIT = 32;
/** Elements the partial results of a split product may take (16 MiB of float32). */
const MAX_PARTIAL = 2 ** 22;

/**
 * How many pieces the reduction is split into, and their length (a multiple of {@link SLAB}):
 * a product with few output tiles and a long K (a weight gradient, a dot product) would
 * otherwise run on a handful of workgroups, each looping over all of K.
 */
export function splitOf(M: number, Ncols: number, K: number, Z: number): { splits: number; chunk: number } {
  const slabs = Math.ceil(K / SLAB);
  const tiles = Math.ceil(M / TILE) * Math.ceil(Ncols / TILE) * Z;
  let splits = 1;
  if (tiles < TARGET_GROUPS && slabs >= 2 * MIN_SLABS_PER_SPLIT) {
    splits = Math.min(
      Math.ceil(TARGET_GROUPS / tiles),
      Math.floor(slabs / MIN_SLABS_PER_SPLIT),
      MAX_SPLITS,
      Math.max(1, Math.floor(MAX_PARTIAL / (M * Ncols * Z))),
    );
  }
  const chunk = Math.max(1, Math.ceil(slabs / splits)) * SLAB;
  return { splits: Math.max(1, Math.ceil(K / chunk)), chunk };
}

/**
 * Records a GEMM kernel over the tile grid (launched in pieces where a dimension exceeds the
 * device's workgroup-count limit) and, for a split reduction, the pass summing the partials.
 */
export function runGemm(ctx: GpuContext, l: GemmLaunch): void {
  const { M, Ncols, K, Z, outNumel } = l;
  if (outNumel === 0) return;
  const { splits, chunk } = splitOf(M, Ncols, K, Z);
  const target = splits > 1 ? ctx.alloc(splits * outNumel, 'float32') : l.out;
  const gx = Math.ceil(Ncols / TILE);
  const gy = Math.ceil(M / TILE);
  const gz = Z * splits;
  const lim = ctx.maxWorkgroups;
  for (let z0 = 0; z0 < gz; z0 += lim) {
    for (let y0 = 0; y0 < gy; y0 += lim) {
      for (let x0 = 0; x0 < gx; x0 += lim) {
        ctx.run({
          key: l.kernel.key,
          code: () => gemmShader(l.kernel),
          buffers: [...l.inputs, target.buffer],
          meta: words([x0, y0, z0, M, Ncols, K, splits, chunk, outNumel, ...l.extra]),
          workgroups: [Math.min(lim, gx - x0), Math.min(lim, gy - y0), Math.min(lim, gz - z0)],
        });
      }
    }
  }
  if (splits > 1) {
    sumSplits(ctx, target, splits, outNumel, l.out);
    ctx.release(target); // later users of the pooled buffer are recorded after the sum
  }
}

/** out[i] = Σ_s part[s·n + i], in split order (deterministic). */
function sumSplits(ctx: GpuContext, part: Handle, splits: number, n: number, out: Handle): void {
  ctx.run({
    key: 'gemm-sum-splits',
    code: () =>
      shader({
        bindings: [
          { name: 'part', type: 'f32' },
          { name: 'y', type: 'f32', write: true },
        ],
        meta: true,
        body: `  let n = params[0];
  if (i < n) {
    var s = part[i];
    for (var k = 1u; k < params[1]; k++) { s += part[k * n + i]; }
    y[i] = s;
  }`,
      }),
    buffers: [part.buffer, out.buffer],
    meta: words([n, splits]),
    workgroups: groups1d(n, WG, ctx.maxWorkgroups),
  });
}
