import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { memory, tensor } from '../index.js';
import { loadSafetensors, readSafetensorsHeader, safetensorsMetadata, saveSafetensors } from './index.js';

/** Read as an own key: these tests are about objects whose '__proto__' is data. */
const PROTO = '__proto__';

// Files written by someone else: names, dtypes, shapes and offsets are all untrusted.

function file(header: string | Uint8Array, data = 0): Uint8Array {
  const h = typeof header === 'string' ? new TextEncoder().encode(header) : header;
  const out = new Uint8Array(8 + h.length + data);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  return out;
}

const entry = (dtype: string, shape: unknown[], b: unknown, e: unknown): string =>
  `{"dtype":${JSON.stringify(dtype)},"shape":${JSON.stringify(shape)},"data_offsets":[${b},${e}]}`;

const refuse = (bytes: Uint8Array, message: string): void => {
  const before = memory().numTensors;
  expect(() => loadSafetensors(bytes)).toThrow(message);
  expect(memory().numTensors).toBe(before);
};

describe('hostile safetensors files', () => {
  it("a tensor named '__proto__' is an ordinary key: it neither replaces the prototype nor leaks", () => {
    const before = memory().numTensors;
    const bytes = file(`{"__proto__":${entry('F32', [1], 0, 4)},"w":${entry('F32', [1], 4, 8)}}`, 8);
    new DataView(bytes.buffer).setFloat32(bytes.length - 8, 2.5, true);
    const sd = loadSafetensors(bytes);
    expect(Object.keys(sd).sort()).toEqual(['__proto__', 'w']);
    expect(Object.hasOwn(sd, '__proto__')).toBe(true);
    expect(sd[PROTO].toArray()).toEqual([2.5]);
    expect(Object.getPrototypeOf(sd)).toBe(null);
    expect(({} as Record<string, unknown>).w).toBeUndefined();
    for (const t of Object.values(sd)) t.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('built-in names (constructor, toString, hasOwnProperty) are ordinary tensors, and absent names are absent', () => {
    const names = ['constructor', 'toString', 'hasOwnProperty'];
    const sd = loadSafetensors(saveSafetensors(Object.fromEntries(names.map((n, i) => [n, tensor([i])]))));
    for (const [i, n] of names.entries()) expect(sd[n].toArray()).toEqual([i]);
    const other = loadSafetensors(saveSafetensors({ w: tensor([1]) }));
    expect(other.constructor).toBeUndefined();
    expect(other.toString).toBeUndefined();
    for (const t of [...Object.values(sd), ...Object.values(other)]) t.dispose();
  });

  it("__metadata__ keys '__proto__' and 'constructor' are kept as strings", () => {
    const meta = safetensorsMetadata(file('{"__metadata__":{"__proto__":"x","constructor":"y"}}'));
    expect(Object.keys(meta).sort()).toEqual(['__proto__', 'constructor']);
    expect(meta[PROTO]).toBe('x');
    expect(meta.constructor).toBe('y');
    expect(Object.getPrototypeOf(meta)).toBe(null);
    expect(safetensorsMetadata(file('{}')).toString).toBeUndefined();
    const info = readSafetensorsHeader(file(`{"__proto__":${entry('F32', [1], 0, 4)}}`, 4));
    expect(Object.keys(info.tensors)).toEqual(['__proto__']);
  });

  it('refuses a header that starts with a UTF-8 byte-order mark or whitespace, as the reference does', () => {
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('{}')]);
    refuse(
      file(bom),
      "loadSafetensors: header does not start with '{': its first byte is 0xef (a UTF-8 byte-order mark)",
    );
    refuse(file(' {}    '), "header does not start with '{': its first byte is 0x20 (whitespace)");
    refuse(file('\n{}'), '0x0a (whitespace)');
    // Trailing spaces are the format's padding and stay accepted.
    expect(Object.keys(loadSafetensors(file('{}      ')))).toEqual([]);
  });

  it('refuses dtype names that are not safetensors dtypes, built-in names included', () => {
    for (const dtype of ['f32', 'float32', '__proto__', 'constructor', 'toString', '']) {
      refuse(
        file(`{"a":${entry(dtype, [1], 0, 4)}}`, 4),
        `tensor 'a' has unknown dtype ${JSON.stringify(dtype)} (expected one of BOOL, U8,`,
      );
    }
    refuse(file('{"a":{"dtype":4,"shape":[1],"data_offsets":[0,4]}}', 4), "tensor 'a' has unknown dtype 4");
  });

  it('refuses shape entries that are not non-negative safe integers', () => {
    for (const shape of [[-1], [1.5], ['2'], [null], [[2]], [2 ** 53], [true]]) {
      refuse(
        file(`{"a":${entry('F32', shape, 0, 4)}}`, 4),
        `shape of 'a' must be an array of non-negative integers, got ${JSON.stringify(shape)}`,
      );
    }
    refuse(
      file('{"a":{"dtype":"F32","shape":4,"data_offsets":[0,16]}}', 16),
      "shape of 'a' must be an array",
    );
    // numel × itemsize beyond 2^53 bytes cannot be a real file.
    refuse(
      file(`{"a":${entry('F64', [2 ** 26, 2 ** 26, 2 ** 26], 0, 8)}}`, 8),
      "tensor 'a' F64 [67108864,67108864,67108864] needs",
    );
  });

  it('refuses data_offsets that are malformed, out of range, unordered or overlapping', () => {
    const bad = (off: string, data = 4) =>
      file(`{"a":{"dtype":"F32","shape":[1],"data_offsets":${off}}}`, data);
    for (const off of [
      '[0]',
      '[0,4,8]',
      '["0",4]',
      '[0,4.5]',
      '[-4,0]',
      '[0,18446744073709551616]',
      '{"0":0,"1":4}',
    ]) {
      refuse(bad(off), "data_offsets of 'a' must be [begin, end] non-negative integers");
    }
    refuse(bad('[4,8]', 8), 'offsets are not contiguous: bytes 0..4 of the data section belong to no tensor');
    refuse(bad('[4,8]', 4), "data_offsets [4, 8] of 'a' are out of range: the data section is 4 bytes");
    // An empty tensor placed inside another one's bytes.
    refuse(
      file(`{"a":${entry('F32', [2], 0, 8)},"e":${entry('F32', [0], 4, 4)}}`, 8),
      "data_offsets [4, 4] of 'e' overlap 'a'",
    );
    // The same bytes claimed twice.
    refuse(
      file(`{"a":${entry('F32', [1], 0, 4)},"b":${entry('F32', [1], 0, 4)}}`, 4),
      "data_offsets [0, 4] of 'b' overlap 'a'",
    );
  });

  it('refuses entries that are not tensor descriptions', () => {
    refuse(file('{"a":[1,2]}'), "entry 'a' must be an object with dtype, shape and data_offsets");
    refuse(file('{"a":"F32"}'), "entry 'a' must be an object");
    // Fields under an own '__proto__' key are not fields.
    refuse(
      file('{"a":{"shape":[1],"data_offsets":[0,4],"__proto__":{"dtype":"F32"}}}', 4),
      "tensor 'a' is missing the field 'dtype'",
    );
    refuse(file('{"__metadata__":[["a","b"]]}'), '__metadata__ must be an object of strings, got an array');
    refuse(file('{"__metadata__":{"a":null}}'), "__metadata__ value of 'a' must be a string, got null");
    refuse(file('{"__metadata__":"x"}'), '__metadata__ must be an object of strings, got string');
    // As in the reference, where __metadata__ is an Option: null is no metadata.
    expect(Object.keys(safetensorsMetadata(file('{"__metadata__":null}')))).toEqual([]);
  });
});
