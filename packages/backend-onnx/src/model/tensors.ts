// Conversion between core Tensors and ONNX Runtime tensors for OnnxModel.
import { type DataArray, type DType, type Tensor, tensor, tidy } from '@proj/core';

/** The ORT tensor shape both runtimes take and return (onnxruntime-common's Tensor). */
export interface OrtLikeTensor {
  readonly type: string;
  readonly data: unknown;
  readonly dims: readonly number[];
}

/**
 * The ORT feed of a core tensor for an input declared as `want` (if known). The tensor was
 * checked against the declaration (`checks.ts`): it is of type `want`, or int32 for int64.
 */
export function ortInput(
  t: Tensor,
  want: string | undefined,
): { type: string; data: ArrayBufferView; dims: number[] } {
  const dims = [...t.shape];
  const data = t.dataSync<DataArray>();
  if (want === 'int64' && t.dtype === 'int32') {
    // int64 indices are common in ONNX files; every int32 is an exact int64
    return { type: want, data: BigInt64Array.from(data as Int32Array, (v) => BigInt(v)), dims };
  }
  return { type: t.dtype, data, dims };
}

/**
 * A core tensor (on `device`) holding an ORT output: int64 exactly as int64, uint32 as int64,
 * uint8 as uint8, int8/int16/uint16 as int32; float16 is refused.
 */
export function fromOrt(o: OrtLikeTensor, name: string, device?: string): Tensor {
  let data: DataArray;
  let dtype: DType;
  const d = o.data as ArrayLike<number | bigint>;
  switch (o.type) {
    case 'float32':
      [data, dtype] = [o.data as Float32Array, 'float32'];
      break;
    case 'float64':
      [data, dtype] = [o.data as Float64Array, 'float64'];
      break;
    case 'int32':
      [data, dtype] = [o.data as Int32Array, 'int32'];
      break;
    case 'bool':
      [data, dtype] = [Uint8Array.from(d as ArrayLike<number>), 'bool'];
      break;
    case 'int64':
      [data, dtype] = [o.data as BigInt64Array, 'int64'];
      break;
    case 'uint32':
      [data, dtype] = [BigInt64Array.from(d as ArrayLike<number>, (v) => BigInt(v)), 'int64'];
      break;
    case 'uint8':
      [data, dtype] = [Uint8Array.from(d as ArrayLike<number>), 'uint8'];
      break;
    case 'int16':
    case 'uint16':
    case 'int8':
      [data, dtype] = [Int32Array.from(d as ArrayLike<number>), 'int32'];
      break;
    default:
      throw new Error(
        `OnnxModel: output '${name}' has element type ${o.type}, which core tensors cannot hold`,
      );
  }
  const dims = [...o.dims];
  return tidy(() => tensor(data, { dtype, device }).reshape(dims));
}
