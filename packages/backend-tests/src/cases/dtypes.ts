import { arange, ones, randint, randperm, tensor, where, zeros } from '@proj/core';
import { type ConformanceCase, tcase } from '../case.js';

/** dtypes, their storage arrays, casts (`to`, `float()`, `int()`) and type promotion. */
export const dtypeCases: ConformanceCase[] = [
  tcase('dtypes/float32/storage', (t) => {
    const x = tensor([1.5, -2.25]);
    t.dtype(x, 'float32');
    t.read(x, (v) => t.ok(v instanceof Float32Array, 'float32 dataSync() is a Float32Array'));
  }),
  tcase('dtypes/int32/storage', (t) => {
    const x = tensor([1, -2, 2147483647], { dtype: 'int32' });
    t.dtype(x, 'int32');
    t.read(x, (v) => t.ok(v instanceof Int32Array, 'int32 dataSync() is an Int32Array'));
    t.equal(x, [1, -2, 2147483647]);
  }),
  tcase('dtypes/bool/storage', (t) => {
    const x = tensor([true, false, true]);
    t.dtype(x, 'bool');
    t.read(x, (v) => t.ok(v instanceof Uint8Array, 'bool dataSync() is a Uint8Array'));
    t.equal(x, [true, false, true]);
  }),
  tcase('dtypes/bool/item', (t) => {
    // torch: a bool tensor's .item() is a Python bool
    t.item(tensor(true), true, 'item() of a bool scalar');
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
      t.read(x, (v) => t.ok(v instanceof Float64Array, 'float64 dataSync() is a Float64Array'));
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
  // ---- int64 (PyTorch's index and default integer dtype) and uint8 -------------------------
  tcase(
    'dtypes/int64/storage',
    (t) => {
      // bigints and BigInt64Arrays make int64; numbers do with dtype int64
      const x = tensor([1n, -2n, 3n]);
      t.dtype(x, 'int64');
      t.read(x, (v) => t.ok(v instanceof BigInt64Array, 'int64 dataSync() is a BigInt64Array'));
      t.equal(x, [1, -2, 3]);
      t.dtype(tensor(BigInt64Array.of(4n)), 'int64');
      const y = tensor([7, -8], { dtype: 'int64' });
      t.dtype(y, 'int64');
      t.equal(y, [7, -8]);
      t.item(tensor(5n), 5, 'item() of an int64 scalar');
    },
    ['int64'],
  ),
  tcase(
    'dtypes/int64/storage-extremes',
    (t) => {
      // every 64-bit value is stored and read back exactly (a double would round 2^53 + 1)
      const big = BigInt64Array.of(-(2n ** 63n), 2n ** 63n - 1n, 2n ** 53n + 1n);
      t.read(tensor(big), (v) => {
        const back = v as unknown as BigInt64Array;
        t.ok(
          back.length === 3 && back.every((x, i) => x === big[i]),
          `int64 extremes read back as [${back}], expected [${big}]`,
        );
      });
      // item() is a number only when exact
      t.throws(() => tensor(2n ** 53n + 1n).item(), /no exact JS number/);
    },
    // item() itself is checked: a backend that reads only asynchronously has no item()
    ['int64', 'readsSync'],
  ),
  tcase(
    'dtypes/int64/cast',
    (t) => {
      const x = tensor([-1.7, 2.9, 100.5]).long();
      t.dtype(x, 'int64');
      t.equal(x, [-1, 2, 100]);
      t.dtype(x.to('long'), 'int64');
      t.dtype(x.float(), 'float32');
      t.equal(x.float(), [-1, 2, 100]);
      t.dtype(x.int(), 'int32');
      t.equal(x.int(), [-1, 2, 100]);
      t.equal(x.bool(), [true, true, true]);
      t.equal(tensor([true, false]).long(), [1, 0]);
      t.equal(tensor([3, -4], { dtype: 'int32' }).long(), [3, -4]);
      t.throws(() => tensor([Number.NaN]).long(), /does not fit int64/);
    },
    ['int64'],
  ),
  tcase(
    'dtypes/int64/arithmetic',
    (t) => {
      const a = tensor([7n, -7n, 3n]);
      const b = tensor([2n, 2n, -5n]);
      for (const [y, want] of [
        [a.add(b), [9, -5, -2]],
        [a.sub(b), [5, -9, 8]],
        [a.mul(b), [14, -14, -15]],
        [a.maximum(b), [7, 2, 3]],
        [a.minimum(b), [2, -7, -5]],
        [a.mul(3), [21, -21, 9]],
        [a.neg(), [-7, 7, -3]],
        [a.abs(), [7, 7, 3]],
        [b.pow(2), [4, 4, 25]],
      ] as const) {
        t.dtype(y, 'int64');
        t.equal(y, [...want]);
      }
      // true division, as PyTorch's
      t.dtype(a.div(b), 'float32');
      t.equal(a.div(2), [3.5, -3.5, 1.5]);
      t.equal(a.gt(b), [true, false, true]);
      t.equal(a.eq(tensor([7n])), [true, false, false]);
      t.equal(where(a.gt(0), a, tensor(0n)), [7, 0, 3]);
    },
    ['int64'],
  ),
  tcase(
    'dtypes/int64/reduce',
    (t) => {
      const x = tensor([
        [3n, -1n, 4n],
        [1n, 5n, -9n],
      ]);
      t.dtype(x.sum(), 'int64');
      t.equal(x.sum(), 3);
      t.equal(x.sum(1), [6, -3]);
      t.equal(x.prod(0), [3, -5, -36]);
      t.dtype(x.max(), 'int64');
      t.equal(x.max(), 5);
      t.equal(x.amin(1), [-1, -9]);
      t.equal(x.argmax(1), [2, 1]);
      t.close(x.float().mean(), 0.5);
    },
    ['int64'],
  ),
  tcase(
    'dtypes/int64/index-results',
    (t) => {
      // PyTorch's index results are int64
      const x = tensor([
        [1, 5, 3],
        [7, 0, 2],
      ]);
      t.dtype(x.argmax(), 'int64');
      t.equal(x.argmax(), 3);
      t.dtype(x.argmin(1), 'int64');
      t.equal(x.argmin(1), [0, 1]);
      const { values, indices } = x.max(1);
      t.dtype(indices, 'int64');
      t.equal(indices, [1, 0]);
      t.equal(values, [5, 7]);
      t.dtype(arange(4), 'int64');
      t.dtype(arange(0, 1, 0.5), 'float32');
      t.dtype(randperm(5), 'int64');
      t.dtype(randint(0, 4, [3]), 'int64');
    },
    ['int64'],
  ),
  tcase(
    'dtypes/int64/index-argument',
    (t) => {
      // int64 (PyTorch's) and int32 indices are both accepted
      const x = tensor([
        [10, 20, 30],
        [40, 50, 60],
      ]);
      const i64 = tensor([
        [2n, 0n],
        [1n, 1n],
      ]);
      t.equal(x.gather(1, i64), [
        [30, 10],
        [50, 50],
      ]);
      t.equal(x.gather(1, i64.int()), [
        [30, 10],
        [50, 50],
      ]);
      t.equal(x.indexSelect(0, tensor([1n, 0n])), [
        [40, 50, 60],
        [10, 20, 30],
      ]);
      t.equal(zeros(2, 3).scatterAdd(1, i64, ones(2, 2)), [
        [1, 0, 1],
        [0, 2, 0],
      ]);
      // an int64 source gathers too
      t.equal(tensor([5n, 6n, 7n]).gather(0, tensor([2n, 2n, 0n])), [7, 7, 5]);
      t.throws(() => x.gather(1, tensor([[3n]])), /index 3 is out of (range|bounds)/);
    },
    ['int64'],
  ),
  tcase(
    'dtypes/int64/no-wrap',
    (t) => {
      // int64 results that do not fit (or that a backend cannot compute exactly) are errors,
      // never wrapped or rounded; the wording names int64 or the backend's exact range
      const refused = /does not fit int64|beyond ±\(2\^53 - 1\)|cannot be stored exactly|hold exactly/;
      t.throws(() => tensor([2n ** 62n]).mul(4), refused);
      t.throws(() => tensor([2n ** 52n]).mul(4), refused);
      t.throws(() => tensor([3n]).div(0).long(), /does not fit int64/);
      t.throws(() => tensor([1e19]).long(), /does not fit int64/);
    },
    ['int64'],
  ),
  tcase(
    'dtypes/int64/exact-beyond-2-24',
    (t) => {
      // int64 stays exact beyond float32's 24-bit mantissa
      t.equal(tensor([16777217n]).add(tensor([2n])), [16777219]);
      t.equal(
        tensor([2n ** 40n])
          .add(1)
          .sub(tensor([2n ** 40n])),
        [1],
      );
    },
    ['int64'],
  ),
  tcase(
    'dtypes/uint8/storage',
    (t) => {
      // a Uint8Array is uint8; booleans stay bool
      const x = tensor(new Uint8Array([0, 7, 255]));
      t.dtype(x, 'uint8');
      t.read(x, (v) => t.ok(v instanceof Uint8Array, 'uint8 dataSync() is a Uint8Array'));
      t.equal(x, [0, 7, 255]);
      t.dtype(tensor([true, false]), 'bool');
      t.equal(tensor([1.9, 200], { dtype: 'uint8' }), [1, 200]);
      t.throws(() => tensor([256], { dtype: 'uint8' }), /does not fit uint8/);
    },
    ['uint8'],
  ),
  tcase(
    'dtypes/uint8/cast',
    (t) => {
      const x = tensor([3.7, 250]).byte();
      t.dtype(x, 'uint8');
      t.equal(x, [3, 250]);
      t.equal(x.int(), [3, 250]);
      t.dtype(x.float(), 'float32');
      t.equal(x.bool(), [true, true]);
      t.throws(() => tensor([300]).byte(), /does not fit uint8/);
      t.throws(() => tensor([-1], { dtype: 'int32' }).byte(), /does not fit uint8/);
    },
    ['uint8'],
  ),
  tcase(
    'dtypes/uint8/arithmetic',
    (t) => {
      const u = tensor(new Uint8Array([10, 200]));
      const y = u.add(tensor(new Uint8Array([5, 55])));
      t.dtype(y, 'uint8');
      t.equal(y, [15, 255]);
      t.dtype(u.add(1), 'uint8');
      t.equal(u.sub(10), [0, 190]);
      t.equal(u.gt(100), [false, true]);
      t.dtype(u.mul(tensor([2], { dtype: 'int32' })), 'int32');
      t.dtype(u.sum(), 'int64');
      t.equal(u.sum(), 210);
      t.equal(u.max(), 200);
      t.dtype(u.argmax(), 'int64');
      t.equal(u.argmax(), 1);
    },
    ['uint8'],
  ),
  tcase(
    'dtypes/uint8/no-wrap',
    (t) => {
      // PyTorch's uint8 wraps around (250 + 10 = 4); here a result outside 0..255 is an error
      const u = tensor(new Uint8Array([250, 3]));
      t.throws(() => u.add(10), /does not fit uint8/);
      t.throws(() => u.sub(4), /does not fit uint8/);
      t.throws(() => u.mul(2), /does not fit uint8/);
      t.throws(() => u.neg(), /does not fit uint8/);
    },
    ['uint8'],
  ),
  tcase(
    'dtypes/promotion/int64-uint8',
    (t) => {
      // torch.promote_types: bool < uint8 < int32 < int64 < float32
      const i64 = tensor([1n]);
      const i32 = tensor([1], { dtype: 'int32' });
      const u8 = tensor(new Uint8Array([1]));
      t.dtype(i64.add(i32), 'int64');
      t.dtype(i64.add(tensor([0.5])), 'float32');
      t.dtype(u8.add(i32), 'int32');
      t.dtype(u8.add(i64), 'int64');
      t.dtype(u8.add(tensor([true])), 'uint8');
      // Python-style scalars keep an integer tensor's category; an int scalar makes bool int64
      t.dtype(i64.mul(3), 'int64');
      t.dtype(i64.mul(1.5), 'float32');
      t.dtype(tensor([true]).add(1), 'int64');
    },
    ['int64', 'uint8'],
  ),
];
