// The page's test hook (`window.__playground`): what scripts/e2e.ts drives through Playwright.
import type { BackendInfo } from './backends.js';

/** Options of {@link PlaygroundHook.train}. */
export interface HookTrainOptions {
  backend: string;
  batches: number;
  /** Default 64. */
  batchSize?: number;
  /** Start from a fresh seeded model and the first batch (default true). */
  reset?: boolean;
  /** Test images to measure accuracy on afterwards (default 500; 0 skips). */
  evalCount?: number;
}

/** What a training run through the hook measured. */
export interface HookTrainReport {
  backend: BackendInfo;
  batches: number;
  batchSize: number;
  losses: number[];
  /** Wall time of each batch (the first includes kernel compiles / session builds). */
  batchMs: number[];
  /** Mean loss of the first and of the last three batches. */
  lossStart: number;
  lossEnd: number;
  /** Accuracy on the last batch (before its update). */
  batchAccuracyEnd: number;
  /** Accuracy on `testCount` test images after training; NaN when skipped. */
  testAccuracy: number;
  testCount: number;
  trainMs: number;
  evalMs: number;
  /** Points in the loss and accuracy charts. */
  chartPoints: { loss: number; accuracy: number };
  /** Charts drawn as SVG with lines in them (2 when both are). */
  chartSvgs: number;
}

/** What classifying the drawing measured. */
export interface HookClassifyReport {
  backend: string;
  probs: number[];
  probSum: number;
  predicted: number;
  /** The saliency map's largest |gradient|, lit pixels in the data and on the canvas. */
  saliencyMax: number;
  saliencyLit: number;
  saliencyCanvasLit: number;
  ms: number;
}

/** `window.__playground`. */
export interface PlaygroundHook {
  backends: readonly string[];
  train(opts: HookTrainOptions): Promise<HookTrainReport>;
  /** A model with the weights `pnpm demo` trained (@proj/vision), on `backend`. */
  loadPretrained(backend: string): Promise<void>;
  /**
   * Saves the model in IndexedDB, replaces it with a fresh one, loads the saved weights back
   * and reports the prediction before and after (classify() in between), on the current backend.
   */
  storageRoundTrip(): Promise<{ before: number[]; fresh: number[]; after: number[] }>;
  /** Paints test image `index` onto the drawing canvas; returns its label. */
  drawTestImage(index: number): number;
  /** Classifies the canvas (as the UI does after a stroke) and draws the saliency map. */
  classify(): Promise<HookClassifyReport>;
}

declare global {
  interface Window {
    __playground?: PlaygroundHook;
    /** Set when the page failed to start, with the reason. */
    __playgroundError?: string;
  }
}
