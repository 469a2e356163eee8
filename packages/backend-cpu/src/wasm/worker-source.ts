/**
 * The source of a kernel worker thread, as a string so that one file serves Node
 * (`new Worker(src, { eval: true })`) and browsers (a Blob URL) without a bundler step.
 *
 * The worker instantiates the kernels module against the shared memory, marks itself ready,
 * then loops: wait until its slot's flag is RUN (spinning for `spinMs` first, as OpenMP runtimes
 * do: a training step's GEMMs arrive a fraction of a millisecond apart, and waking a sleeping
 * thread cost ~80 µs on the machines we measured), call the
 * export named by the slot with its ten i32 arguments, clear the flag and wake the caller.
 * Slot layout (Int32Array words from `base`): see thread-pool.ts.
 */
export const WORKER_SOURCE = `
'use strict';
function start(d) {
  const c = new Int32Array(d.control);
  const base = d.base;
  let fns;
  try {
    const inst = new WebAssembly.Instance(d.module, { env: { memory: d.memory } });
    fns = d.names.map((n) => inst.exports[n]);
  } catch (e) {
    Atomics.store(c, base + ${12}, 2);
    return;
  }
  Atomics.store(c, base + ${12}, 1);
  for (;;) {
    let f = Atomics.load(c, base);
    if (f === 0) {
      const until = performance.now() + d.spinMs;
      do {
        for (let s = 0; s < 256 && (f = Atomics.load(c, base)) === 0; s++);
      } while (f === 0 && performance.now() < until);
    }
    if (f === 0) {
      Atomics.wait(c, base, 0);
      f = Atomics.load(c, base);
    }
    if (f === 2) return;
    if (f !== 1) continue;
    try {
      fns[c[base + 1]](c[base + 2], c[base + 3], c[base + 4], c[base + 5], c[base + 6], c[base + 7], c[base + 8], c[base + 9], c[base + 10], c[base + 11]);
    } catch (e) {
      Atomics.store(c, base + 13, 1);
    }
    Atomics.store(c, base, 0);
    Atomics.notify(c, base);
  }
}
if (typeof process === 'object' && typeof process.getBuiltinModule === 'function') {
  start(process.getBuiltinModule('node:worker_threads').workerData);
} else {
  self.onmessage = (e) => start(e.data);
}
`;
