// The one-op models a trace inlines, by kernel key: shared by every trace (building them is
// most of a trace's cost), bounded, and counted in the 'onnx' backend's memory().
import { LruMap } from '@proj/core';
import type { GraphBuilder } from '../proto/index.js';

/** At most this many one-op models are kept (least recently used dropped). */
export const KERNEL_MODELS = 2048;

/** The cache itself. */
export const SUBGRAPHS = new LruMap<GraphBuilder>(KERNEL_MODELS, () => {});

/** One-op models kept now. */
export function traceKernelModels(): number {
  return SUBGRAPHS.size;
}
