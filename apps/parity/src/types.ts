// The shapes shared by the catalogue, the runner and the reports.
import type { PresetName } from './tolerances.js';

/** One named result of a case, read back to plain numbers (row-major). */
export interface Values {
  shape: readonly number[];
  data: readonly number[];
  /** Integer and bool results compare exactly (indices, comparisons). */
  exact?: boolean;
}

/** Everything a case computes, by name: `out`, `grad.0`, `loss`, `param.fc.weight`, … */
export type Outputs = Record<string, Values>;

/** The case families; each has a tolerance preset and a paragraph in the README. */
export type Family = 'op' | 'functional' | 'layer' | 'optim' | 'model' | 'export' | 'compiled';

/**
 * One entry of the catalogue. `run` builds the inputs on `target` (a backend name, or an
 * export runtime for the export family), computes and reads everything back. The reference is
 * `run('cpu')`; `expected` (when the case comes from a PyTorch fixture) is PyTorch's answer.
 */
export interface Case {
  id: string;
  family: Family;
  tolerance: PresetName;
  /** Where the case runs; default: every started backend. */
  targets?: readonly string[];
  run(target: string): Outputs | Promise<Outputs>;
  expected?: Outputs;
}

/** Largest errors of one comparison and whether every element is within tolerance. */
export interface Diff {
  maxAbs: number;
  maxRel: number;
  pass: boolean;
  /** First failing value, e.g. `grad.0[3]: 0.51 vs 0.5`. */
  worst?: string;
}

/** One cell of the table: a case on one backend. */
export interface CellResult {
  status: 'pass' | 'fail' | 'error' | 'skip';
  vsCpu?: Diff;
  vsTorch?: Diff;
  /** Error message (status 'error') or skip reason. */
  message?: string;
  ms: number;
  /** Tensors left alive by the case (memory().numTensors after − before). */
  leaked?: number;
}

/** One row of the table. */
export interface CaseResult {
  id: string;
  family: Family;
  tolerance: PresetName;
  cells: Record<string, CellResult>;
}

/** Whether a backend (or export runtime) could start, and how. */
export interface TargetInfo {
  name: string;
  /** A backend runs every case; an export runtime runs the export cases. */
  kind: 'backend' | 'export';
  started: boolean;
  /** gpujs running on gpu.js's CPU fallback instead of WebGL (does not satisfy --require). */
  fallback?: boolean;
  detail: string;
}

/** The whole run: what the JSON file holds and the HTML/terminal reports show. */
export interface Report {
  startedAt: string;
  seconds: number;
  argv: string[];
  targets: TargetInfo[];
  tolerances: Record<string, unknown>;
  results: CaseResult[];
  summary: Record<string, { pass: number; fail: number; error: number; skip: number }>;
  failures: string[];
  ok: boolean;
}
