// Building WGSL modules: one layout convention for every kernel, so the context can bind them.
//
// Bindings, in order: the kernel's own storage buffers, then `meta` (launch parameters as u32
// words) when the kernel has parameters, then `status` when it can fail. Shapes and strides go
// through `meta`, never into the source, so one pipeline serves every shape of a rank class.
import type { WgslScalar } from './storage.js';

/** Invocations per workgroup of the one-dimensional kernels. */
export const WG = 256;

/** A storage buffer of the kernel. */
export interface Binding {
  readonly name: string;
  readonly type: WgslScalar | 'atomic<u32>' | 'atomic<i32>' | 'vec4<f32>';
  /** Written by the kernel (`read_write`); inputs are `read`. */
  readonly write?: boolean;
}

/** Options of {@link shader}. */
export interface ShaderSpec {
  readonly bindings: readonly Binding[];
  /** Binds `meta: array<u32>` after the buffers. */
  readonly meta?: boolean;
  /** Binds `status: array<atomic<u32>>` last (see `Dispatch.fails`). */
  readonly fails?: boolean;
  /** Functions and constants placed before `main`. */
  readonly helpers?: string;
  /** Workgroup size (default {@link WG}; a tuple for 2-D/3-D kernels). */
  readonly workgroup?: number | readonly [number, number, number?];
  /**
   * The body of `main`. In scope: `gid`, `lid`, `wid` (vec3u builtins), `nwg` (workgroups per
   * dimension) and `i`, the linear invocation index over a 1-D launch folded by `groups1d`.
   */
  readonly body: string;
  /** Module-scope declarations (workgroup arrays). */
  readonly shared?: string;
}

/** A complete WGSL compute module with entry point `main`. */
export function shader(s: ShaderSpec): string {
  const lines: string[] = [];
  s.bindings.forEach((b, k) => {
    lines.push(
      `@group(0) @binding(${k}) var<storage, ${b.write ? 'read_write' : 'read'}> ${b.name}: array<${b.type}>;`,
    );
  });
  let next = s.bindings.length;
  if (s.meta) lines.push(`@group(0) @binding(${next++}) var<storage, read> params: array<u32>;`);
  if (s.fails)
    lines.push(`@group(0) @binding(${next++}) var<storage, read_write> status: array<atomic<u32>>;`);
  const wg = typeof s.workgroup === 'number' || s.workgroup === undefined ? [s.workgroup ?? WG] : s.workgroup;
  const width = wg[0]!;
  if (s.shared) lines.push(s.shared);
  lines.push(BITS);
  if (s.meta) lines.push('fn param_f32(k: u32) -> f32 { return bitcast<f32>(params[k]); }');
  if (s.helpers) lines.push(s.helpers);
  lines.push(
    `@compute @workgroup_size(${wg.join(', ')})`,
    'fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_id) lid: vec3u,',
    '        @builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u) {',
    `  let i = gid.x + gid.y * nwg.x * ${width}u;`,
    s.body,
    '}',
  );
  return lines.join('\n');
}

/**
 * Float helpers that do not rely on the shader compiler's NaN handling (WGSL lets compilers
 * assume finite math, so `x != x` may be folded away): NaN and infinity tested on the bits, and
 * made at run time (a constant NaN or infinity is a WGSL compile error).
 */
const BITS = `
fn is_nan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn is_inf(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u; }
fn f32_nan() -> f32 { var u = 0x7fc00000u; return bitcast<f32>(u); }
fn f32_inf(neg: bool) -> f32 { var u = select(0x7f800000u, 0xff800000u, neg); return bitcast<f32>(u); }
`;

/**
 * WGSL for `off = Σ_d ((i / inner_d) % shape_d) · stride_d` over a rank held in meta:
 * `strided_offset(i, rank, shapeAt, strideAt)` where meta[shapeAt + d] is dim d's size and
 * meta[strideAt + d] its stride in elements (0 broadcasts).
 */
export const STRIDED_OFFSET = `
fn strided_offset(i: u32, rank: u32, shapeAt: u32, strideAt: u32) -> u32 {
  var rem = i;
  var off = 0u;
  for (var d = i32(rank) - 1; d >= 0; d--) {
    let s = params[shapeAt + u32(d)];
    off += (rem % s) * params[strideAt + u32(d)];
    rem /= s;
  }
  return off;
}`;

/** Row-major strides of `shape` (in elements). */
export function stridesOf(shape: readonly number[]): number[] {
  const st = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    st[d] = s;
    s *= shape[d]!;
  }
  return st;
}

/**
 * Strides for reading `inShape` (right-aligned to `outShape`'s rank) as if broadcast to
 * `outShape`: size-1 (and missing) dims get stride 0.
 */
export function broadcastStrides(inShape: readonly number[], outShape: readonly number[]): number[] {
  const st = stridesOf(inShape);
  const lead = outShape.length - inShape.length;
  return outShape.map((_, d) => (d < lead || inShape[d - lead] === 1 ? 0 : st[d - lead]!));
}

/** Packs launch parameters: integers as u32 words (negative ones as two's complement). */
export function words(values: readonly number[]): Uint32Array {
  const w = new Uint32Array(values.length);
  for (let k = 0; k < values.length; k++) w[k] = values[k]! >>> 0;
  return w;
}

/** The u32 word holding `v` as an f32 (for float parameters in meta). */
export function f32Word(v: number): number {
  const f = new Float32Array([v]);
  return new Uint32Array(f.buffer)[0]!;
}
