// Conversion between core Tensors and ONNX Runtime tensors for OnnxModel.
import { type DType, type Tensor, type TypedArray, tensor, tidy } from '@proj/core';

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
  const data = t.dataSync() as TypedArray;
  if (want === 'int64' && t.dtype === 'int32') {
    // int64 indices are common in ONNX files; every int32 is an exact int64
    return { type: want, data: BigInt64Array.from(data as Int32Array, (v) => BigInt(v)), dims };
  }
  return { type: t.dtype, data, dims };
}

/** int64/uint32 outputs become int32, which must hold them: never a wrapped value. */
function toInt32(d: ArrayLike<number | bigint>, name: string, type: string): Int32Array {
  const out = new Int32Array(d.length);
  for (let i = 0; i < d.length; i++) {
    const v = Number(d[i]);
    if (v < -2147483648 || v > 2147483647) {
      throw new RangeError(
        `OnnxModel: output '${name}' (${type}) holds ${String(d[i])} at flat index ${i}, which does not fit int32, ` +
          'the integer dtype core tensors have here; it is not wrapped around',
      );
    }
    out[i] = v;
  }
  return out;
}

/** A core tensor (on `device`) holding an ORT output; int64/uint8/int8 become int32, float16 is refused. */
export function fromOrt(o: OrtLikeTensor, name: string, device?: string): Tensor {
  let data: TypedArray;
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
    case 'uint32':
      [data, dtype] = [toInt32(d, name, o.type), 'int32'];
      break;
    case 'int16':
    case 'uint16':
    case 'int8':
    case 'uint8':
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
