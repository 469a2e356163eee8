import { KERNELS_RELAXED_SIMD, KERNELS_SIMD, type KernelsVariant, MAX_PAGES } from './kernels.generated.js';

/** Which WebAssembly vector instructions the backend's kernels run on. */
export type SimdLevel = 'relaxed-simd' | 'simd' | 'none';

/** The exports of the kernels module (see kernels.generated.ts for what each computes). */
export interface KernelExports {
  gemm(
    a: number,
    b: number,
    c: number,
    mp: number,
    np: number,
    k: number,
    kc: number,
    mc: number,
    nc: number,
    ldc: number,
  ): void;
  packA(src: number, dst: number, rows: number, k: number, rs: number, cs: number): void;
  packB(src: number, dst: number, rows: number, k: number, rs: number, cs: number): void;
  relu(a: number, o: number, n: number): void;
  relu_backward(g: number, y: number, o: number, n: number): void;
  [name: string]: (...args: number[]) => void;
}

/** The loaded module: what every kernel (and every worker thread) instantiates against. */
export interface Kernels {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly exports: KernelExports;
  readonly simd: Exclude<SimdLevel, 'none'>;
  /** Whether the memory is shared, which worker threads need. */
  readonly shared: boolean;
  /** Why the memory is not shared, when it is not. */
  readonly unsharedReason?: string;
}

const PAGE = 65536;

function decodeBase64(s: string): Uint8Array<ArrayBuffer> {
  // atob exists in Node 16+ and browsers; the module is a few KiB, decoded once.
  const bin = atob(s);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

/** The variant's bytes, its memory declared shared or not (one flag byte, see module-wat.ts). */
function variantBytes(v: KernelsVariant, shared: boolean): Uint8Array<ArrayBuffer> {
  const bytes = decodeBase64(v.base64);
  if (!shared) bytes[v.sharedFlagOffset] = 0x01;
  return bytes;
}

/**
 * A shared memory for the kernels, or the reason there is none: browsers hand out
 * SharedArrayBuffer only to cross-origin isolated pages, and an engine may refuse to reserve
 * 4 GiB of address space (then a smaller maximum is tried).
 */
function sharedMemory(): WebAssembly.Memory | string {
  if (typeof SharedArrayBuffer === 'undefined') {
    return 'SharedArrayBuffer is unavailable (in a browser: the page is not cross-origin isolated)';
  }
  const g = globalThis as { crossOriginIsolated?: boolean; window?: unknown };
  if (g.window !== undefined && g.crossOriginIsolated === false) {
    return 'the page is not cross-origin isolated (COOP/COEP headers), so memory cannot be shared with workers';
  }
  let last = '';
  for (const maximum of [MAX_PAGES, 16384, 4096]) {
    try {
      return new WebAssembly.Memory({ initial: 1, maximum, shared: true });
    } catch (e) {
      last = (e as Error).message;
    }
  }
  return `shared WebAssembly memory could not be created: ${last}`;
}

/** The SIMD level the environment asks for: `PROJ_CPU_SIMD=simd` keeps plain SIMD where relaxed SIMD exists (to compare). */
function requestedSimd(): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.PROJ_CPU_SIMD;
}

/** undefined: not tried yet; null: this engine has no WebAssembly SIMD. */
let loaded: Kernels | null | undefined;
/** Set by tests to run the JavaScript kernels, for bit-for-bit comparisons. */
let disabled: 'all' | 'gathers' | false = false;

/**
 * Runs `f` with the WebAssembly kernels switched off, or only the convolution gathers (keeping
 * the GEMM, whose JavaScript fallback accumulates differently): tests compare them with the
 * JavaScript loops. Internal.
 */
export function withoutKernels<T>(f: () => T, which: 'all' | 'gathers' = 'all'): T {
  disabled = which;
  try {
    return f();
  } finally {
    disabled = false;
  }
}

/** Whether the convolution gathers may run in WebAssembly (see {@link withoutKernels}). */
export function gathersEnabled(): boolean {
  return disabled === false;
}

/**
 * The kernels module, instantiated once, synchronously, on first use: relaxed SIMD where the
 * engine validates it (detected by validating the module itself), else plain SIMD; null when
 * the engine has neither (the backend then runs its JavaScript kernels, and says so in
 * `info()`). Its memory is shared when the environment allows it (for worker threads).
 */
export function kernels(): Kernels | null {
  if (disabled === 'all') return null;
  if (loaded !== undefined) return loaded;
  loaded = null;
  if (typeof WebAssembly !== 'object') return null;
  const mem = sharedMemory();
  const shared = typeof mem !== 'string';
  const want = requestedSimd();
  if (want !== undefined && want !== 'simd' && want !== 'relaxed-simd') {
    throw new Error(`cpu backend: PROJ_CPU_SIMD must be 'simd' or 'relaxed-simd', got '${want}'`);
  }
  const candidates: [Exclude<SimdLevel, 'none'>, KernelsVariant][] =
    want === 'simd'
      ? [['simd', KERNELS_SIMD]]
      : [
          ['relaxed-simd', KERNELS_RELAXED_SIMD],
          ['simd', KERNELS_SIMD],
        ];
  for (const [simd, variant] of candidates) {
    const bytes = variantBytes(variant, shared);
    // The module uses v128 (and relaxed_madd in the relaxed variant): validating it is the feature test.
    if (!WebAssembly.validate(bytes)) continue;
    const memory = shared ? mem : new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES });
    const module = new WebAssembly.Module(bytes);
    const instance = new WebAssembly.Instance(module, { env: { memory } });
    loaded = {
      module,
      memory,
      exports: instance.exports as unknown as KernelExports,
      simd,
      shared,
      ...(shared ? {} : { unsharedReason: mem as string }),
    };
    return loaded;
  }
  if (want === 'relaxed-simd')
    throw new Error('cpu backend: PROJ_CPU_SIMD=relaxed-simd, but this engine lacks relaxed SIMD');
  return null;
}

let heap = new Float32Array(0);

/**
 * A float32 view of the kernels' memory holding at least `floats` elements, growing the memory
 * (it never shrinks: later calls reuse it, so it is bounded by the largest operation, not by
 * the number of shapes); null when the memory's maximum cannot hold them.
 */
export function heapFor(k: Kernels, floats: number): Float32Array | null {
  const need = floats * 4;
  const have = k.memory.buffer.byteLength;
  if (need > have) {
    try {
      k.memory.grow(Math.ceil((need - have) / PAGE));
    } catch {
      return null;
    }
  }
  // a shared memory's buffer is a new object after growing; an unshared one's is detached
  if (heap.buffer !== k.memory.buffer) heap = new Float32Array(k.memory.buffer);
  return heap;
}

/** Bytes of the kernels' memory (reported in the backend's memory()). */
export function wasmHeapBytes(): number {
  return loaded ? loaded.memory.buffer.byteLength : 0;
}
