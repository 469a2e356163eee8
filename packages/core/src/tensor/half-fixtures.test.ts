// float16/bfloat16 against PyTorch, bit for bit: casts of edge values and a few ops computed in
// half. The cases are data in fixtures/half.json, written by tools/fixtures/half_cases.py
// (`python3 tools/fixtures/generate.py half`), which says where each expected value comes from.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import '@proj/backend-cpu';
import { type DType, type Tensor, tensor } from '../index.js';
import { decodeHalf, encodeHalf, type HalfDType } from './half.js';

interface HalfJson {
  shape: number[];
  bits16: number[];
}
interface CastCase {
  name: string;
  kind: 'cast';
  from: 'float32' | 'float64' | HalfDType;
  to: HalfDType;
  input: { bits32?: number[]; float64?: number[]; bits16?: number[] };
  output: { bits16: number[] };
}
interface OpCase {
  name: string;
  kind: 'op';
  op: string;
  dtype: HalfDType;
  args: { other?: number; dim?: number };
  inputs: HalfJson[];
  output: HalfJson;
  reference: 'torch' | 'float32-then-round';
}

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/half.json', import.meta.url), 'utf8')) as {
  cases: (CastCase | OpCase)[];
};

const OPS: Record<string, (xs: Tensor[], a: OpCase['args']) => Tensor> = {
  add: ([a, b]) => a.add(b),
  mul: ([a, b]) => a.mul(b),
  div: ([a, b]) => a.div(b),
  mulScalar: ([a], { other }) => a.mul(other as number),
  addScalar: ([a], { other }) => a.add(other as number),
  exp: ([a]) => a.exp(),
  sum: ([a]) => a.sum(),
  sumDim: ([a], { dim }) => a.sum(dim),
  mean: ([a]) => a.mean(),
  matmul: ([a, b]) => a.matmul(b),
  softmax: ([a], { dim }) => a.softmax(dim as number),
  logSoftmax: ([a], { dim }) => a.logSoftmax(dim as number),
};

/** The 16-bit patterns of a half tensor's values (NaNs as 0x7e00 / 0x7fc0 on both sides). */
function bitsOf(t: Tensor, dtype: HalfDType): number[] {
  expect(t.dtype).toBe(dtype);
  const v = t.dataSync();
  expect(v).toBeInstanceOf(Float32Array);
  const bits = encodeHalf(v as Float32Array, dtype);
  // the values themselves are the half values (encodeHalf alone would hide an unrounded result)
  const back = decodeHalf(bits, dtype);
  const bad = [...v].findIndex((x, i) => !Object.is(x, back[i]) && !Number.isNaN(x));
  expect(bad, `element ${bad} (${v[bad]}) is not a ${dtype} value`).toBe(-1);
  return [...bits];
}

function canonicalNaNs(bits: readonly number[], dtype: HalfDType): number[] {
  const nanBits = (b: number) =>
    dtype === 'float16'
      ? (b & 0x7c00) === 0x7c00 && (b & 0x3ff) !== 0
      : (b & 0x7f80) === 0x7f80 && (b & 0x7f) !== 0;
  return bits.map((b) => (nanBits(b) ? (dtype === 'float16' ? 0x7e00 : 0x7fc0) : b));
}

function input(c: CastCase): Tensor {
  const { bits32, float64, bits16 } = c.input;
  if (bits32) return tensor(new Float32Array(Int32Array.from(bits32).buffer));
  if (float64) return tensor(Float64Array.from(float64));
  return tensor([...decodeHalf(bits16 as number[], c.from as HalfDType)], { dtype: c.from as DType });
}

describe('half fixtures (PyTorch)', () => {
  const casts = fixture.cases.filter((c): c is CastCase => c.kind === 'cast');
  const ops = fixture.cases.filter((c): c is OpCase => c.kind === 'op');

  it('has the cases', () => {
    expect(casts.length).toBeGreaterThan(8);
    expect(ops.length).toBe(2 * Object.keys(OPS).length);
  });

  for (const c of casts) {
    it(c.name, () => {
      const x = input(c);
      const y = x.to(c.to);
      expect(canonicalNaNs(bitsOf(y, c.to), c.to)).toEqual(canonicalNaNs(c.output.bits16, c.to));
      // tensor(values, { dtype }) rounds the same way as the cast (through float32)
      const direct = tensor(x.dataSync() as Float32Array | Float64Array, { dtype: c.to });
      expect(canonicalNaNs(bitsOf(direct, c.to), c.to)).toEqual(canonicalNaNs(c.output.bits16, c.to));
    });
  }

  for (const c of ops) {
    it(`${c.name} (${c.reference})`, () => {
      const xs = c.inputs.map((i) =>
        tensor([...decodeHalf(i.bits16, c.dtype)], { dtype: c.dtype }).reshape(i.shape),
      );
      const out = OPS[c.op](xs, c.args);
      expect(out.shape).toEqual(c.output.shape);
      expect(canonicalNaNs(bitsOf(out, c.dtype), c.dtype)).toEqual(canonicalNaNs(c.output.bits16, c.dtype));
    });
  }
});
