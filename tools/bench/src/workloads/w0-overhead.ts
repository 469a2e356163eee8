import type { Workload } from '../types.js';
import { readFirstAsync, readsSync } from './reads.js';

/** Sequential adds per iteration. */
const OPS = 10_000;

/** W0: per-op overhead — 10,000 sequential `a.add(b)` on 1×1 tensors, each result disposed. */
export const w0Overhead: Workload = {
  id: 'W0',
  title: 'per-op overhead (1x1 add)',
  unit: 'µs/op',
  higherIsBetter: false,
  cases: ({ quick }) => [
    {
      label: 'W0 add 1x1',
      params: { ops: OPS },
      plan: quick ? { warmup: 1, iterations: 3 } : { warmup: 5, iterations: 20 },
    },
  ],
  figure: (p, seconds) => (seconds / p.ops) * 1e6,
  impls: {
    ours: (core, p) => {
      const a = core.tensor([[0.5]]);
      const b = core.tensor([[0.25]]);
      const dispose = () => {
        a.dispose();
        b.dispose();
      };
      if (!readsSync(core)) {
        // A backend that only queues the adds (WebGPU): the last sum is read with await, so
        // the iteration ends when the device has run all 10,000 of them.
        return {
          async run() {
            for (let i = 1; i < p.ops; i++) a.add(b).dispose();
            await readFirstAsync(a.add(b));
          },
          dispose,
        };
      }
      return {
        run() {
          for (let i = 0; i < p.ops; i++) a.add(b).dispose();
        },
        dispose,
      };
    },
    tfjs: (tf, p) => {
      const a = tf.tensor2d([[0.5]]);
      const b = tf.tensor2d([[0.25]]);
      return {
        run() {
          for (let i = 0; i < p.ops; i++) tf.add(a, b).dispose();
        },
        dispose() {
          a.dispose();
          b.dispose();
        },
      };
    },
  },
};
