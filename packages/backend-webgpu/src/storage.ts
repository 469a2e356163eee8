// How tensors live on the GPU: one storage buffer per tensor, four bytes per element.
import type { DType, TensorInfo } from '@proj/core';

/** A tensor's buffer. `bytes` is the buffer's size (≥ 4 · numel, rounded for reuse). */
export interface Handle {
  readonly buffer: GPUBuffer;
  readonly bytes: number;
  readonly numel: number;
  readonly dtype: DType;
}

/** The WGSL scalar type each dtype is stored and computed in. */
export type WgslScalar = 'f32' | 'i32' | 'u32';

/**
 * float32 → f32; int32 → i32; int64 → i32 (WGSL has no 64-bit integer: values beyond int32 are
 * refused on write and results beyond it are errors, never wrapped); bool and uint8 → u32.
 */
export function scalarOf(dtype: DType): WgslScalar {
  switch (dtype) {
    case 'float32':
      return 'f32';
    case 'int32':
    case 'int64':
      return 'i32';
    case 'bool':
    case 'uint8':
      return 'u32';
    default:
      throw new Error(`webgpu: dtype ${dtype} has no WGSL storage type`);
  }
}

/** The dtypes this backend stores (WGSL has no f64; float16/bfloat16 are core's, over float32). */
export const STORED_DTYPES: ReadonlySet<DType> = new Set<DType>([
  'float32',
  'int32',
  'int64',
  'bool',
  'uint8',
]);

/** The buffer behind a tensor. */
export function bufOf(x: TensorInfo): GPUBuffer {
  return (x.handle as Handle).buffer;
}

/** Element count of a shape. */
export function numelOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
