// OnnxModel's checks: a model file that is not ONNX, and inputs that do not match what the
// model declares, get errors in core's terms (which input, which dim, what was expected)
// before ORT is asked, instead of ORT's raw text.
import { Tensor } from '@proj/core';

const fmtDims = (dims: readonly (number | string)[]) =>
  `[${dims.map((d) => (typeof d === 'number' ? d : d || '?')).join(', ')}]`;

/** The text ORT gives for bytes that are not a serialized ModelProto (node and web builds). */
const NOT_ONNX = /protobuf parsing failed|model data pointer is null|failed to parse|no graph was found/i;

/** An empty source is refused before ORT sees it (ORT says "Model data pointer is null"). */
export function checkNotEmpty(bytes: Uint8Array, what: string): void {
  if (bytes.byteLength === 0) {
    throw new Error(
      `OnnxModel.load: ${what} is empty (0 bytes); expected an ONNX model (a serialized onnx.ModelProto, e.g. from exportOnnx)`,
    );
  }
}

/** The error for a model ORT could not load: "not a valid ONNX model" when it is not one at all. */
export function loadError(bytes: Uint8Array, what: string, e: unknown): Error {
  const msg = (e as Error)?.message ?? String(e);
  if (NOT_ONNX.test(msg)) {
    const head = Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
    return new Error(
      `OnnxModel.load: ${what} (${bytes.byteLength} bytes, starting ${head}) is not a valid ONNX model: ` +
        `it does not parse as an onnx.ModelProto (onnxruntime: ${msg})`,
    );
  }
  return new Error(`OnnxModel.load: onnxruntime could not load ${what}: ${msg}`);
}

/** How to make a core tensor of the ORT element type `type`, for the error's hint. */
function castHint(type: string): string {
  if (type === 'float32' || type === 'float64' || type === 'bool') return ` (convert with .to('${type}'))`;
  if (type === 'int64') return ' (convert with .long(); int32 is also fed to int64 inputs)';
  if (type === 'int32') return ' (convert with .int())';
  if (type === 'uint8') return ' (convert with .byte())';
  return ` (core tensors cannot hold ${type})`;
}

/**
 * Checks the tensor fed to input `name` against its declared element type and shape: the
 * dtype must be the declared one (int32 is also accepted, and converted exactly, for int64),
 * the rank the declared rank, and every fixed dim equal. An empty declared shape is skipped:
 * the runtimes also report it for inputs declared without a shape.
 */
export function checkInput(
  op: string,
  name: string,
  t: unknown,
  type: string | undefined,
  shape: readonly (number | string)[] | undefined,
): void {
  if (!(t instanceof Tensor)) {
    throw new Error(`${op}: input '${name}' must be a Tensor, got ${t === null ? 'null' : typeof t}`);
  }
  const declared = shape && shape.length > 0 ? `${fmtDims(shape)} ` : '';
  if (type !== undefined && type !== t.dtype && !(type === 'int64' && t.dtype === 'int32')) {
    throw new Error(
      `${op}: input '${name}' expects ${declared}${type}, got a ${t.dtype} tensor of shape ${fmtDims(t.shape)}${castHint(type)}`,
    );
  }
  if (!shape || shape.length === 0) return;
  const expects = `${op}: input '${name}' expects shape ${fmtDims(shape)}${type ? ` (${type})` : ''}, got ${fmtDims(t.shape)}`;
  if (t.ndim !== shape.length) throw new Error(`${expects}: rank ${t.ndim}, expected ${shape.length}`);
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (typeof d === 'number' && d !== t.shape[i]) {
      throw new Error(`${expects}: dim ${i} is ${t.shape[i]}, expected ${d}`);
    }
  }
}

/**
 * A symbolic dim named in several inputs ('batch' in every input of an exportOnnx model) must
 * be bound to one size: ORT does not check that across inputs.
 */
export function checkSymbolicDims(
  op: string,
  names: readonly string[],
  tensors: readonly Tensor[],
  shapes: readonly (readonly (number | string)[] | undefined)[],
): void {
  const bound = new Map<string, { size: number; input: string }>();
  for (const [j, shape] of shapes.entries()) {
    for (const [i, d] of (shape ?? []).entries()) {
      if (typeof d !== 'string' || d === '') continue;
      const size = tensors[j].shape[i];
      const seen = bound.get(d);
      if (!seen) bound.set(d, { size, input: names[j] });
      else if (seen.size !== size) {
        throw new Error(
          `${op}: inputs '${seen.input}' and '${names[j]}' give the symbolic dim '${d}' different sizes (${seen.size} and ${size})`,
        );
      }
    }
  }
}
