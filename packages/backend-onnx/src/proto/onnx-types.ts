// The ONNX protobuf messages as plain interfaces: the fields of onnx.proto (IR version 8) that
// onnx-proto's generated `I*` interfaces have, declared here so that our published .d.ts files
// never load onnx-proto's. Those need protobufjs' global `Long` type, which a consumer
// compiling with `skipLibCheck: false` does not have (24 errors "Cannot find name 'Long'").
// `onnx.ts` checks at compile time that onnx-proto's messages are assignable to these.

/**
 * A 64-bit integer field as protobufjs decodes it: a number, or a `Long` object when the
 * `long` package is installed (read it with `Number(v)`).
 */
export type Int64Value = number | Int64Object;

/** The `Long` object protobufjs uses for 64-bit integers (the members read here). */
export interface Int64Object {
  low: number;
  high: number;
  unsigned: boolean;
  toNumber(): number;
}

/** `onnx.StringStringEntryProto`: a key/value pair (metadata, external data). */
export interface IStringStringEntryProto {
  key?: string | null;
  value?: string | null;
}

/** `onnx.OperatorSetIdProto`: an operator set the model imports (`domain` '' is the default ONNX domain). */
export interface IOperatorSetIdProto {
  domain?: string | null;
  version?: Int64Value | null;
}

/** `onnx.TensorShapeProto.Dimension`: a fixed size (`dimValue`) or a symbolic one (`dimParam`). */
export interface ITensorShapeDimension {
  dimValue?: Int64Value | null;
  dimParam?: string | null;
  denotation?: string | null;
}

/** `onnx.TensorShapeProto`. */
export interface ITensorShapeProto {
  dim?: ITensorShapeDimension[] | null;
}

/** `onnx.TypeProto.Tensor`: element type (`TensorProto.DataType` code) and shape. */
export interface ITypeProtoTensor {
  elemType?: number | null;
  shape?: ITensorShapeProto | null;
}

/** `onnx.TypeProto` (tensor types; sequence, map and optional types nest another TypeProto). */
export interface ITypeProto {
  tensorType?: ITypeProtoTensor | null;
  sequenceType?: { elemType?: ITypeProto | null } | null;
  mapType?: { keyType?: number | null; valueType?: ITypeProto | null } | null;
  optionalType?: { elemType?: ITypeProto | null } | null;
  sparseTensorType?: ITypeProtoTensor | null;
  denotation?: string | null;
}

/** `onnx.ValueInfoProto`: a named, typed graph input, output or intermediate value. */
export interface IValueInfoProto {
  name?: string | null;
  type?: ITypeProto | null;
  docString?: string | null;
}

/** `onnx.TensorProto`: a constant tensor (initialiser or attribute value). */
export interface ITensorProto {
  dims?: Int64Value[] | null;
  /** A `TensorProto.DataType` code (1 float, 6 int32, 7 int64, 9 bool, 11 double, …). */
  dataType?: number | null;
  segment?: { begin?: Int64Value | null; end?: Int64Value | null } | null;
  floatData?: number[] | null;
  int32Data?: number[] | null;
  stringData?: Uint8Array[] | null;
  int64Data?: Int64Value[] | null;
  name?: string | null;
  docString?: string | null;
  rawData?: Uint8Array | null;
  externalData?: IStringStringEntryProto[] | null;
  dataLocation?: number | null;
  doubleData?: number[] | null;
  uint64Data?: Int64Value[] | null;
}

/** `onnx.SparseTensorProto`. */
export interface ISparseTensorProto {
  values?: ITensorProto | null;
  indices?: ITensorProto | null;
  dims?: Int64Value[] | null;
}

/** `onnx.AttributeProto`: one named attribute of a node (`type` is an `AttributeType` code). */
export interface IAttributeProto {
  name?: string | null;
  refAttrName?: string | null;
  docString?: string | null;
  type?: number | null;
  f?: number | null;
  i?: Int64Value | null;
  s?: Uint8Array | null;
  t?: ITensorProto | null;
  g?: IGraphProto | null;
  sparseTensor?: ISparseTensorProto | null;
  tp?: ITypeProto | null;
  floats?: number[] | null;
  ints?: Int64Value[] | null;
  strings?: Uint8Array[] | null;
  tensors?: ITensorProto[] | null;
  graphs?: IGraphProto[] | null;
  sparseTensors?: ISparseTensorProto[] | null;
  typeProtos?: ITypeProto[] | null;
}

/** `onnx.NodeProto`: one operator call. */
export interface INodeProto {
  input?: string[] | null;
  output?: string[] | null;
  name?: string | null;
  opType?: string | null;
  domain?: string | null;
  attribute?: IAttributeProto[] | null;
  docString?: string | null;
}

/** `onnx.TensorAnnotation` (quantisation parameters of a tensor). */
export interface ITensorAnnotation {
  tensorName?: string | null;
  quantParameterTensorNames?: IStringStringEntryProto[] | null;
}

/** `onnx.GraphProto`: nodes in topological order, initialisers, inputs and outputs. */
export interface IGraphProto {
  node?: INodeProto[] | null;
  name?: string | null;
  initializer?: ITensorProto[] | null;
  sparseInitializer?: ISparseTensorProto[] | null;
  docString?: string | null;
  input?: IValueInfoProto[] | null;
  output?: IValueInfoProto[] | null;
  valueInfo?: IValueInfoProto[] | null;
  quantizationAnnotation?: ITensorAnnotation[] | null;
}

/** `onnx.TrainingInfoProto`. */
export interface ITrainingInfoProto {
  initialization?: IGraphProto | null;
  algorithm?: IGraphProto | null;
  initializationBinding?: IStringStringEntryProto[] | null;
  updateBinding?: IStringStringEntryProto[] | null;
}

/** `onnx.FunctionProto`: a model-local function. */
export interface IFunctionProto {
  name?: string | null;
  input?: string[] | null;
  output?: string[] | null;
  attribute?: string[] | null;
  node?: INodeProto[] | null;
  docString?: string | null;
  opsetImport?: IOperatorSetIdProto[] | null;
  domain?: string | null;
}

/** `onnx.ModelProto`: a whole ONNX model (what `exportOnnx` serialises and `checkModel` reads). */
export interface IModelProto {
  irVersion?: Int64Value | null;
  opsetImport?: IOperatorSetIdProto[] | null;
  producerName?: string | null;
  producerVersion?: string | null;
  domain?: string | null;
  modelVersion?: Int64Value | null;
  docString?: string | null;
  graph?: IGraphProto | null;
  metadataProps?: IStringStringEntryProto[] | null;
  trainingInfo?: ITrainingInfoProto[] | null;
  functions?: IFunctionProto[] | null;
}
