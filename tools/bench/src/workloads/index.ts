import type { Workload } from '../types.js';
import { w0Overhead } from './w0-overhead.js';
import { w1Matmul } from './w1-matmul.js';

/** Every workload, in table order. A new workload is one file plus one entry here. */
export const WORKLOADS: Workload[] = [w0Overhead, w1Matmul];
