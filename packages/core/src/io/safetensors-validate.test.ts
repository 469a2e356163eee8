import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { memory, tensor } from '../index.js';
import { loadSafetensors, saveSafetensors } from './index.js';

/** A file from a header text and a data section, optionally with a lying length field. */
function file(header: string | Uint8Array, data = 0, length?: bigint): Uint8Array {
  const h = typeof header === 'string' ? new TextEncoder().encode(header) : header;
  const out = new Uint8Array(8 + h.length + data);
  new DataView(out.buffer).setBigUint64(0, length ?? BigInt(h.length), true);
  out.set(h, 8);
  return out;
}

const entry = (dtype: string, shape: number[], b: number, e: number): string =>
  `{"dtype":"${dtype}","shape":[${shape}],"data_offsets":[${b},${e}]}`;

const refuse = (bytes: Uint8Array, message: string): void => {
  const before = memory().numTensors;
  expect(() => loadSafetensors(bytes)).toThrow(message);
  expect(memory().numTensors).toBe(before);
};

describe('loadSafetensors validation', () => {
  it('refuses truncated files', () => {
    const good = saveSafetensors({ w: tensor([1, 2, 3, 4]) });
    refuse(good.subarray(0, 5), 'loadSafetensors: file is 5 bytes, too short for the 8-byte header length');
    refuse(
      good.subarray(0, 20),
      `loadSafetensors: header length ${good.length - 16 - 8} exceeds file size 20`,
    );
    refuse(
      good.subarray(0, good.length - 4),
      "data_offsets [0, 16] of 'w' are out of range: the data section is 12 bytes",
    );
  });

  it('refuses an oversized header length with the size in the message', () => {
    const bytes = file('{}', 1014, 99999999n);
    expect(bytes.length).toBe(1024);
    refuse(
      bytes,
      'loadSafetensors: header length 99999999 exceeds file size 1024 (file truncated or not safetensors)',
    );
    refuse(file('{}', 0, 2n ** 64n - 1n), 'header length 18446744073709551615 exceeds file size 10');
  });

  it('refuses overlapping, non-contiguous and trailing data', () => {
    refuse(
      file(`{"a":${entry('F32', [2], 0, 8)},"b":${entry('F32', [2], 4, 12)}}`, 12),
      "data_offsets [4, 12] of 'b' overlap 'a'",
    );
    refuse(
      file(`{"a":${entry('F32', [1], 0, 4)},"b":${entry('F32', [1], 8, 12)}}`, 12),
      'offsets are not contiguous: bytes 4..8',
    );
    refuse(
      file(`{"a":${entry('F32', [1], 0, 4)}}`, 8),
      'the data section is 8 bytes but the tensors cover 4',
    );
    refuse(file(`{"a":${entry('F32', [1], 4, 0)}}`, 4), "data_offsets [4, 0] of 'a' end before they begin");
  });

  it('refuses sizes that do not match numel × itemsize', () => {
    refuse(
      file(`{"a":${entry('F32', [2, 3], 0, 20)}}`, 20),
      "tensor 'a' F32 [2,3] needs 6 × 4 = 24 bytes but data_offsets [0, 20] span 20",
    );
  });

  it('refuses bad JSON, bad UTF-8 and non-objects', () => {
    refuse(file('{"a": {"dtype": "F32",'), 'loadSafetensors: header is not valid JSON');
    refuse(file(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])), 'loadSafetensors: header is not valid UTF-8');
    refuse(file('[1, 2, 3]'), "loadSafetensors: header does not start with '{'");
  });

  it('refuses missing fields, unknown dtypes, duplicate keys and bad metadata', () => {
    refuse(file('{"a":{"dtype":"F32","shape":[1]}}', 4), "tensor 'a' is missing the field 'data_offsets'");
    refuse(file(`{"a":${entry('F7', [1], 0, 4)}}`, 4), `tensor 'a' has unknown dtype "F7"`);
    refuse(
      file(`{"a":${entry('F8_E4M3', [1], 0, 1)}}`, 1),
      "tensor 'a' has dtype F8_E4M3, which this framework cannot load",
    );
    refuse(
      file(`{"a":${entry('F32', [1], 0, 4)},"a":${entry('F32', [1], 4, 8)}}`, 8),
      'header has duplicate key "a"',
    );
    refuse(
      file(`{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}`, 4),
      "shape of 'a' must be an array of non-negative integers",
    );
    refuse(file('{"__metadata__":{"epoch":3}}'), "__metadata__ value of 'epoch' must be a string");
  });

  it('loads every I64 value as int64, and refuses U64 values past int64', () => {
    const data = new BigInt64Array([5n, -(2n ** 63n), 2n ** 63n - 1n]);
    const bytes = file(`{"a":${entry('I64', [3], 0, 24)}}`, 24);
    bytes.set(new Uint8Array(data.buffer), bytes.length - 24);
    const a = loadSafetensors(bytes).a;
    expect(a.dtype).toBe('int64');
    expect(a.dataSync<BigInt64Array>()).toEqual(data);
    const u = new BigUint64Array([5n, 2n ** 63n]);
    const big = file(`{"u":${entry('U64', [2], 0, 16)}}`, 16);
    big.set(new Uint8Array(u.buffer), big.length - 16);
    refuse(big, "tensor 'u' (U64) holds 9223372036854775808 at index 1, outside the int64 range");
  });

  it('names the problem when saving bad input', () => {
    expect(() => saveSafetensors({ a: [1, 2] as never })).toThrow(
      "saveSafetensors: value of 'a' is not a Tensor (an array)",
    );
    expect(() => saveSafetensors({ a: tensor([1]) }, { n: 3 as never })).toThrow(
      "metadata 'n' must be a string",
    );
  });
});
