// The shared conformance suite again, with every GEMM split over two threads (the threshold that
// keeps small products on one thread set to 0), so each case's matmul, linear, conv and
// attention runs on the worker pool; conformance.test.ts runs it as users get it.
import { runConformance } from '@proj/backend-tests';
import { beforeAll } from 'vitest';
import { cpuSkips, cpuTolerance } from './conformance.skips.js';
import './index.js';
import { setThreadMinWork } from './kernels/matmul-wasm.js';
import { setNumThreads, threadPool } from './wasm/thread-pool.js';

beforeAll(() => {
  setThreadMinWork(0);
  setNumThreads(2);
  const until = Date.now() + 10_000;
  while ((threadPool()?.readyWorkers() ?? 0) < 1) {
    if (Date.now() > until)
      throw new Error('conformance (threads): the worker thread did not start within 10 s');
  }
});

runConformance({ backend: 'cpu', skip: cpuSkips, tolerance: cpuTolerance });
