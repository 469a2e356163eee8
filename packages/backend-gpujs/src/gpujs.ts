// gpu.js is CommonJS; its default export carries the classes. Only what this package uses is typed.
import gpujs from 'gpu.js';

/**
 * WebGL's texture type where the DOM lib is loaded, `object` where it is not: the published
 * .d.ts must compile for Node projects without `lib: ["DOM"]` (skipLibCheck: false).
 */
export type GlTexture = typeof globalThis extends { WebGLTexture: { prototype: infer T } } ? T : object;

/** WebGL's rendering context type where the DOM lib is loaded, `never` where it is not (see {@link GlTexture}). */
export type GlContext = typeof globalThis extends { WebGLRenderingContext: { prototype: infer C } }
  ? C
  : never;

/** A texture gpu.js returns from a pipeline kernel (WebGL modes). */
export interface GpuTexture {
  readonly size: ArrayLike<number>;
  readonly output: ArrayLike<number>;
  delete(): void;
  clone(): GpuTexture;
  renderRawOutput(): Float32Array;
}

/** A compiled gpu.js kernel as returned by `createKernel` (the "run shortcut"). */
export interface GpuKernel {
  (...args: unknown[]): unknown;
  setOutput(output: number[]): void;
  destroy(removeCanvasReferences?: boolean): void;
  readonly kernel: {
    output: number[] | null;
    context?: unknown;
    /** Per-argument state; `prevArg` is gpu.js' recycling slot for immutable kernels (WebGL modes). */
    kernelArguments?: { prevArg?: GpuTexture | null }[];
    /** The GLSL of the last compile (WebGL modes, after the first run). */
    compiledFragmentShader?: string | null;
    /** GL textures the kernel created; `destroy()` deletes every one still listed. */
    textureCache?: GlTexture[];
  };
}

/** The gpu.js `GPU` instance surface used here. */
export interface GpuInstance {
  readonly mode: string;
  readonly context: unknown;
  createKernel(source: string, settings: Record<string, unknown>): GpuKernel;
  destroy(): Promise<void> | void;
}

interface GpuStatics {
  new (settings?: Record<string, unknown>): GpuInstance;
  readonly isHeadlessGLSupported: boolean;
  readonly isWebGL2Supported: boolean;
  readonly isWebGLSupported: boolean;
}

/** gpu.js's GPU class. */
export const GPU = (gpujs as unknown as { GPU: GpuStatics }).GPU;
