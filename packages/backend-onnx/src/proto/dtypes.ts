// The element types the builder writes, and their ONNX TensorProto.DataType codes.
import type { TypedArray } from '@proj/core';

/** Element types the graph builder can declare: core's dtypes plus int64 (ONNX index inputs). */
export type OnnxDType = 'float32' | 'float64' | 'int32' | 'int64' | 'bool' | 'uint8' | 'int8';

/** ONNX `TensorProto.DataType` code of each element type. */
export const ONNX_DATA_TYPE: Readonly<Record<OnnxDType, number>> = {
  float32: 1,
  uint8: 2,
  int8: 3,
  int32: 6,
  int64: 7,
  bool: 9,
  float64: 11,
};

/** Bytes per element of each element type. */
export const BYTES_PER_ELEMENT: Readonly<Record<OnnxDType, number>> = {
  float32: 4,
  uint8: 1,
  int8: 1,
  int32: 4,
  int64: 8,
  bool: 1,
  float64: 8,
};

/** The element type named by an ONNX data-type code; throws for codes the builder does not write. */
export function dtypeOfOnnx(code: number): OnnxDType {
  for (const [k, v] of Object.entries(ONNX_DATA_TYPE)) if (v === code) return k as OnnxDType;
  throw new Error(
    `onnx: unsupported TensorProto data type ${code} (supported: ${Object.keys(ONNX_DATA_TYPE).join(', ')})`,
  );
}

/** The element type a typed array holds (Uint8Array is read as uint8, not bool). */
export function dtypeOfArray(a: TypedArray | BigInt64Array | Int8Array): OnnxDType {
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Float64Array) return 'float64';
  if (a instanceof Int32Array) return 'int32';
  if (a instanceof BigInt64Array) return 'int64';
  if (a instanceof Uint8Array) return 'uint8';
  if ((a as object) instanceof Int8Array) return 'int8';
  throw new Error(`onnx: unsupported typed array ${(a as object).constructor.name}`);
}

/** A typed array of `dtype` holding `values` (bool as 0/1 bytes, int64 as BigInt64Array). */
export function arrayOf(dtype: OnnxDType, values: readonly number[]): TypedArray | BigInt64Array {
  switch (dtype) {
    case 'float32':
      return Float32Array.from(values);
    case 'float64':
      return Float64Array.from(values);
    case 'int32':
      return Int32Array.from(values);
    case 'int64':
      return BigInt64Array.from(values.map((v) => BigInt(v)));
    case 'bool':
      return Uint8Array.from(values, (v) => (v ? 1 : 0));
    case 'uint8':
      return Uint8Array.from(values);
    case 'int8':
      return Int8Array.from(values) as unknown as TypedArray;
  }
}
