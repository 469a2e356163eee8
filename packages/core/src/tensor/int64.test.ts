import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import {
  arange,
  full,
  io,
  manualSeed,
  nn,
  promoteTypes,
  randint,
  randn,
  randperm,
  tensor,
  tidy,
  where,
  zeros,
} from '../index.js';

describe('int64', () => {
  it('is made from bigints, a BigInt64Array, or numbers with dtype int64', () => {
    tidy(() => {
      const a = tensor([1n, -2n, 3n]);
      expect(a.dtype).toBe('int64');
      expect(a.dataSync<BigInt64Array>()).toEqual(BigInt64Array.of(1n, -2n, 3n));
      expect(a.toArray()).toEqual([1, -2, 3]);
      expect(tensor(BigInt64Array.of(5n)).dtype).toBe('int64');
      expect(tensor(7n).item()).toBe(7);
      expect(tensor([[1n, 2n]]).shape).toEqual([1, 2]);
      const b = tensor([1.9, -1.9], { dtype: 'int64' });
      expect(b.dataSync()).toBeInstanceOf(BigInt64Array);
      expect(b.toArray()).toEqual([1, -1]);
      // number data is still float32 unless dtype says otherwise
      expect(tensor([1, 2]).dtype).toBe('float32');
      expect(tensor([1n, 2n], { dtype: 'float32' }).toArray()).toEqual([1, 2]);
      // a bigint with numbers is an int with floats: float32
      expect(tensor([1n, 2.5]).dtype).toBe('float32');
      expect(tensor([1n, true]).dtype).toBe('int64');
    });
  });

  it('stores every 64-bit value exactly; item() and toArray() refuse what a double would round', () => {
    tidy(() => {
      const big = BigInt64Array.of(-(2n ** 63n), 2n ** 63n - 1n, 2n ** 53n + 1n);
      const t = tensor(big);
      expect(t.dataSync<BigInt64Array>()).toEqual(big);
      expect(t.clone().dataSync<BigInt64Array>()).toEqual(big);
      expect(t.reshape([3, 1]).permute([1, 0]).contiguous().dataSync<BigInt64Array>()).toEqual(big);
      expect(tensor(2n ** 60n).item()).toBe(2 ** 60); // exact as a double
      expect(() => tensor(2n ** 53n + 1n).item()).toThrow(/no exact JS number/);
      expect(() => t.toArray()).toThrow(/no exact JS number/);
      expect(() => tensor([2n ** 63n])).toThrow(/does not fit int64/);
      expect(() => tensor([1e19], { dtype: 'int64' })).toThrow(/does not fit int64/);
      expect(() => tensor([Number.NaN], { dtype: 'int64' })).toThrow(/does not fit int64/);
    });
  });

  it('casts with long() and to(), never wrapping', () => {
    tidy(() => {
      const x = tensor([-1.7, 2.9, 3e9]).long();
      expect(x.dtype).toBe('int64');
      expect(x.toArray()).toEqual([-1, 2, 3000000000]);
      expect(x.to('long').dtype).toBe('int64');
      expect(x.float().toArray()).toEqual([-1, 2, 3e9]);
      expect(() => x.int()).toThrow(/does not fit int32/);
      expect(x.double().dtype).toBe('float64');
      expect(x.bool().toArray()).toEqual([true, true, true]);
      expect(tensor([true, false]).long().toArray()).toEqual([1, 0]);
      expect(() => tensor([Number.POSITIVE_INFINITY]).long()).toThrow(/does not fit int64/);
    });
  });

  it('computes exactly within ±(2^53 - 1) and refuses beyond instead of rounding', () => {
    tidy(() => {
      const a = tensor([2n ** 40n, -5n]);
      expect(a.add(tensor([1n, 2n])).toArray()).toEqual([2 ** 40 + 1, -3]);
      expect(a.mul(2).dtype).toBe('int64');
      expect(a.mul(1000).toArray()).toEqual([2 ** 40 * 1000, -5000]);
      expect(() => a.mul(2 ** 20)).toThrow(/int64/);
      expect(() => tensor([2n ** 60n]).add(1)).toThrow(/beyond ±\(2\^53 - 1\)/);
      expect(() => tensor([2n ** 53n - 1n]).add(1)).toThrow(/int64/);
      expect(tensor([7n, -7n]).div(2).toArray()).toEqual([3.5, -3.5]);
      expect(tensor([5n]).neg().toArray()).toEqual([-5]);
      expect(
        tensor([3n, 5n])
          .gt(tensor([4n, 4n]))
          .toArray(),
      ).toEqual([false, true]);
      expect(
        tensor([3n, 9n])
          .maximum(tensor([4n, 1n]))
          .toArray(),
      ).toEqual([4, 9]);
      expect(tensor([2n]).pow(3).toArray()).toEqual([8]);
      expect(a.abs().toArray()).toEqual([2 ** 40, 5]);
    });
  });

  it("promotes as torch.promote_types; Python-style scalars keep an integer tensor's category", () => {
    expect(promoteTypes('int32', 'int64')).toBe('int64');
    expect(promoteTypes('uint8', 'int32')).toBe('int32');
    expect(promoteTypes('int64', 'float32')).toBe('float32');
    expect(promoteTypes('bool', 'uint8')).toBe('uint8');
    expect(promoteTypes('int64', 'float64')).toBe('float64');
    tidy(() => {
      const i64 = tensor([1n]);
      expect(i64.add(tensor([1], { dtype: 'int32' })).dtype).toBe('int64');
      expect(i64.add(tensor([1.5])).dtype).toBe('float32');
      expect(i64.add(3).dtype).toBe('int64');
      expect(i64.add(0.5).dtype).toBe('float32');
      expect(tensor([1], { dtype: 'int32' }).add(5).dtype).toBe('int32');
      expect(tensor([true]).add(1).dtype).toBe('int64');
      expect(where(tensor([true, false]), 1, 2).dtype).toBe('int64');
    });
  });

  it('sums integers in int64 (as PyTorch), refusing sums that could round', () => {
    tidy(() => {
      expect(tensor([1, 2], { dtype: 'int32' }).sum().dtype).toBe('int64');
      expect(tensor([true, true, false]).sum().dtype).toBe('int64');
      expect(tensor([true, true, false]).sum().item()).toBe(2);
      expect(tensor([2147483647, 1], { dtype: 'int32' }).sum().item()).toBe(2147483648);
      expect(tensor([3n, 4n]).prod().item()).toBe(12);
      expect(tensor([3n, 9n, -1n]).max().item()).toBe(9);
      expect(
        tensor([
          [3n, 9n],
          [-1n, 0n],
        ])
          .sum(1)
          .toArray(),
      ).toEqual([12, -1]);
      expect(() => tensor([2n ** 52n, 2n ** 52n, -(2n ** 52n)]).sum()).toThrow(/partial sum could round/);
      expect(tensor([3n, 4n]).float().mean().item()).toBe(3.5);
    });
  });

  it('gives int64 indices (argmax, argmin, max(dim), randint, randperm, arange)', () => {
    tidy(() => {
      const x = tensor([
        [1, 5, 3],
        [7, 0, 2],
      ]);
      expect(x.argmax().dtype).toBe('int64');
      expect(x.argmax().item()).toBe(3);
      expect(x.argmin(1).dtype).toBe('int64');
      expect(x.argmin(1).toArray()).toEqual([0, 1]);
      const { values, indices } = x.max(1);
      expect(indices.dtype).toBe('int64');
      expect(indices.toArray()).toEqual([1, 0]);
      expect(values.toArray()).toEqual([5, 7]);
      expect(x.min(0, true).indices.dtype).toBe('int64');
      expect(arange(5).dtype).toBe('int64');
      expect(arange(5).toArray()).toEqual([0, 1, 2, 3, 4]);
      expect(arange(0, 1, 0.25).dtype).toBe('float32');
      expect(arange(1, 4, 1, { dtype: 'int32' }).dtype).toBe('int32');
      manualSeed(3);
      const r = randint(0, 10, [20]);
      expect(r.dtype).toBe('int64');
      expect((r.toArray() as number[]).every((v) => v >= 0 && v < 10)).toBe(true);
      manualSeed(3);
      const p = randperm(6);
      manualSeed(3);
      expect(randperm(6).toArray()).toEqual(p.toArray());
      expect(p.dtype).toBe('int64');
      expect([...(p.toArray() as number[])].sort()).toEqual([0, 1, 2, 3, 4, 5]);
      expect(randperm(4, { dtype: 'int32' }).dtype).toBe('int32');
    });
  });

  it('takes int64 (and int32) indices and class labels everywhere', () => {
    tidy(() => {
      const x = tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]);
      const i64 = tensor([
        [2n, 0n],
        [1n, 1n],
      ]);
      expect(x.gather(1, i64).toArray()).toEqual([
        [3, 1],
        [5, 5],
      ]);
      expect(x.gather(1, i64.int()).toArray()).toEqual(x.gather(1, i64).toArray());
      expect(x.indexSelect(1, tensor([2n, 0n])).toArray()).toEqual([
        [3, 1],
        [6, 4],
      ]);
      expect(
        zeros(2, 3)
          .scatterAdd(1, i64, x.narrow(1, 0, 2))
          .toArray(),
      ).toEqual([
        [2, 0, 1],
        [0, 9, 0],
      ]);
      expect(() => x.gather(1, tensor([[5000000000n]]))).toThrow(/gather: index 5000000000 is out of range/);
      expect(() => x.gather(1, tensor([[1]]))).toThrow(/int64 or int32/);
      const emb = new nn.Embedding(4, 2);
      expect(emb.forward(tensor([3n, 0n])).shape).toEqual([2, 2]);
      const logits = randn(3, 4);
      const y64 = tensor([0n, 3n, 1n]);
      const l64 = nn.functional.crossEntropy(logits, y64).item();
      expect(nn.functional.crossEntropy(logits, y64.int()).item()).toBeCloseTo(l64, 6);
      expect(nn.functional.nllLoss(logits.logSoftmax(1), y64).item()).toBeCloseTo(l64, 6);
      const oh = nn.functional.oneHot(tensor([2n, 0n]), 3);
      expect(oh.dtype).toBe('int64');
      expect(oh.toArray()).toEqual([
        [0, 0, 1],
        [1, 0, 0],
      ]);
      const [, idx] = nn.functional.maxPool2dWithIndices(randn(1, 1, 4, 4), 2);
      expect(idx.dtype).toBe('int64');
    });
  });

  it('fills, prints and keeps BatchNorm batch counts as int64', () => {
    tidy(() => {
      expect(full([2], 2 ** 60, { dtype: 'int64' }).dataSync<BigInt64Array>()).toEqual(
        BigInt64Array.of(2n ** 60n, 2n ** 60n),
      );
      expect(() => full([1], 1e19, { dtype: 'int64' })).toThrow(/does not fit int64/);
      const bn = new nn.BatchNorm1d(2);
      bn.forward(randn(4, 2));
      expect(bn.num_batches_tracked!.dtype).toBe('int64');
      expect(bn.num_batches_tracked!.item()).toBe(1);
      // saved as PyTorch's I64, and loaded back into a fresh layer exactly
      const bytes = io.saveSafetensors(bn.stateDict());
      expect(new TextDecoder().decode(bytes)).toContain('"num_batches_tracked":{"dtype":"I64","shape":[]');
      const fresh = new nn.BatchNorm1d(2);
      fresh.loadStateDict(io.loadSafetensors(bytes));
      expect(fresh.num_batches_tracked!.dtype).toBe('int64');
      expect(fresh.num_batches_tracked!.item()).toBe(1);
    });
  });
});

describe('uint8', () => {
  it('is made from a Uint8Array (booleans stay bool), casts with byte(), never wraps', () => {
    tidy(() => {
      const u = tensor(new Uint8Array([0, 7, 255]));
      expect(u.dtype).toBe('uint8');
      expect(u.dataSync()).toBeInstanceOf(Uint8Array);
      expect(u.toArray()).toEqual([0, 7, 255]);
      expect(tensor([true, false]).dtype).toBe('bool');
      expect(tensor([1.9, 200], { dtype: 'uint8' }).toArray()).toEqual([1, 200]);
      expect(() => tensor([256], { dtype: 'uint8' })).toThrow(/does not fit uint8/);
      expect(() => tensor([-1], { dtype: 'uint8' })).toThrow(/does not fit uint8/);
      expect(tensor([3.7, 250]).byte().toArray()).toEqual([3, 250]);
      expect(() => tensor([-1], { dtype: 'int32' }).byte()).toThrow(/does not fit uint8/);
      expect(() => tensor([300]).byte()).toThrow(/does not fit uint8/);
      expect(u.int().toArray()).toEqual([0, 7, 255]);
      expect(u.long().dtype).toBe('int64');
      expect(u.bool().toArray()).toEqual([false, true, true]);
      expect(u.to('uint8')).toBe(u);
    });
  });

  it('computes in range and refuses results outside 0..255', () => {
    tidy(() => {
      const u = tensor(new Uint8Array([10, 200]));
      expect(u.add(tensor(new Uint8Array([5, 55]))).toArray()).toEqual([15, 255]);
      expect(u.add(1).dtype).toBe('uint8');
      expect(() => u.add(tensor(new Uint8Array([0, 56])))).toThrow(/add: value 256 does not fit uint8/);
      expect(() => u.sub(11)).toThrow(/does not fit uint8/);
      expect(() => u.neg()).toThrow(/does not fit uint8/);
      expect(u.mul(tensor([2], { dtype: 'int32' })).dtype).toBe('int32');
      expect(u.sum().dtype).toBe('int64');
      expect(u.sum().item()).toBe(210);
      expect(u.max().item()).toBe(200);
      expect(u.argmax().item()).toBe(1);
      expect(u.gt(100).toArray()).toEqual([false, true]);
      expect(u.float().div(2).toArray()).toEqual([5, 100]);
      expect(u.toString()).toBe('tensor([ 10, 200], dtype=torch.uint8)');
    });
  });
});
