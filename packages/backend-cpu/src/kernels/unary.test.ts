import type { DType, UnaryOp } from '@proj/core';
import { describe, expect, it } from 'vitest';
import { be, expectClose, read, t } from '../../test/helpers.js';

const xs = [-3.5, -2.5, -1.5, -0.5, -0.25, 0, 0.3, 0.5, 1.5, 2.5, 4];

const REF: Partial<Record<UnaryOp, (v: number) => number>> = {
  neg: (v) => -v,
  abs: Math.abs,
  exp: Math.exp,
  expm1: Math.expm1,
  sin: Math.sin,
  cos: Math.cos,
  tanh: Math.tanh,
  sigmoid: (v) => 1 / (1 + Math.exp(-v)),
  relu: (v) => Math.max(v, 0),
  floor: Math.floor,
  ceil: Math.ceil,
  reciprocal: (v) => 1 / v,
};

function run(op: UnaryOp, values: number[], dtype: DType = 'float32'): number[] {
  const x = t(values, [values.length], dtype);
  const outDtype = op === 'isnan' || op === 'logicalNot' ? 'bool' : dtype;
  return read(be.unary(op, x), [values.length], outDtype);
}

describe('unary', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    for (const [op, f] of Object.entries(REF) as [UnaryOp, (v: number) => number][]) {
      it(`${op} ${dtype}`, () => {
        const tol = dtype === 'float32' ? 1e-6 : 1e-14;
        expectClose(run(op, xs, dtype), xs.map(f), tol);
      });
    }
  }

  it('log, log1p, sqrt, rsqrt on positive and invalid inputs', () => {
    const v = [0, 0.5, 1, 4, -1];
    expectClose(run('log', v, 'float64'), v.map(Math.log), 1e-14);
    expectClose(run('log1p', v, 'float64'), v.map(Math.log1p), 1e-14);
    expectClose(run('sqrt', v, 'float64'), v.map(Math.sqrt), 1e-14);
    expectClose(
      run('rsqrt', v, 'float64'),
      [Number.POSITIVE_INFINITY, Math.SQRT2, 1, 0.5, Number.NaN],
      1e-14,
    );
  });

  it('round is round-half-to-even like torch.round', () => {
    expect(run('round', [-3.5, -2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5, 2.4, 2.6, -2.6])).toEqual([
      -4, -2, -2, -0, 0, 2, 2, 4, 2, 3, -3,
    ]);
  });

  it('sign keeps NaN and zero', () => {
    expect(run('sign', [-2, 0, 3, Number.NaN])).toEqual([-1, 0, 1, Number.NaN]);
  });

  it('sigmoid saturates without NaN', () => {
    expect(run('sigmoid', [-1000, 1000], 'float64')).toEqual([0, 1]);
  });

  it('relu passes NaN through', () => {
    expect(run('relu', [Number.NaN, -1])).toEqual([Number.NaN, 0]);
  });

  it('erf matches reference values to double precision', () => {
    const v = [-3.5, -1, -0.1, 0, 1e-5, 0.5, 1, 2, 3, 4, 7];
    const e = [
      -0.9999992569016276, -0.8427007929497149, -0.1124629160182849, 0, 1.1283791670579e-5,
      0.5204998778130465, 0.8427007929497149, 0.9953222650189527, 0.9999779095030014, 0.9999999845827421, 1,
    ];
    expectClose(run('erf', v, 'float64'), e, 1e-15);
  });

  it('int32 neg, abs, sign, relu stay int32', () => {
    const v = [-3, 0, 5];
    expect(run('neg', v, 'int32')).toEqual([3, 0, -5]);
    expect(run('abs', v, 'int32')).toEqual([3, 0, 5]);
    expect(run('sign', v, 'int32')).toEqual([-1, 0, 1]);
    expect(run('relu', v, 'int32')).toEqual([0, 0, 5]);
  });

  it('isnan and logicalNot yield bool', () => {
    expect(run('isnan', [1, Number.NaN, Number.POSITIVE_INFINITY])).toEqual([0, 1, 0]);
    expect(run('logicalNot', [1, 0, 1], 'bool')).toEqual([0, 1, 0]);
    expect(be.unary('isnan', t([1], [1]))).toBeInstanceOf(Uint8Array);
  });

  it('handles empty tensors', () => {
    expect(run('exp', [])).toEqual([]);
  });
});
