import type { Workload } from '../types.js';
import { w0Overhead } from './w0-overhead.js';
import { w1Matmul } from './w1-matmul.js';
import { w2Mlp } from './w2-mlp.js';
import { w3Cnn } from './w3-cnn.js';
import { w4Lstm } from './w4-lstm.js';
import { w6Transformer } from './w6-transformer.js';

/**
 * Every workload, in table order. A new workload is one file plus one entry here. W5 (one epoch
 * of the MNIST demo) is measured by `pnpm demo`, not here: an epoch takes minutes per subject.
 */
export const WORKLOADS: Workload[] = [w0Overhead, w1Matmul, w2Mlp, w3Cnn, w4Lstm, w6Transformer];
