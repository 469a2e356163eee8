// onnx-proto is a CommonJS build of onnx.proto (protobufjs static code); this re-exports its
// `onnx` namespace for ESM callers. The message types come from `onnx-types.ts`: only this
// internal module names onnx-proto's own types, so no published .d.ts reachable from the
// package's entry loads them (they need protobufjs' global `Long`; see onnx-types.ts).

import type { onnx as P } from 'onnx-proto';
import onnxProto from 'onnx-proto';
import type * as T from './onnx-types.js';

/** The generated ONNX protobuf classes (`onnx.ModelProto.encode`, `onnx.TensorProto.DataType`, …). */
export const onnx: typeof P = onnxProto.onnx;

export type {
  IAttributeProto,
  IGraphProto,
  IModelProto,
  INodeProto,
  ITensorProto,
  IValueInfoProto,
} from './onnx-types.js';

/** A decoded model (onnx-proto's class), readable through our {@link T.IModelProto}. */
export type ModelProto = P.ModelProto;

// Compile-time check that onnx-proto's messages fit our interfaces (a decoded model is read as
// ours): assignments only, nothing runs.
type Fits<Ours, Theirs extends Ours> = Theirs;
export type _OnnxTypesFit = [
  Fits<T.IModelProto, P.IModelProto>,
  Fits<T.IGraphProto, P.IGraphProto>,
  Fits<T.INodeProto, P.INodeProto>,
  Fits<T.ITensorProto, P.ITensorProto>,
  Fits<T.IValueInfoProto, P.IValueInfoProto>,
  Fits<T.IAttributeProto, P.IAttributeProto>,
];
