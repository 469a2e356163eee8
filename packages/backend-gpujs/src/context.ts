import { LruMap } from '@proj/core';
import { describeRenderer, type GpujsMode, pickMode, proc, whyNoGl } from './environment.js';
import { GPU, type GpuInstance, type GpuKernel } from './gpujs.js';
import type { Helper } from './lang.js';
import { LOOP_LIMIT } from './limits.js';

export type { GpujsMode } from './environment.js';

/** A size-independent variant of a kernel, compiled once with its sizes as uniforms. */
export interface GeneralVariant {
  /** JS source of the variant; it may depend on no size that varies within its class. */
  readonly source: string;
  readonly helpers?: readonly Helper[];
  /** Loop iterations per fragment (see {@link KernelSpec.loops}). */
  readonly loops?: number;
  /** Extra scalar arguments (loop lengths) the variant reads, appended to the call's arguments. */
  readonly args?: readonly number[];
}

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
  /**
   * Loop iterations one fragment runs at most, all loops together (nested ones multiplied
   * out, each loop's own iterations counted too). Required when the source has a loop: the
   * context refuses a kernel over {@link LOOP_LIMIT} rather than let the GL stop it early.
   */
  readonly loops?: number;
  /**
   * For a sized kernel: the variant used once shapes keep changing (see
   * {@link SIZED_PER_CLASS}). Defaults to the same source compiled with dynamic sizes, which is
   * right whenever the varying sizes do not appear in the source (e.g. only the outermost dim).
   */
  readonly general?: GeneralVariant;
}

/** Options of the gpu.js context, given to `new GpujsBackend(options)`. */
export interface ContextOptions {
  /** Force a gpu.js mode instead of the best one available. */
  mode?: GpujsMode;
  /**
   * Most compiled kernels kept (least recently used ones are destroyed, with their GL
   * programs and textures). Default: `PROJ_GPUJS_MAX_KERNELS` or `DEFAULT_MAX_KERNELS` (256).
   */
  maxKernels?: number;
}

/**
 * Compiled kernels kept by default. Each holds a linked GL program (on llvmpipe several MB of
 * generated machine code); a training step of a small CNN uses about 60.
 */
export const DEFAULT_MAX_KERNELS = 256;

/**
 * Distinct shapes a sized kernel class is compiled for before its general (size-independent)
 * variant takes over: steady shapes get the faster sized kernels, while a workload whose batch
 * size keeps changing compiles each class once more instead of once per shape.
 */
export const SIZED_PER_CLASS = 2;

let warned = false;

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
 * Stands in for the kernel that made a texture. gpu.js routes a texture's `delete()` and its
 * read-back framebuffer through `texture.kernel`; once that kernel is evicted (destroyed, its
 * `context` gone) the texture could no longer be read, and deleting it would leak the GL
 * texture. Every result is re-homed here as it is made, so kernels can go at any time.
 */
class TextureHome {
  readonly debug = false;
  private fb: WebGLFramebuffer | null = null;

  constructor(readonly context: WebGLRenderingContext) {}

  deleteTexture(t: WebGLTexture): void {
    this.context.deleteTexture(t);
  }

  /** One framebuffer serves every size: gpu.js attaches the texture before each read. */
  getRawValueFramebuffer(): WebGLFramebuffer | null {
    this.fb ??= this.context.createFramebuffer();
    return this.fb;
  }
}

/** The cache key of a general variant: its code itself, so equal code shares one kernel. */
function generalKey(g: GeneralVariant): string {
  return `general\n${g.source}\n${(g.helpers ?? []).map((h) => h.glsl).join('\n')}`;
}

/** Reads `PROJ_GPUJS_MAX_KERNELS`, or undefined. */
function envMaxKernels(): number | undefined {
  const v = proc?.env?.PROJ_GPUJS_MAX_KERNELS;
  return v === undefined || v === '' ? undefined : Number(v);
}

function checkMaxKernels(n: number, from: string): number {
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`gpujs: ${from} must be an integer >= 1 (the most compiled kernels kept), got ${n}`);
  }
  return n;
}

/** A kernel source with a `for` loop whose gpu.js translation is capped by LOOP_MAX. */
const CAPPED_LOOP = /<LOOP_MAX;/;

/**
 * One gpu.js `GPU` instance and its shared WebGL context, the compiled-kernel cache (least
 * recently used kernels beyond `maxKernels` are destroyed) and the texture counters. Every
 * kernel here has a 1-D output in 'single' precision with `pipeline` and `immutable` on, so
 * results stay on the GPU as textures and never alias an input. A source that does not depend
 * on the size (its cache key leaves the size out) is compiled with
 * `dynamicOutput`/`dynamicArguments` once for every size; a `sized` spec gets its sizes as
 * constants until its class has seen {@link SIZED_PER_CLASS} shapes, then its general variant.
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
  /** Compiled kernels, least recently used evicted past `maxKernels` (destroyed with their GL state). */
  private readonly kernels: LruMap<GpuKernel>;
  /** Sized compiles per general-variant key: when to switch a class to its general kernel. */
  private readonly classes = new Map<string, number>();
  private readonly home: TextureHome | null;
  private readonly liveTextures = new WeakSet<WebGLTexture>();

  constructor(opts: ContextOptions = {}) {
    const limit = checkMaxKernels(
      opts.maxKernels ?? envMaxKernels() ?? DEFAULT_MAX_KERNELS,
      opts.maxKernels !== undefined ? 'maxKernels' : 'PROJ_GPUJS_MAX_KERNELS',
    );
    this.kernels = new LruMap(limit, (k) => this.release(k));
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
    this.gpu.createKernel('function (v) { return v; }', { output: [1] }).destroy();
    const gl = this.mode === 'cpu' ? null : (this.gpu.context as WebGLRenderingContext);
    if (gl) {
      const create = gl.createTexture.bind(gl);
      const del = gl.deleteTexture.bind(gl);
      gl.createTexture = () => {
        const t = create();
        if (t) {
          this.glTextures++;
          this.liveTextures.add(t);
        }
        return t;
      };
      // once per texture: it may be deleted by its holder and again by a destroyed kernel's cache
      const deleted = new WeakSet<WebGLTexture>();
      gl.deleteTexture = (t: WebGLTexture | null) => {
        if (!t || deleted.has(t)) return;
        deleted.add(t);
        if (this.liveTextures.delete(t)) this.glTextures--;
        del(t);
      };
    }
    this.home = gl ? new TextureHome(gl) : null;
    this.maxTextureSize = gl ? Number(gl.getParameter(gl.MAX_TEXTURE_SIZE)) : Number.MAX_SAFE_INTEGER;
    this.renderer = describeRenderer(gl, this.mode);
  }

  /** Number of compiled kernels held in the cache. */
  get numKernels(): number {
    return this.kernels.size;
  }

  /** Most compiled kernels kept. */
  get maxKernels(): number {
    return this.kernels.maxSize;
  }

  /** Kernels evicted so far (destroyed to stay within {@link maxKernels}). */
  get evictions(): number {
    return this.kernels.evictions;
  }

  /** Changes the cache limit, evicting least recently used kernels down to it. */
  setMaxKernels(n: number): void {
    this.kernels.setLimit(checkMaxKernels(n, 'maxKernels'));
  }

  /** Runs `spec` with output length `n` on `args`, returning the raw gpu.js result. */
  run(spec: KernelSpec, n: number, args: readonly unknown[]): unknown {
    const { k, extra, sized, fresh } = this.pick(spec, n);
    const out = k.kernel.output;
    if (!sized && (out === null || out[0] !== n)) {
      k.setOutput([n]);
      forgetRecycled(k);
    }
    const result = k(...args, ...extra);
    if (fresh) this.checkTranslation(spec.key, k, result);
    if (this.home && result !== null && typeof result === 'object' && 'kernel' in result) {
      (result as { kernel: unknown }).kernel = this.home;
    }
    return result;
  }

  /** The kernel to run `spec` with: cached, or compiled now (sized or general). */
  private pick(
    spec: KernelSpec,
    n: number,
  ): { k: GpuKernel; extra: readonly number[]; sized: boolean; fresh: boolean } {
    if (spec.sized !== true) {
      return { ...this.lookup(spec.key, spec, n, false), extra: [], sized: false };
    }
    const g: GeneralVariant = spec.general ?? spec;
    const gkey = generalKey(g);
    const extra = spec.general?.args ?? [];
    if (this.kernels.has(spec.key))
      return { ...this.lookup(spec.key, spec, n, true), extra: [], sized: true };
    const seen = this.classes.get(gkey) ?? 0;
    if (this.kernels.has(gkey) || seen >= SIZED_PER_CLASS) {
      return { ...this.lookup(gkey, { key: spec.key, ...g }, n, false), extra, sized: false };
    }
    this.classes.delete(gkey);
    this.classes.set(gkey, seen + 1);
    // the class table only steers the choice; bound it like the cache
    if (this.classes.size > 4 * this.kernels.maxSize)
      this.classes.delete(this.classes.keys().next().value as string);
    return { ...this.lookup(spec.key, spec, n, true), extra: [], sized: true };
  }

  /** The cached kernel under `key` (now most recently used), or `spec` compiled. */
  private lookup(
    key: string,
    spec: { key: string; source: string; helpers?: readonly Helper[]; loops?: number },
    n: number,
    sized: boolean,
  ): { k: GpuKernel; fresh: boolean } {
    const hit = this.kernels.get(key);
    if (hit) {
      this.cacheHits++;
      return { k: hit, fresh: false };
    }
    checkLoops(spec);
    const glsl = this.mode !== 'cpu';
    const helpers = spec.helpers ?? [];
    const k = this.gpu.createKernel(spec.source, {
      output: [n],
      pipeline: true,
      immutable: true,
      precision: 'single',
      tactic: 'precision',
      dynamicOutput: !sized,
      dynamicArguments: !sized,
      ...(glsl
        ? { nativeFunctions: helpers.map((h) => ({ name: h.name, source: h.glsl })) }
        : { functions: helpers.map((h) => h.js) }),
    });
    this.compiles++;
    this.kernels.set(key, k);
    return { k, fresh: true };
  }

  /**
   * gpu.js emits a `for` loop it cannot write in GLSL's canonical form as a loop capped at
   * LOOP_MAX (1000) iterations that silently stops there. Kernels here never rely on that:
   * a capped loop in a freshly compiled shader is refused.
   */
  private checkTranslation(key: string, k: GpuKernel, result: unknown): void {
    const shader = k.kernel.compiledFragmentShader;
    if (typeof shader === 'string' && CAPPED_LOOP.test(shader)) {
      if (result !== null && typeof result === 'object' && 'delete' in result)
        (result as { delete(): void }).delete();
      this.kernels.evict(key);
      throw new Error(
        `gpujs: kernel '${key}' has a loop gpu.js could only translate with its LOOP_MAX cap, which would stop it silently; loops must run from a literal to a literal bound`,
      );
    }
  }

  /**
   * Destroys one kernel: its program, framebuffer and internal textures. Textures it made
   * that tensors still hold are taken out of its texture cache first (gpu.js would delete
   * them with the kernel); they were re-homed when made, so they stay readable.
   */
  private release(k: GpuKernel): void {
    forgetRecycled(k);
    const cache = k.kernel.textureCache;
    if (cache) {
      const keep = cache.filter(
        (t) => this.liveTextures.has(t) && !(((t as { _refs?: number })._refs ?? 0) > 0),
      );
      cache.length = 0;
      cache.push(...keep);
    }
    k.destroy();
  }

  /** Deletes every compiled kernel and the context. */
  destroy(): void {
    this.kernels.evictAll();
    this.classes.clear();
    void this.gpu.destroy();
  }
}

/** Refuses a kernel whose loops would run past the GL's per-invocation limit. */
function checkLoops(spec: { key: string; source: string; loops?: number }): void {
  if (spec.loops === undefined) {
    if (/\bfor\s*\(/.test(spec.source))
      throw new Error(`gpujs: kernel '${spec.key}' has a loop but declares no loop count`);
    return;
  }
  if (spec.loops > LOOP_LIMIT) {
    throw new Error(
      `gpujs: kernel '${spec.key}' needs ${spec.loops} loop iterations per output element, over the ${LOOP_LIMIT} a WebGL shader invocation may run (Mesa llvmpipe stops loops there silently); use the cpu or onnx backend for this shape`,
    );
  }
}
