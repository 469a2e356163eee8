import { GPU, type GpuInstance, type GpuKernel } from './gpujs.js';
import type { Helper } from './lang.js';

/** The gpu.js modes this backend can run in, best first. */
export type GpujsMode = 'headlessgl' | 'webgl2' | 'webgl' | 'cpu';

/** One kernel to compile and run: its cache key, JS source and helper functions. */
export interface KernelSpec {
  /** Everything the source depends on: op, shapes, dtypes, attributes. */
  readonly key: string;
  /** A gpu.js kernel function `function (a, b) { ... }`; output is 1-D, `this.thread.x` the flat index. */
  readonly source: string;
  readonly helpers?: readonly Helper[];
  /**
   * The key fixes the size of the output and of every input: the kernel is compiled with those
   * sizes as constants instead of uniforms. GLSL then divides texture indices by constants,
   * which the shader compiler turns into multiplies and shifts; by a uniform it is a real
   * integer division per texture read (matmul 512 runs 3x slower on llvmpipe).
   */
  readonly sized?: boolean;
}

/** Options of {@link GpujsContext}. */
export interface ContextOptions {
  /** Force a gpu.js mode instead of the best one available. */
  mode?: GpujsMode;
}

type Proc = {
  env?: Record<string, string | undefined>;
  getBuiltinModule?: (id: string) => unknown;
  platform?: string;
};
const proc = (globalThis as { process?: Proc }).process;

let warned = false;

/** The first mode gpu.js can start here, or 'cpu'. */
function pickMode(): GpujsMode {
  const checks: [GpujsMode, () => boolean][] = [
    ['headlessgl', () => GPU.isHeadlessGLSupported],
    ['webgl2', () => GPU.isWebGL2Supported],
    ['webgl', () => GPU.isWebGLSupported],
  ];
  for (const [mode, ok] of checks) {
    try {
      if (ok()) return mode;
    } catch {
      // a probe that throws means "not here"
    }
  }
  return 'cpu';
}

/** Why no WebGL context could be created, for the fallback warning. */
function whyNoGl(): string {
  if (proc?.getBuiltinModule === undefined) return 'this browser offers neither WebGL2 nor WebGL';
  const reasons: string[] = [];
  try {
    const { createRequire } = proc.getBuiltinModule('node:module') as {
      createRequire(url: string): NodeJS.Require;
    };
    const req = createRequire(import.meta.url);
    const gpuDir = req.resolve('gpu.js').replace(/src[\\/]index\.js$/, '');
    req(req.resolve('gl', { paths: [gpuDir] }));
  } catch {
    reasons.push(
      'the headless-gl package `gl` is missing or failed to build (install build-essential python3 pkg-config libxi-dev libglu1-mesa-dev libglew-dev, then reinstall)',
    );
  }
  if (proc.platform === 'linux' && !proc.env?.DISPLAY) {
    reasons.push('no X server: DISPLAY is unset (run under `xvfb-run -a`)');
  }
  if (reasons.length === 0)
    reasons.push('headless-gl could not create a context (no X server or GL driver?)');
  return reasons.join('; ');
}

/** Names the GL implementation: ANGLE hides the driver, so in Node look at the loaded DRI module. */
function describeRenderer(gl: WebGLRenderingContext | null, mode: GpujsMode): string {
  if (gl === null || mode === 'cpu') return 'gpu.js CPU fallback (no WebGL)';
  const parts = [String(gl.getParameter(gl.RENDERER)), String(gl.getParameter(gl.VERSION))];
  const dbg = gl.getExtension('WEBGL_debug_renderer_info');
  if (dbg) parts.push(String(gl.getParameter(dbg.UNMASKED_RENDERER_WEBGL)));
  if (proc?.platform === 'linux' && proc.getBuiltinModule) {
    try {
      const fs = proc.getBuiltinModule('node:fs') as { readFileSync(p: string, e: string): string };
      const dri = fs.readFileSync('/proc/self/maps', 'utf8').match(/\/([\w-]+_dri)\.so/);
      if (dri)
        parts.push(dri[1] === 'swrast_dri' ? 'Mesa llvmpipe (swrast_dri, software)' : `Mesa ${dri[1]}`);
    } catch {
      // not essential
    }
  }
  return parts.join(' / ');
}

/**
 * Drops the textures an immutable kernel keeps for recycling. When a kernel is handed its own
 * previous output, gpu.js keeps that argument (`prevArg`) and later renders into it once nothing
 * else holds it, without checking its size: after `setOutput` changed the size, the result
 * would land in a texture of the old size (one value of five, the rest read as NaN).
 */
function forgetRecycled(k: GpuKernel): void {
  for (const v of k.kernel.kernelArguments ?? []) {
    if (v.prevArg) {
      v.prevArg.delete();
      v.prevArg = null;
    }
  }
}

/**
 * One gpu.js `GPU` instance and its shared WebGL context, the compiled-kernel cache and the
 * texture counters. Every kernel here has a 1-D output in 'single' precision with `pipeline`
 * and `immutable` on, so results stay on the GPU as textures and never alias an input. A
 * source that does not depend on the size (its cache key leaves the size out) is compiled with
 * `dynamicOutput`/`dynamicArguments` once for every size; a `sized` spec gets its sizes as
 * constants.
 */
export class GpujsContext {
  readonly gpu: GpuInstance;
  readonly mode: GpujsMode;
  readonly maxTextureSize: number;
  readonly renderer: string;
  compiles = 0;
  cacheHits = 0;
  /** GL textures alive in the context (gpu.js internals included), counted at createTexture/deleteTexture. */
  glTextures = 0;
  private readonly kernels = new Map<string, GpuKernel>();

  constructor(opts: ContextOptions = {}) {
    this.mode = opts.mode ?? pickMode();
    if (this.mode === 'cpu' && opts.mode === undefined) {
      const msg =
        `@proj/backend-gpujs: gpu.js could not start WebGL and fell back to its CPU mode — ` +
        `slow, and not a GPU run. Reason: ${whyNoGl()}.`;
      if (proc?.env?.PROJ_GPUJS_REQUIRE_GL === '1')
        throw new Error(`${msg} PROJ_GPUJS_REQUIRE_GL=1 forbids the fallback.`);
      if (!warned) {
        warned = true;
        console.warn(msg);
      }
    }
    this.gpu = new GPU({ mode: this.mode });
    // The first kernel creates the shared context; instrument it before any texture exists.
    this.kernel({ key: 'probe', source: 'function (v) { return v; }' });
    const gl = this.mode === 'cpu' ? null : (this.gpu.context as WebGLRenderingContext);
    if (gl) {
      const create = gl.createTexture.bind(gl);
      const del = gl.deleteTexture.bind(gl);
      gl.createTexture = () => {
        this.glTextures++;
        return create();
      };
      gl.deleteTexture = (t: WebGLTexture | null) => {
        if (t) this.glTextures--;
        del(t);
      };
    }
    this.maxTextureSize = gl ? Number(gl.getParameter(gl.MAX_TEXTURE_SIZE)) : Number.MAX_SAFE_INTEGER;
    this.renderer = describeRenderer(gl, this.mode);
  }

  /** Number of compiled kernels held in the cache. */
  get numKernels(): number {
    return this.kernels.size;
  }

  /** The compiled kernel for `spec` (output length `n`), compiling it on first use. */
  kernel(spec: KernelSpec, n = 1): GpuKernel {
    const hit = this.kernels.get(spec.key);
    if (hit) {
      this.cacheHits++;
      return hit;
    }
    const glsl = this.mode !== 'cpu';
    const helpers = spec.helpers ?? [];
    const dynamic = spec.sized !== true;
    const k = this.gpu.createKernel(spec.source, {
      output: [n],
      pipeline: true,
      immutable: true,
      precision: 'single',
      tactic: 'precision',
      dynamicOutput: dynamic,
      dynamicArguments: dynamic,
      ...(glsl
        ? { nativeFunctions: helpers.map((h) => ({ name: h.name, source: h.glsl })) }
        : { functions: helpers.map((h) => h.js) }),
    });
    this.compiles++;
    this.kernels.set(spec.key, k);
    return k;
  }

  /** Runs `spec` with output length `n` on `args`, returning the raw gpu.js result. */
  run(spec: KernelSpec, n: number, args: readonly unknown[]): unknown {
    const k = this.kernel(spec, n);
    const out = k.kernel.output;
    if (!spec.sized && (out === null || out[0] !== n)) {
      k.setOutput([n]);
      forgetRecycled(k);
    }
    return k(...args);
  }

  /** Deletes every compiled kernel and the context. */
  destroy(): void {
    for (const k of this.kernels.values()) k.destroy();
    this.kernels.clear();
    void this.gpu.destroy();
  }
}
