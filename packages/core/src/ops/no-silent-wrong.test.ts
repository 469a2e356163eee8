import '@proj/backend-cpu';
import { CpuBackend } from '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { full, matmul, nn, noGrad, ones, randn, registerBackend, tensor, tidy, zeros } from '../index.js';
import { linear } from './linear.js';

/**
 * Issue 11, findings 2–6: each case computed a different number than PyTorch without an error
 * before, and must now either match PyTorch or fail with a message naming the op.
 */
const LN2 = Math.log(2);

describe('large logits keep their precision (finding 2)', () => {
  it('logSoftmax of tied 1e20 logits is -log 2, and cross-entropy is log 2', () => {
    tidy(() => {
      const x = tensor([[1e20, 1e20]]);
      const ls = x.logSoftmax(1).toArray() as number[][];
      expect(ls[0][0]).toBeCloseTo(-LN2, 6);
      expect(ls[0][1]).toBeCloseTo(-LN2, 6);
      const loss = nn.functional.crossEntropy(x, tensor([0], { dtype: 'int32' }));
      expect(loss.item()).toBeCloseTo(LN2, 6);
    });
  });

  it('logSoftmax at 2^41 along a non-last dim is exact too', () => {
    tidy(() => {
      const big = 2 ** 41;
      const x = tensor([[big], [big]], { dtype: 'float64' });
      const y = x.logSoftmax(0).dataSync();
      expect(Math.abs(y[0] + LN2)).toBeLessThan(1e-12);
      expect(Math.abs(y[1] + LN2)).toBeLessThan(1e-12);
    });
  });
});

describe('whole numbers never wrap (finding 3)', () => {
  it('number data is float32 and keeps 1e10 and ±1e30', () => {
    tidy(() => {
      const a = tensor([1e10]);
      expect(a.dtype).toBe('float32');
      expect(a.item()).toBe(Math.fround(1e10));
      const b = tensor([[1e30, -1e30, 0]]);
      expect(b.dtype).toBe('float32');
      expect(b.softmax(1).toArray()).toEqual([[1, 0, 0]]);
    });
  });

  it('a value that does not fit int32 is refused at upload, fill and scalar', () => {
    expect(() => tensor([1e10], { dtype: 'int32' })).toThrow(/tensor: value 10000000000 does not fit int32/);
    expect(() => tensor([Number.NaN], { dtype: 'int32' })).toThrow(/tensor: value NaN does not fit int32/);
    expect(() => full([2], 3e9, { dtype: 'int32' })).toThrow(/full: value 3000000000 does not fit int32/);
    tidy(() => {
      const x = tensor([1], { dtype: 'int32' });
      expect(() => x.add(3e9)).toThrow(/does not fit int32/);
    });
  });

  it('int32 arithmetic that overflows is an error, not a wrap-around', () => {
    tidy(() => {
      const max = tensor([2147483647], { dtype: 'int32' });
      expect(() => max.add(1)).toThrow(/add: value 2147483648 does not fit int32/);
      expect(() => max.mul(2)).toThrow(/mul: value 4294967294 does not fit int32/);
      expect(() => tensor([-2147483648], { dtype: 'int32' }).neg()).toThrow(/neg: value 2147483648/);
      // integer sums are int64, as PyTorch's: 2^31 fits; int64 refuses what it cannot hold exactly
      expect(tensor([2147483647, 1], { dtype: 'int32' }).sum().item()).toBe(2147483648);
      expect(() => tensor([2n ** 62n, 2n ** 62n]).sum()).toThrow(/int64/);
      expect(max.sub(1).item()).toBe(2147483646);
      // PyTorch: a negative int exponent is an error; a tensor of them follows C's integer pow.
      const i = tensor([2, 1, -1, 0], { dtype: 'int32' });
      expect(() => i.pow(-1)).toThrow(/pow: integers to negative integer powers are not allowed/);
      expect(i.pow(tensor([-1, -2, -3, -1], { dtype: 'int32' })).toArray()).toEqual([0, 1, -1, 0]);
    });
  });

  it('float → int32 casts refuse out-of-range values and NaN', () => {
    tidy(() => {
      expect(() => tensor([1e10]).int()).toThrow(/cast: value 10000000000 does not fit int32/);
      expect(() => tensor([Number.NaN]).int()).toThrow(/does not fit int32/);
      expect(tensor([-2.7, 2.7]).int().toArray()).toEqual([-2, 2]);
    });
  });
});

describe('int tensors with ±Infinity / NaN scalars promote to float (finding 4)', () => {
  it('compare, clamp and add as PyTorch', () => {
    tidy(() => {
      const x = tensor([-3, 1, 2], { dtype: 'int32' });
      expect(x.lt(Number.POSITIVE_INFINITY).toArray()).toEqual([true, true, true]);
      expect(x.gt(Number.NEGATIVE_INFINITY).toArray()).toEqual([true, true, true]);
      const c = x.clamp(Number.NEGATIVE_INFINITY, 1);
      expect(c.dtype).toBe('float32');
      expect(c.toArray()).toEqual([-3, 1, 1]);
      const n = x.add(Number.NaN);
      expect(n.dtype).toBe('float32');
      expect(n.toArray()).toEqual([Number.NaN, Number.NaN, Number.NaN]);
      expect(x.add(2).dtype).toBe('int32');
    });
  });
});

describe('errors where PyTorch raises (finding 5)', () => {
  it('BCELoss on probabilities outside [0, 1] (or NaN)', () => {
    tidy(() => {
      const y = tensor([1, 0]);
      const loss = new nn.BCELoss();
      expect(() => loss.forward(tensor([1.5, 0.5]), y)).toThrow(
        /binaryCrossEntropy: all elements of input should be between 0 and 1/,
      );
      expect(() => loss.forward(tensor([Number.NaN, 0.5]), y)).toThrow(/between 0 and 1/);
      expect(loss.forward(tensor([1, 0]), y).item()).toBe(0);
    });
  });

  it.each([
    ['view', (p: ReturnType<typeof ones>) => p.view([2, 2])],
    ['reshape', (p: ReturnType<typeof ones>) => p.reshape([4])],
    ['unsqueeze', (p: ReturnType<typeof ones>) => p.unsqueeze(0)],
    ['flatten', (p: ReturnType<typeof ones>) => p.flatten()],
  ])('in-place through %s of a leaf that requires grad', (_, makeView) => {
    tidy(() => {
      const p = ones([4], { requiresGrad: true });
      expect(() => makeView(p).add_(1)).toThrow(
        /add_: a view of a leaf tensor that requires grad is being used in an in-place operation/,
      );
      expect(p.toArray()).toEqual([1, 1, 1, 1]);
      // Allowed as in PyTorch: under noGrad, and through detach().
      noGrad(() => makeView(p).mul_(2));
      expect(p.toArray()).toEqual([2, 2, 2, 2]);
      p.detach().add_(1);
      expect(p.toArray()).toEqual([3, 3, 3, 3]);
    });
  });

  it('matmul and Linear refuse mixed, bool and integer dtypes instead of promoting', () => {
    tidy(() => {
      const a = randn([2, 3]);
      expect(() => matmul(a, randn([3, 2]).double())).toThrow(
        /matmul: expected both operands to have the same dtype, but got float32 \[2,3\] and float64 \[3,2\]/,
      );
      expect(() => matmul(a.gt(0), a.gt(0).t())).toThrow(/matmul: not implemented for bool/);
      expect(() => new nn.Linear(3, 2).forward(a.double())).toThrow(/linear: expected both operands/);
      expect(() => linear(a.int(), randn([2, 3]))).toThrow(/linear: expected both operands/);
    });
  });

  it('argmax over a non-empty dim of an empty tensor is empty; over an empty dim it is an error', () => {
    tidy(() => {
      const r = zeros(0, 3).argmax(1);
      expect(r.shape).toEqual([0]);
      expect(r.dtype).toBe('int64');
      expect(zeros(0, 3).argmin(1, true).shape).toEqual([0, 1]);
      expect(() => zeros(3, 0).argmax(1)).toThrow(/argmax: expected reduction dim 1 to have non-zero size/);
      expect(() => zeros(0, 3).argmax()).toThrow(/argmax: cannot take argmax of an empty tensor/);
    });
  });
});

describe('messages name the op, the shapes/dtypes and what was expected (finding 6)', () => {
  it('a size no typed array can hold', () => {
    expect(() => zeros([1e6, 1e6])).toThrow(
      /zeros: cannot allocate \[1000000,1000000\] float32 on cpu: .*4 TB/,
    );
    expect(() => randn([1e6, 1e6])).toThrow(/randn: cannot allocate \[1000000,1000000\] float32/);
  });

  it("to('int16') names the dtype, not a backend; PyTorch's aliases work", () => {
    tidy(() => {
      expect(() => ones(2).to('int16')).toThrow(/to: dtype 'int16' is not supported yet/);
      expect(ones(2).to('float16').dtype).toBe('float16');
      expect(ones(2).to('half').dtype).toBe('float16');
      expect(ones(2).to('double').dtype).toBe('float64');
      expect(ones(2).to('int').dtype).toBe('int32');
    });
  });

  it('float labels into CrossEntropyLoss say that class indices must be int64 (or int32)', () => {
    tidy(() => {
      const loss = new nn.CrossEntropyLoss();
      expect(() => loss.forward(randn([4, 3]), tensor([0, 1, 2, 0]))).toThrow(
        /crossEntropy: target float32 \[4\] does not fit input \[4,3\]: expected int64 \(or int32\) class indices of shape \[4\]/,
      );
    });
  });

  it('a device mismatch inside a loss names the loss, not an internal op', () => {
    registerBackend('cpu-other', () => new CpuBackend());
    tidy(() => {
      const x = randn([2, 3]);
      const y = tensor([0, 1], { dtype: 'int32', device: 'cpu-other' });
      expect(() => new nn.CrossEntropyLoss().forward(x, y)).toThrow(
        /crossEntropy: tensors are on different devices: cpu and cpu-other/,
      );
      expect(() => new nn.MSELoss().forward(x, randn([2, 3], { device: 'cpu-other' }))).toThrow(
        /mseLoss: tensors are on different devices/,
      );
    });
  });
});

describe("in-place writes into views write through to the source, as PyTorch (issue 12's examples)", () => {
  it.each([
    [
      'transpose',
      (x: ReturnType<typeof ones>) => x.transpose(0, 1),
      8,
      [
        [1, 1],
        [1, 1],
      ],
    ],
    [
      'narrow',
      (x: ReturnType<typeof ones>) => x.narrow(0, 0, 1),
      6,
      [
        [0, 0],
        [1, 1],
      ],
    ],
    [
      'split',
      (x: ReturnType<typeof ones>) => x.split(1)[0],
      6,
      [
        [0, 0],
        [1, 1],
      ],
    ],
    [
      'T',
      (x: ReturnType<typeof ones>) => x.T,
      8,
      [
        [1, 1],
        [1, 1],
      ],
    ],
  ] as const)(
    '%s: add_ reaches the source; reshape(-1).fill_ only when reshape is a view',
    (_, make, sum, filled) => {
      tidy(() => {
        const x = ones([2, 2]);
        make(x).add_(1);
        expect(x.sum().item()).toBe(sum);
        const y = ones([2, 2]);
        // PyTorch: reshape of a transpose must copy (x unchanged); of a row it is a view.
        make(y).reshape([-1]).fill_(0);
        expect(y.toArray()).toEqual(filled);
        expect(make(y).clone().add_(1).sum().item()).toBeGreaterThan(0);
      });
    },
  );
  it('an expanded view cannot be written (PyTorch: more than one element refers to a single memory location)', () => {
    tidy(() => {
      const x = ones([2, 2]);
      expect(() => x.unsqueeze(0).expand(3, 2, 2).add_(1)).toThrow(
        /more than one element of the written-to tensor/,
      );
      expect(x.unsqueeze(0).expand(3, 2, 2).contiguous().zero_().sum().item()).toBe(0);
      expect(x.sum().item()).toBe(4);
    });
  });
});
