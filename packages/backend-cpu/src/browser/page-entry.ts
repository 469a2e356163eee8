// The page of threads.test.ts: the CPU backend in a browser, on a cross-origin isolated page
// (SharedArrayBuffer, so worker threads) or a plain one (one thread). `runThreads()` waits for
// the workers (they start only while the page yields), multiplies two 256x256 matrices with one
// thread and with two, and reports what the backend says it runs on.
import * as core from '@proj/core';
import { type CpuInfo, cpuInfo, getNumThreads, setNumThreads } from '../index.js';

export interface ThreadsResult {
  isolated: boolean;
  info: CpuInfo;
  threads: number;
  /** The products' bits with one and with two threads (as number arrays). */
  one: number[];
  two: number[];
  parallelGemms: number;
}

const bits = (t: core.Tensor): number[] => Array.from(new Uint32Array((t.dataSync() as Float32Array).buffer));

async function runThreads(): Promise<ThreadsResult> {
  core.setBackend('cpu');
  core.manualSeed(1);
  const a = core.randn([256, 256]);
  const b = core.randn([256, 256]);
  setNumThreads(1);
  const one = bits(a.matmul(b));
  setNumThreads(2);
  // workers start asynchronously; give them the event loop for up to 10 s
  for (
    let i = 0;
    i < 100 && cpuInfo().workersReady < 1 && cpuInfo().singleThreadedReason === undefined;
    i++
  ) {
    a.matmul(b).dispose(); // the first large product starts the pool
    await new Promise((r) => setTimeout(r, 100));
  }
  const two = bits(a.matmul(b));
  return {
    isolated: (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true,
    info: cpuInfo(),
    threads: getNumThreads(),
    one,
    two,
    parallelGemms: cpuInfo().parallelGemms,
  };
}

(globalThis as unknown as { runThreads: typeof runThreads }).runThreads = runThreads;
