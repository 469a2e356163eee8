// Conversion between core Tensors and ONNX Runtime tensors for OnnxModel.
import { type DType, type Tensor, type TypedArray, tensor, tidy } from '@proj/core';

/** The ORT tensor shape both runtimes take and return (onnxruntime-common's Tensor). */
export interface OrtLikeTensor {
  readonly type: string;
  readonly data: unknown;
  readonly dims: readonly number[];
}

/** ORT element type of a core tensor converted for an input declared as `want` (if known). */
export function ortInput(
  t: Tensor,
  want: string | undefined,
): { type: string; data: ArrayBufferView; dims: number[] } {
  const dims = [...t.shape];
  const data = t.dataSync() as TypedArray;
  const own = t.dtype === 'bool' ? 'bool' : t.dtype;
  const type = want ?? own;
  if (type === own) return { type, data, dims };
  // The model declares another element type (int64 indices are common in ONNX files): convert.
  switch (type) {
    case 'int64':
      return {
        type,
        data: BigInt64Array.from(Array.from(data as ArrayLike<number>, (v) => BigInt(Math.trunc(v)))),
        dims,
      };
    case 'float32':
      return { type, data: Float32Array.from(data as ArrayLike<number>), dims };
    case 'float64':
      return { type, data: Float64Array.from(data as ArrayLike<number>), dims };
    case 'int32':
      return { type, data: Int32Array.from(data as ArrayLike<number>), dims };
    case 'bool':
      return { type, data: Uint8Array.from(data as ArrayLike<number>, (v) => (v ? 1 : 0)), dims };
    default:
      throw new Error(`OnnxModel: cannot feed a ${t.dtype} tensor to an input of type ${type}`);
  }
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
    case 'int16':
    case 'uint16':
    case 'int8':
    case 'uint8':
      [data, dtype] = [Int32Array.from(d as ArrayLike<number | bigint>, (v) => Number(v)), 'int32'];
      break;
    default:
      throw new Error(
        `OnnxModel: output '${name}' has element type ${o.type}, which core tensors cannot hold`,
      );
  }
  const dims = [...o.dims];
  return tidy(() => tensor(data, { dtype, device }).reshape(dims));
}
