// einsum beyond the PyTorch fixtures (linalg.fixtures.test.ts): the equation parser's errors,
// PyTorch's dtype rules for integer operands, the calling forms, and double backward.
import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import {
  arange,
  einsum,
  gradgradcheck,
  manualSeed,
  ones,
  randn,
  type Tensor,
  tensor,
  tidy,
} from '../index.js';
import { parseEquation } from './einsum-parse.js';

const f64 = (...shape: number[]): Tensor => randn(shape, { dtype: 'float64' }).requiresGrad_(true);

describe('einsum equation parsing', () => {
  it('expands the ellipsis right-aligned and orders the implicit output as PyTorch (ellipsis, then A-Z, a-z)', () => {
    // 'A'..'Z' are 0..25, 'a'..'z' 26..51, ellipsis dims 52+.
    expect(parseEquation('b...a', [4])).toEqual({ inputs: [[27, 52, 53, 26]], output: [52, 53, 26, 27] });
    expect(parseEquation('bA', [2])).toEqual({ inputs: [[27, 0]], output: [0, 27] });
    expect(parseEquation('...i,i...->i', [3, 2])).toEqual({
      inputs: [
        [52, 53, 34],
        [34, 53],
      ],
      output: [34],
    });
    expect(parseEquation('ii', [2]).output).toEqual([]);
  });

  it('refuses malformed equations with PyTorch-like messages naming einsum', () => {
    const cases: [string, number[], RegExp][] = [
      ['i1', [2], /einsum: invalid subscript '1' at index 1/],
      ['..i', [2], /einsum: found '\.' for operand 0 that is not part of any ellipsis/],
      ['...i...', [3], /einsum: found '\.' for operand 0 for which an ellipsis was already found/],
      ['ij,jk', [2], /einsum: the equation 'ij,jk' has 2 operand terms but 1 operand was given/],
      ['i->i', [1, 1], /einsum: more operands \(2\) were given than the equation 'i->i' specifies \(1\)/],
      [
        'ijk',
        [2],
        /number of subscripts in the equation \(3\) does not match the number of dimensions \(2\) for operand 0 and no ellipsis/,
      ],
      [
        'ij...',
        [1],
        /number of subscripts in the equation \(2\) is more than the number of dimensions \(1\)/,
      ],
      ['ij->k', [2], /output subscript k does not appear in the equation/],
      ['ij->ii', [2], /output subscript i appears more than once/],
      ['i->..', [1], /found '\.' for output that is not part of any ellipsis/],
      ['i->j->k', [1], /more than one '->'/],
    ];
    for (const [eq, ndims, msg] of cases) expect(() => parseEquation(eq, ndims), eq).toThrow(msg);
  });
});

describe('einsum', () => {
  it('takes the operands spread, as one array, or in the sublist form', () => {
    tidy(() => {
      const a = arange(6, { dtype: 'float32' }).reshape(2, 3);
      const b = arange(12, { dtype: 'float32' }).reshape(3, 4);
      const want = a.matmul(b).toArray();
      expect(einsum('ij,jk->ik', a, b).toArray()).toEqual(want);
      expect(einsum('ij,jk->ik', [a, b]).toArray()).toEqual(want);
      expect(einsum(a, [0, 1], b, [1, 2], [0, 2]).toArray()).toEqual(want);
      expect(einsum(a, ['...', 1], b, [1, 2]).toArray()).toEqual(want);
      expect(() => einsum('ij')).toThrow(/einsum: must specify the equation string and at least one operand/);
      expect(() => einsum(a, [0, 52])).toThrow(
        /einsum: subscript 52 in a sublist is not within the valid range/,
      );
    });
  });

  it('checks sizes: repeated subscripts must match, others match or broadcast from 1', () => {
    tidy(() => {
      expect(() => einsum('ii', ones(2, 3))).toThrow(
        /einsum: subscript i is repeated for operand 0 but the sizes don't match, 2 != 3/,
      );
      expect(() => einsum('ij,jk', ones(2, 3), ones(4, 4))).toThrow(
        /einsum: subscript j has size 4 for operand 1 \(shape \[4,4\]\) which does not broadcast with previously seen size 3/,
      );
      expect(() => einsum('...i,...i', ones(2, 3), ones(4, 3))).toThrow(
        /einsum: a dim covered by the ellipsis has size 4/,
      );
      expect(einsum('i,i->i', ones(1), tensor([1, 2, 3])).toArray()).toEqual([1, 2, 3]);
      expect(einsum('ij,jk->ik', ones(2, 1), ones(3, 4)).toArray()).toEqual([
        [3, 3, 3, 3],
        [3, 3, 3, 3],
      ]);
    });
  });

  it("gives PyTorch's dtypes for integer operands (a per-operand sum of int32 is int64)", () => {
    tidy(() => {
      const i32 = (...s: number[]): Tensor => ones(s, { dtype: 'int32' });
      // torch 1.13: int32 results where only products and contractions happen ...
      expect(einsum('ij,jk->ik', i32(2, 3), i32(3, 4)).dtype).toBe('int32');
      expect(einsum('ii->i', i32(3, 3)).dtype).toBe('int32');
      expect(einsum('i,i->', i32(3), i32(3)).dtype).toBe('int32');
      expect(einsum('ij,jk,kl->il', i32(2, 3), i32(3, 4), i32(4, 5)).toArray()).toEqual(
        new Array(2).fill(new Array(5).fill(12)),
      );
      // ... int64 where an operand is summed on its own (torch.sum promotes) ...
      expect(einsum('ij->', i32(2, 3)).dtype).toBe('int64');
      expect(einsum('ij,k->jk', i32(2, 3), i32(4)).dtype).toBe('int64');
      expect(einsum('ij->i', ones(2, 3, { dtype: 'bool' })).toArray()).toEqual([3, 3]);
      // ... and PyTorch's refusal where that sum meets an int32 operand in a product.
      expect(() => einsum('ij,j->', i32(2, 3), i32(3))).toThrow(
        /einsum: expected both operands to have the same dtype/,
      );
      expect(() => einsum('ij,jk', ones(2, 3, { dtype: 'bool' }), ones(3, 4, { dtype: 'bool' }))).toThrow(
        /einsum: not implemented for bool tensors/,
      );
      expect(() => einsum('ij,jk', ones(2, 3), ones(3, 4, { dtype: 'float64' }))).toThrow(
        /einsum: expected both operands to have the same dtype, but got float32 \[2,3\] and float64/,
      );
      // A product without a summed subscript is a multiply, which promotes (as PyTorch's).
      expect(einsum('i,j->ij', ones(2), ones(3, { dtype: 'float64' })).dtype).toBe('float64');
    });
  });

  it('int64 values are exact', () => {
    tidy(() => {
      const a = tensor([2n ** 40n, 3n]).reshape(1, 2);
      const b = tensor([1n, 2n ** 11n]).reshape(2, 1);
      expect(einsum('ij,jk->ik', a, b).dataSync()).toEqual(new BigInt64Array([2n ** 40n + 3n * 2n ** 11n]));
    });
  });

  it('differentiates twice (gradgradcheck)', () => {
    manualSeed(3);
    tidy(() => {
      expect(gradgradcheck((a, b) => einsum('bij,bjk->bik', a, b), [f64(2, 2, 3), f64(2, 3, 2)])).toBe(true);
      expect(gradgradcheck((a) => einsum('ii->i', a), [f64(3, 3)])).toBe(true);
      expect(
        gradgradcheck((a, b, c) => einsum('bn,anm,bm->ba', a, b, c), [f64(2, 3), f64(2, 3, 2), f64(2, 2)]),
      ).toBe(true);
      expect(gradgradcheck((a, b) => einsum('...ij,...jk', a, b), [f64(2, 1, 2, 3), f64(3, 3, 2)])).toBe(
        true,
      );
    });
  });
});
