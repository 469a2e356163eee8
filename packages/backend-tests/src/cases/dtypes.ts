import { tensor } from '@proj/core';
import { type ConformanceCase, tcase } from '../case.js';

/** dtypes, their storage arrays, casts (`to`, `float()`, `int()`) and type promotion. */
export const dtypeCases: ConformanceCase[] = [
  tcase('dtypes/float32/storage', (t) => {
    const x = tensor([1.5, -2.25]);
    t.dtype(x, 'float32');
    t.ok(x.dataSync() instanceof Float32Array, 'float32 dataSync() is a Float32Array');
  }),
  tcase('dtypes/int32/storage', (t) => {
    const x = tensor([1, -2, 2147483647], { dtype: 'int32' });
    t.dtype(x, 'int32');
    t.ok(x.dataSync() instanceof Int32Array, 'int32 dataSync() is an Int32Array');
    t.equal(x, [1, -2, 2147483647]);
  }),
  tcase('dtypes/bool/storage', (t) => {
    const x = tensor([true, false, true]);
    t.dtype(x, 'bool');
    t.ok(x.dataSync() instanceof Uint8Array, 'bool dataSync() is a Uint8Array');
    t.equal(x, [true, false, true]);
  }),
  tcase('dtypes/bool/item', (t) => {
    // torch: a bool tensor's .item() is a Python bool
    const v: unknown = tensor(true).item();
    t.ok(v === true, `item() of a bool scalar is ${String(v)}, expected true`);
  }),
  tcase('dtypes/inference/literals', (t) => {
    // contract v2: JS numbers carry no int/float distinction, so number data is float32 (as in
    // TF.js) and whole numbers never become a data-dependent int32; booleans → bool
    t.dtype(tensor([1.5, 2]), 'float32');
    t.dtype(tensor([1, 2]), 'float32');
    t.dtype(tensor([true]), 'bool');
    t.dtype(tensor(new Int32Array([1, 2])), 'int32');
    t.dtype(tensor([1, 2], { dtype: 'int32' }), 'int32');
    t.dtype(tensor([1, 2], { dtype: 'float32' }), 'float32');
  }),
  tcase(
    'dtypes/float64/storage',
    (t) => {
      const x = tensor([0.1, 1e-300], { dtype: 'float64' });
      t.dtype(x, 'float64');
      t.ok(x.dataSync() instanceof Float64Array, 'float64 dataSync() is a Float64Array');
      // exact: float64 must not round through float32 (1e-300 would underflow to 0)
      t.equal(x, [0.1, 1e-300]);
    },
    ['float64'],
  ),
  tcase(
    'dtypes/float64/arithmetic',
    (t) => {
      const x = tensor([1], { dtype: 'float64' });
      // in float32, 1 + 1e-10 rounds to 1 and the difference vanishes
      t.equal(x.add(1e-10).sub(1), [1.000000082740371e-10]);
      t.equal(
        tensor([0.1], { dtype: 'float64' }).add(tensor([0.2], { dtype: 'float64' })),
        [0.30000000000000004],
      );
      t.dtype(x.exp(), 'float64');
      t.equal(x.exp(), [Math.E]);
    },
    ['float64'],
  ),
  tcase(
    'dtypes/float64/cast',
    (t) => {
      const x = tensor([0.1, 2.7], { dtype: 'float64' });
      const f = x.to('float32');
      t.dtype(f, 'float32');
      t.equal(f, [Math.fround(0.1), Math.fround(2.7)]);
      const i = x.int();
      t.equal(i, [0, 2]);
      t.equal(tensor([0.5], { dtype: 'float32' }).to('float64'), [0.5]);
    },
    ['float64'],
  ),
  tcase('dtypes/cast/float-to-int-truncates', (t) => {
    const x = tensor([-1.7, -0.5, 0.5, 1.7, 2.5]).int();
    t.dtype(x, 'int32');
    t.equal(x, [-1, 0, 0, 1, 2]);
  }),
  tcase('dtypes/cast/to-bool', (t) => {
    const a = tensor([0, 2, -1], { dtype: 'int32' }).to('bool');
    t.dtype(a, 'bool');
    t.equal(a, [false, true, true]);
    t.equal(tensor([0, 0.5, -0.0]).to('bool'), [false, true, false]);
  }),
  tcase('dtypes/cast/bool-to-number', (t) => {
    const b = tensor([true, false]);
    t.equal(b.float(), [1, 0]);
    t.dtype(b.float(), 'float32');
    t.equal(b.int(), [1, 0]);
    t.dtype(b.int(), 'int32');
  }),
  tcase('dtypes/cast/int-to-float', (t) => {
    const x = tensor([3, -4], { dtype: 'int32' }).float();
    t.dtype(x, 'float32');
    t.equal(x, [3, -4]);
  }),
  tcase('dtypes/cast/same-dtype', (t) => {
    const x = tensor([1, 2]);
    const y = x.to('float32');
    t.dtype(y, 'float32');
    t.equal(y, [1, 2]);
  }),
  tcase('dtypes/promotion/int-plus-int', (t) => {
    const x = tensor([1, 2], { dtype: 'int32' });
    const y = x.add(tensor([3, 4], { dtype: 'int32' }));
    t.dtype(y, 'int32');
    t.equal(y, [4, 6]);
    t.dtype(x.mul(3), 'int32');
  }),
  tcase('dtypes/promotion/int-plus-float', (t) => {
    const x = tensor([1, 2], { dtype: 'int32' });
    const y = x.add(tensor([0.5, 0.5]));
    t.dtype(y, 'float32');
    t.equal(y, [1.5, 2.5]);
    // a float Python-style scalar promotes an int tensor to float (PyTorch)
    const z = x.mul(1.5);
    t.dtype(z, 'float32');
    t.equal(z, [1.5, 3]);
  }),
  tcase('dtypes/int32/division-is-true-division', (t) => {
    // PyTorch: torch.div on integer tensors is true division with a float result
    const y = tensor([7, -7], { dtype: 'int32' }).div(2);
    t.dtype(y, 'float32');
    t.equal(y, [3.5, -3.5]);
  }),
  tcase('dtypes/int32/arithmetic-exact-beyond-2-24', (t) => {
    // integers stay exact beyond float32's 24-bit mantissa
    const x = tensor([16777217], { dtype: 'int32' });
    t.equal(x.add(tensor([2], { dtype: 'int32' })), [16777219]);
  }),
];
