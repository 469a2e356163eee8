import {
  arange,
  bernoulli,
  cdist,
  einsum,
  full,
  linalg,
  manualSeed,
  multinomial,
  normal,
  ones,
  randintLike,
  randLike,
  tensor,
  trace,
} from '@proj/core';
import { type ConformanceCase, tcase } from '../case.js';
import { f32 } from './data.js';

/** 2^17 = 131072: the size at which reductions must accumulate without losing exactness here. */
const N = 1 << 17;

/** 0..7 repeating, as float32: every partial sum of N of them is an integer below 2^24 (exact). */
const cyc = (n: number) => tensor(Float32Array.from({ length: n }, (_, i) => i % 8));

/**
 * einsum, cdist and the linalg norms (composites of permute/reshape/matmul/sum/where/pow in core,
 * so these hold every backend's kernels to closed-form values, including 2^17-element
 * reductions), and the random ops multinomial, bernoulli, normal, randLike and randintLike
 * (drawn in core and uploaded: the device's result must be what was drawn). Their values and
 * gradients against PyTorch are the `table/*` cases (mm, bmm, diag, cdist, meshgrid, ...) and
 * core's fixtures/linalg.json.
 */
export const linalgCases: ConformanceCase[] = [
  tcase('linalg/einsum/matmul-trace-outer', (t) => {
    const a = f32([
      [1, 2],
      [3, 4],
    ]);
    t.equal(einsum('ij,jk->ik', a, a), [
      [7, 10],
      [15, 22],
    ]);
    t.equal(einsum('ii', a), 5);
    t.equal(einsum('ii->i', a), [1, 4]);
    t.equal(einsum('i,j', f32([1, 2]), f32([3, 4, 5])), [
      [3, 4, 5],
      [6, 8, 10],
    ]);
    t.equal(einsum('...ij->...ji', a.unsqueeze(0)), [
      [
        [1, 3],
        [2, 4],
      ],
    ]);
  }),
  tcase('linalg/einsum/batch-broadcast-and-backward', (t) => {
    const a = f32([[[1, 2, 3]], [[4, 5, 6]]]).requiresGrad_(true); // [2, 1, 3]
    const b = f32([[1], [1], [1]]); // [3, 1]
    const y = einsum('...ij,jk->...ik', a, b);
    t.equal(y, [[[6]], [[15]]]);
    y.sum().backward();
    t.equal(a.grad!, [[[1, 1, 1]], [[1, 1, 1]]]);
  }),
  tcase('linalg/einsum/dot-2-17', (t) => {
    // sum of 0..7 repeating over 2^17 elements: 3.5 · 2^17 = 458752, exact in float32
    t.equal(einsum('i,i->', cyc(N), ones(N)), 458752);
    t.equal(einsum('ij->j', cyc(N).reshape(N / 2, 2)), [196608, 262144]);
  }),
  tcase(
    'linalg/einsum/int64',
    (t) => {
      const a = tensor([
        [1n, 2n],
        [3n, 4n],
      ]);
      const y = einsum('ij,jk->ik', a, a);
      t.dtype(y, 'int64');
      t.equal(y, [
        [7, 10],
        [15, 22],
      ]);
    },
    ['int64'],
  ),
  tcase('linalg/vectorNorm/2-17', (t) => {
    const signs = cyc(N).sub(3.5).sign(); // ±1
    t.equal(linalg.vectorNorm(signs, 1), N);
    t.close(linalg.vectorNorm(signs), Math.sqrt(N));
    t.equal(linalg.vectorNorm(cyc(N), Number.POSITIVE_INFINITY), 7);
    t.equal(linalg.vectorNorm(cyc(N), 0), (N * 7) / 8);
    t.close(linalg.vectorNorm(cyc(N).reshape(N / 8, 8), 3, 0).narrow(0, 0, 3), [
      0,
      16384 ** (1 / 3),
      2 * 16384 ** (1 / 3),
    ]);
  }),
  tcase('linalg/norms/matrix-and-backward', (t) => {
    const m = f32([
      [1, -2],
      [3, 4],
    ]).requiresGrad_(true);
    t.equal(linalg.matrixNorm(m, 1), 6);
    t.equal(linalg.matrixNorm(m, Number.POSITIVE_INFINITY), 7);
    t.close(linalg.norm(m), Math.sqrt(30));
    linalg.vectorNorm(m).backward();
    t.close(m.grad!, [
      [1 / Math.sqrt(30), -2 / Math.sqrt(30)],
      [3 / Math.sqrt(30), 4 / Math.sqrt(30)],
    ]);
    const z = f32([0, 0]).requiresGrad_(true);
    linalg.vectorNorm(z).backward();
    t.equal(z.grad!, [0, 0]);
  }),
  tcase('linalg/cdist/grid-2-17', (t) => {
    // x1 row i = (i, 0, 0, 0), x2 row j = (0, j, 0, 0): 256·128·4 = 2^17 differences.
    const x1 = arange(256, { dtype: 'float32' })
      .unsqueeze(1)
      .mul(f32([[1, 0, 0, 0]]));
    const x2 = arange(128, { dtype: 'float32' })
      .unsqueeze(1)
      .mul(f32([[0, 1, 0, 0]]));
    const at = (d: ReturnType<typeof cdist>, i: number, j: number) =>
      d.narrow(0, i, 1).narrow(1, j, 1).reshape([]);
    const l1 = cdist(x1, x2, 1);
    t.equal(at(l1, 255, 127), 382);
    t.equal(l1.sum(), 128 * 32640 + 256 * 8128);
    t.equal(at(cdist(x1, x2, Number.POSITIVE_INFINITY), 200, 100), 200);
    // p = 2 with more than 25 rows: the matrix-product formula (exact on these integers)
    t.close(at(cdist(x1, x2), 3, 4), 5);
    t.close(at(cdist(x1, x2, 2, 'donot_use_mm_for_euclid_dist'), 30, 40), 50);
  }),
  tcase('linalg/cdist/backward', (t) => {
    const x1 = f32([[0, 0]]).requiresGrad_(true);
    cdist(x1, f32([[3, 4]]))
      .sum()
      .backward();
    t.close(x1.grad!, [[-0.6, -0.8]]);
    const x2 = f32([[0, 0]]).requiresGrad_(true);
    cdist(f32([[1, 1]]), x2, Number.POSITIVE_INFINITY)
      .sum()
      .backward();
    t.equal(x2.grad!, [[-1, -1]], 'p = inf: every coordinate at the maximum');
  }),
  tcase('linalg/trace/large', (t) => {
    t.equal(trace(ones(512, 256)), 256);
  }),
  tcase('linalg/random/multinomial-bernoulli-exact', (t) => {
    const m = multinomial(f32([[0, 0, 2]]), 3, true);
    t.dtype(m, 'int64');
    t.equal(m, [[2, 2, 2]]);
    t.ok(m.device === t.backend, `multinomial on ${m.device}, expected ${t.backend}`);
    t.equal(bernoulli(f32([0, 1, 1, 0])), [0, 1, 1, 0]);
    t.equal(normal(f32([1, 2]), 0), [1, 2]);
  }),
  tcase('linalg/random/seeded-samples', (t) => {
    manualSeed(123);
    const samples = [
      normal(0, 1, [1000]),
      bernoulli(full([1000], 0.25)),
      multinomial(f32([1, 3]), 1000, true),
      randLike(ones(1000)),
      randintLike(ones(1000), 2, 6),
    ];
    manualSeed(123);
    t.equal(normal(0, 1, [1000]), samples[0], 'normal is deterministic under a seed');
    t.read(samples, (...values) => {
      // as numbers, as toArray() gives them (multinomial's indices are int64)
      const [a, b, c, r, i] = values.map((v) => Array.from(v as ArrayLike<number | bigint>, Number));
      const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
      t.ok(Math.abs(mean(a)) < 0.15, `normal mean ${mean(a)}`);
      t.ok(Math.abs(mean(b) - 0.25) < 0.06, `bernoulli mean ${mean(b)}`);
      t.ok(Math.abs(mean(c) - 0.75) < 0.06, `multinomial mean ${mean(c)}`);
      t.ok(r.every((x) => x >= 0 && x < 1) && Math.abs(mean(r) - 0.5) < 0.04, `randLike mean ${mean(r)}`);
      t.ok(
        i.every((x) => x >= 2 && x < 6 && Number.isInteger(x)),
        'randintLike range',
      );
    });
  }),
];
