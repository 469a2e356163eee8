/**
 * The two registries of the bench: workloads (what is measured) and subjects (who runs it).
 * A workload carries one implementation per JavaScript API it can be written against; a
 * subject names the API it speaks, so a new backend of ours needs no change to any workload.
 */

/** Numeric parameters of one case of a workload, e.g. `{ n: 512 }`. */
export type Params = Record<string, number>;

/** How many warm-up and timed iterations to run. */
export interface Plan {
  warmup: number;
  iterations: number;
  /**
   * Seconds the timed part may take. When set, iterations (and warm-ups) are lowered to fit,
   * down to `minIterations`; the result is marked as reduced.
   */
  budgetS?: number;
  minIterations?: number;
}

/** One concrete measurement of a workload: its parameters and the plan to time it with. */
export interface Case {
  /** Row label in the table, e.g. `W1 N=512`. */
  label: string;
  params: Params;
  plan: Plan;
}

/** A prepared case: inputs are allocated; `run` is one timed iteration. */
export interface Prepared {
  /** One iteration. Its result must be computed (not merely scheduled) when it returns. */
  run(): void | Promise<void>;
  /** Frees the inputs. */
  dispose(): void;
  /** Training workloads: the loss at the first and the last step run so far (warm-ups included). */
  losses?(): Losses;
  /** Compiled training workloads: what compiling cost, read after the last step. */
  compiled?(): CompileCost;
}

/** The loss a training workload read back at its first and its last step. */
export interface Losses {
  first: number;
  last: number;
}

/** `stats()` of `compile`'s result, as much of it as the bench reads. */
export interface CompileStats {
  /** Graphs traced so far, `compile`'s own included. */
  traces: number;
  /** onnxruntime sessions built so far. */
  sessionsCreated: number;
  /** Milliseconds to trace the first graph and build its session (done by `compile` itself). */
  compileMs: number;
}

/**
 * What compiling cost a compiled training workload: `stats()` after the last step, plus the
 * graphs that steps traced. On a fixed batch only the optimizer's first step may trace one
 * more (Adam's first step creates its state, so the second step runs another code path).
 */
export interface CompileCost extends CompileStats {
  /** Graphs traced by steps, after `compile`'s own. */
  stepTraces: number;
  /** The last step (1-based) that traced a graph; 0 when none did. */
  lastTraceStep: number;
  /** Milliseconds the steps that traced took beyond the median step that did not. */
  stepTraceMs: number;
}

/** A compiled training step: `compile(model, { loss, optimizer, exampleInputs })`'s result. */
export interface CompiledStep {
  /** One training step (zero grads, forward, loss, backward, update) on `(x, target)`; the loss. */
  step(x: import('@proj/core').Tensor, target: import('@proj/core').Tensor): import('@proj/core').Tensor;
  stats(): CompileStats;
  dispose(): void;
}

/**
 * `compile` of `@proj/backend-onnx`, as much of it as the bench uses (declared here so this
 * package typechecks whether or not that package is linked into its `node_modules`, and before
 * the package exports it).
 */
export type Compile = (
  model: import('@proj/core').nn.Module,
  opts: {
    loss: import('@proj/core').nn.Module;
    optimizer: import('@proj/core').optim.Optimizer<any>;
    exampleInputs: readonly [import('@proj/core').Tensor, import('@proj/core').Tensor];
    /** Threads inside one ONNX Runtime operator. */
    intraOpNumThreads?: number;
  },
) => CompiledStep;

/** The JavaScript libraries a workload can be written against, by API name. */
export interface Apis {
  ours: typeof import('@proj/core');
  tfjs: typeof import('@tensorflow/tfjs-core');
  /**
   * Whole training steps traced into one ONNX graph: ours plus `compile`, and the ONNX Runtime
   * intra-op threads to compile with.
   */
  onnxCompiled: { core: typeof import('@proj/core'); compile: Compile; intraOpNumThreads: number };
}
export type ApiName = keyof Apis;

/** One workload (W0, W1, …). Add a file under `workloads/` and list it in `workloads/index.ts`. */
export interface Workload {
  id: string;
  title: string;
  /** Unit of the reported figure, e.g. `µs/op` or `GFLOP/s`. */
  unit: string;
  /** Whether a larger figure is better (GFLOP/s) rather than worse (µs/op). */
  higherIsBetter: boolean;
  cases(opts: { quick: boolean }): Case[];
  /** Converts the seconds one iteration took into the reported figure. */
  figure(params: Params, seconds: number): number;
  /** A training step (W2–W4, W6): measured on the PyTorch two-thread reference too. */
  training?: boolean;
  /**
   * Why an API has no implementation (e.g. tfjs has no TransformerEncoder): the note shown
   * instead of the generic "has no implementation".
   */
  cannot?: { [K in ApiName]?: string };
  /** Implementations per JavaScript API. PyTorch's live in `py/bench_torch.py`, keyed by `id`. */
  impls: { [K in ApiName]?: (lib: Apis[K], params: Params) => Prepared | Promise<Prepared> };
}

/** Median and spread of the seconds per iteration. */
export interface Summary {
  median: number;
  p10: number;
  p90: number;
  iterations: number;
  warmup: number;
}

/** A case given to a subject to measure. */
export interface Job {
  workload: Workload;
  case: Case;
}

/** What a subject reports for one job: timings, or why it did not run. */
export type JobResult =
  | {
      ok: true;
      samples: number[];
      summary: Summary;
      reduced: boolean;
      note?: string;
      losses?: Losses;
      compiled?: CompileCost;
    }
  | { ok: false; note: string };

/** A started subject, ready to measure. */
export interface Session {
  /** Library versions and settings worth recording (threads, SIMD, …). */
  info: Record<string, string | number | boolean>;
  /** One line printed under the table (e.g. the renderer a GPU subject runs on). */
  detail?: string;
  /**
   * What the figures do not say, e.g. that a WebGPU adapter is SwiftShader (a CPU running the
   * shaders). The subject's column is marked `†` and the line printed under the table.
   */
  caveat?: string;
  measure(job: Job): Promise<JobResult>;
  close(): Promise<void>;
}

/** Something that runs workloads: one backend of ours, a tfjs backend, PyTorch. */
export interface Subject {
  /** Short id used by `--subjects`, e.g. `ours-cpu`, `tfjs-wasm`, `pytorch`. */
  id: string;
  title: string;
  /** Starts the subject, or returns a note saying why it cannot run on this machine. */
  open(jobs: Job[]): Promise<Session | string>;
}
