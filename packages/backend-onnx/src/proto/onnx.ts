// onnx-proto is a CommonJS build of onnx.proto (protobufjs static code); this re-exports its
// `onnx` namespace for ESM callers, and names the message types the builder uses.

import type { onnx as P } from 'onnx-proto';
import onnxProto from 'onnx-proto';

/** The generated ONNX protobuf classes (`onnx.ModelProto.encode`, `onnx.TensorProto.DataType`, …). */
export const onnx: typeof P = onnxProto.onnx;

export type IModelProto = P.IModelProto;
export type IGraphProto = P.IGraphProto;
export type INodeProto = P.INodeProto;
export type ITensorProto = P.ITensorProto;
export type IValueInfoProto = P.IValueInfoProto;
export type IAttributeProto = P.IAttributeProto;
export type ModelProto = P.ModelProto;
