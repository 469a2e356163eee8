// What `initWebGPU()` reports about the adapter, and how it is chosen (no WebGPU types here:
// the published declarations must compile without `@webgpu/types`).

/** What the backend runs on, as the adapter reports it. */
export interface AdapterReport {
  /** `'navigator.gpu'` in a browser, `'webgpu (Dawn)'` in Node. */
  readonly implementation: string;
  /** Adapter vendor, e.g. `'nvidia'`, `'google'` (SwiftShader). */
  readonly vendor: string;
  /** Adapter architecture, e.g. `'ampere'`, `'swiftshader'`. */
  readonly architecture: string;
  /** Adapter device name where the implementation exposes it. */
  readonly device: string;
  /** Human-readable description, e.g. `'SwiftShader Device (Subzero)'`. */
  readonly description: string;
  /** True for a software (CPU) adapter such as SwiftShader: numbers are right, speed says nothing about GPUs. */
  readonly software: boolean;
  /** One line naming the adapter, for logs and bench headers. */
  readonly summary: string;
}

/** How to find the adapter. */
export interface AdapterOptions {
  /** Passed to `requestAdapter` (default `'high-performance'`). */
  powerPreference?: 'low-power' | 'high-performance';
  /**
   * A `GPU` object to use instead of `navigator.gpu` / the `webgpu` package (tests, workers,
   * or an implementation created with its own options).
   */
  gpu?: unknown;
}
