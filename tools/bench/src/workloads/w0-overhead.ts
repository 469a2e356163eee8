import type { Workload } from '../types.js';

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
      return {
        run() {
          for (let i = 0; i < p.ops; i++) a.add(b).dispose();
        },
        dispose() {
          a.dispose();
          b.dispose();
        },
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
