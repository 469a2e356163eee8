import { cat, roundToHalf, type Tensor, tensor } from '@proj/core';
import { type ConformanceCase, tcase } from '../case.js';
import type { Tols } from '../checks.js';

// float16 / bfloat16 (contract v2: storage dtypes; ops compute in float32 and round each result
// once, as PyTorch). Core stores them on every backend as float32 buffers holding exact half
// values; these cases hold each backend to PyTorch's values (written here as computed by
// PyTorch 1.13, `torch.tensor(...).half()` etc.).

const INF = Number.POSITIVE_INFINITY;

/** Every value of `x` is a value of its half dtype (the storage never holds anything else). */
function representable(t: Tols, x: Tensor, what: string): void {
  const dtype = x.dtype as 'float16' | 'bfloat16';
  t.read(x, (v) => {
    t.ok(v instanceof Float32Array, `${what}: dataSync() of ${dtype} is a Float32Array`);
    for (let i = 0; i < v.length; i++) {
      const y = v[i] as number;
      if (!Number.isNaN(y) && !Object.is(y, roundToHalf(y, dtype))) {
        t.ok(false, `${what}: element ${i} is ${y}, which ${dtype} cannot hold`);
      }
    }
  });
}

/** `got` within one half-type rounding step (2^-10 relative for float16, 2^-7 for bfloat16) of `want`. */
function nearHalf(t: Tols, got: Tensor, want: number[], what: string): void {
  const step = got.dtype === 'float16' ? 2 ** -10 : 2 ** -7;
  t.read(got, (values) => {
    const g = [...(values as Float32Array)];
    t.ok(g.length === want.length, `${what}: ${g.length} values, expected ${want.length}`);
    g.forEach((v, i) => {
      t.ok(
        Math.abs(v - want[i]) <= step * Math.abs(want[i]),
        `${what}: element ${i} is ${v}, expected ${want[i]}`,
      );
    });
  });
}

export const halfCases: ConformanceCase[] = [
  tcase(
    'dtypes/float16/storage',
    (t) => {
      const x = tensor([1 / 3, 70000, 65504, 2 ** -24, -0, 2049], { dtype: 'float16' });
      t.dtype(x, 'float16');
      t.read(x, (v) => t.ok(v instanceof Float32Array, 'float16 dataSync() is a Float32Array'));
      t.equal(x, [0.333251953125, INF, 65504, 2 ** -24, -0, 2048]);
      t.read(x, (v) => t.ok(Object.is(v[4], -0), '-0 keeps its sign'));
    },
    ['float16'],
  ),
  tcase(
    'dtypes/bfloat16/storage',
    (t) => {
      const x = tensor([1 / 3, 70000, 3.4e38, -0, 257], { dtype: 'bfloat16' });
      t.dtype(x, 'bfloat16');
      t.read(x, (v) => t.ok(v instanceof Float32Array, 'bfloat16 dataSync() is a Float32Array'));
      t.equal(x, [0.333984375, 70144, INF, -0, 256]);
    },
    ['bfloat16'],
  ),
  tcase(
    'dtypes/float16/cast-edges',
    (t) => {
      // torch.tensor([...]).half(): IEEE round to nearest even, overflow to inf, subnormals
      const x = tensor([
        70000,
        -70000,
        65519,
        65520,
        2 ** -25,
        3 * 2 ** -25,
        1 / 3,
        Number.NaN,
        INF,
        -INF,
        -0,
      ]);
      const h = x.half();
      t.dtype(h, 'float16');
      t.equal(h, [INF, -INF, 65504, INF, 0, 2 ** -23, 0.333251953125, Number.NaN, INF, -INF, -0]);
      t.equal(x.to('half'), [INF, -INF, 65504, INF, 0, 2 ** -23, 0.333251953125, Number.NaN, INF, -INF, -0]);
      t.equal(tensor([3, -7], { dtype: 'int32' }).half(), [3, -7]);
      t.equal(tensor([2.75, -2.75], { dtype: 'float16' }).int(), [2, -2]);
      t.equal(h.float(), [INF, -INF, 65504, INF, 0, 2 ** -23, 0.333251953125, Number.NaN, INF, -INF, -0]);
    },
    ['float16'],
  ),
  tcase(
    'dtypes/bfloat16/cast-edges',
    (t) => {
      const x = tensor([70000, 1 / 3, 3.4e38, Number.NaN, -0, 1 + 2 ** -8, 1 + 3 * 2 ** -8]);
      const b = x.bfloat16();
      t.dtype(b, 'bfloat16');
      t.equal(b, [70144, 0.333984375, INF, Number.NaN, -0, 1, 1.015625]);
      // half → bfloat16 goes through float32
      t.equal(tensor([0.1], { dtype: 'float16' }).bfloat16(), [0.10009765625]);
    },
    ['float16', 'bfloat16'],
  ),
  tcase(
    'dtypes/float16/arithmetic-rounds-once',
    (t) => {
      const a = tensor([0.1, 1, 2049], { dtype: 'float16' });
      const s = a.add(tensor([0.2, 2 ** -11, 1], { dtype: 'float16' }));
      t.dtype(s, 'float16');
      t.equal(s, [0.2998046875, 1, 2048]);
      t.equal(
        tensor([1, 2, 3], { dtype: 'float16' }).div(tensor([3, 7, 10], { dtype: 'float16' })),
        [0.333251953125, 0.28564453125, 0.300048828125],
      );
      t.equal(a.mul(0.1), [0.0099945068359375, 0.0999755859375, 204.75]); // the scalar rounds to float16 too
      t.equal(
        tensor([60000, 60000], { dtype: 'float16' }).add(tensor([60000, -60000], { dtype: 'float16' })),
        [INF, 0],
      );
      representable(t, a.sub(0.3).mul(a), 'a.sub(0.3).mul(a)');
    },
    ['float16'],
  ),
  tcase(
    'dtypes/bfloat16/arithmetic-rounds-once',
    (t) => {
      const p = tensor([0.1, 1 / 3, 3], { dtype: 'bfloat16' }).mul(
        tensor([3, 3, 1 / 3], { dtype: 'bfloat16' }),
      );
      t.dtype(p, 'bfloat16');
      t.equal(p, [0.30078125, 1, 1]);
    },
    ['bfloat16'],
  ),
  tcase(
    'dtypes/float16/sum-accumulates-in-float32',
    (t) => {
      // 2048 + 1 would round back to 2048 at every step in float16; PyTorch accumulates in float32
      t.equal(tensor([2048, 1, 1, 1, 1], { dtype: 'float16' }).sum(), 2052);
      t.equal(tensor([256, 1, 1, 1, 1], { dtype: 'bfloat16' }).sum(), 260);
      const m = tensor([60000, 60000], { dtype: 'float16' }).mean();
      t.dtype(m, 'float16');
      t.equal(m, 60000); // the sum would overflow float16: mean is one kernel, rounded once
      t.equal(
        tensor(
          [
            [1, 2049],
            [3, 4],
          ],
          { dtype: 'float16' },
        ).sum(1),
        [2048, 7],
      );
    },
    ['float16', 'bfloat16'],
  ),
  tcase(
    'dtypes/float16/matmul',
    (t) => {
      const e = 1 + 2 ** -10;
      const a = tensor([e, e, e, e, 0.1, 0.2, 0.3, 0.4], { dtype: 'float16' }).reshape([2, 4]);
      const w = tensor([e, e, e, e], { dtype: 'float16' }).reshape([4, 1]);
      const y = a.matmul(w);
      t.dtype(y, 'float16');
      t.equal(y, [[4.0078125], [1.0009765625]]);
    },
    ['float16'],
  ),
  tcase(
    'dtypes/float16/transcendental',
    (t) => {
      // exp and softmax in float32, rounded once; a backend's float32 exp may differ by an ulp,
      // which can move a value across a float16 rounding boundary: one float16 step is allowed
      const x = tensor([0.5, 1, -1], { dtype: 'float16' });
      nearHalf(t, x.exp(), [1.6484375, 2.71875, 0.367919921875], 'exp (float16)');
      nearHalf(t, x.bfloat16().exp(), [1.6484375, 2.71875, 0.3671875], 'exp (bfloat16)');
      const rows = tensor([1, 2, 3, 0.5, 0.25, -1], { dtype: 'float16' }).reshape([2, 3]);
      const sm = rows.softmax(1);
      t.dtype(sm, 'float16');
      nearHalf(
        t,
        sm.reshape([6]),
        [0.09002685546875, 0.2447509765625, 0.6650390625, 0.49951171875, 0.388916015625, 0.1114501953125],
        'softmax (float16)',
      );
      nearHalf(
        t,
        rows.bfloat16().softmax(1).reshape([6]),
        [0.08984375, 0.2451171875, 0.6640625, 0.5, 0.388671875, 0.111328125],
        'softmax (bfloat16)',
      );
      representable(t, sm, 'softmax');
      representable(t, rows.logSoftmax(0), 'logSoftmax');
      representable(t, rows.exp().tanh().sigmoid(), 'exp().tanh().sigmoid()');
    },
    ['float16', 'bfloat16'],
  ),
  tcase(
    'dtypes/float16/promotion',
    (t) => {
      const h = tensor([1, 2], { dtype: 'float16' });
      const b = tensor([1, 2], { dtype: 'bfloat16' });
      t.dtype(h.add(b), 'float32');
      t.dtype(h.add(tensor([1, 2])), 'float32');
      t.dtype(h.add(tensor([1, 2], { dtype: 'int32' })), 'float16');
      t.dtype(b.mul(2.5), 'bfloat16');
      t.dtype(tensor([true, false]).add(h), 'float16');
      t.dtype(h.gt(1), 'bool');
      t.equal(h.gt(1), [false, true]);
    },
    ['float16', 'bfloat16'],
  ),
  tcase(
    'dtypes/float16/movement',
    (t) => {
      const x = tensor([1, 2, 3, 4, 5, 6], { dtype: 'float16' }).reshape([2, 3]);
      t.dtype(x.t(), 'float16');
      t.equal(x.t(), [
        [1, 4],
        [2, 5],
        [3, 6],
      ]);
      t.equal(x.narrow(1, 1, 2).contiguous(), [
        [2, 3],
        [5, 6],
      ]);
      t.equal(x.max(), 6);
      t.equal(x.amin(1), [1, 4]);
      t.equal(x.indexSelect(0, tensor([1, 0], { dtype: 'int32' })), [
        [4, 5, 6],
        [1, 2, 3],
      ]);
      t.equal(cat([x, x.mul(2)], 0).sum(0), [15, 21, 27]);
    },
    ['float16'],
  ),
  tcase(
    'dtypes/float16/autograd',
    (t) => {
      const x = tensor([1.5, -2, 3], { dtype: 'float16', requiresGrad: true });
      x.mul(x).sum().backward();
      const g = x.grad as Tensor;
      t.dtype(g, 'float16');
      t.equal(g, [3, -4, 6]);
    },
    ['float16'],
  ),
  tcase(
    'dtypes/bfloat16/subnormals',
    (t) => {
      // bfloat16 shares float32's exponent range: its subnormals are float32 subnormals
      t.equal(tensor([1e-40], { dtype: 'bfloat16' }), [9.183549615799121e-41]);
      t.equal(tensor([1e-40]).bfloat16().mul(2), [1.8367099231598242e-40]);
    },
    ['bfloat16'],
  ),
];
