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
  /** The low 32 bits, signed. */
  low: number;
  /** The high 32 bits, signed. */
  high: number;
  /** Whether the value is read as unsigned (uint64 fields). */
  unsigned: boolean;
  /** The value as a number (exact up to 2^53). */
  toNumber(): number;
}

/** `onnx.StringStringEntryProto`: a key/value pair (metadata, external data). */
export interface IStringStringEntryProto {
  /** The entry's key. */
  key?: string | null;
  /** The entry's value. */
  value?: string | null;
}

/** `onnx.OperatorSetIdProto`: an operator set the model imports (`domain` '' is the default ONNX domain). */
export interface IOperatorSetIdProto {
  /** The operator domain ('' or 'ai.onnx' for the default ONNX operators). */
  domain?: string | null;
  /** The opset version imported from that domain. */
  version?: Int64Value | null;
}

/** `onnx.TensorShapeProto.Dimension`: a fixed size (`dimValue`) or a symbolic one (`dimParam`). */
export interface ITensorShapeDimension {
  /** A fixed size. */
  dimValue?: Int64Value | null;
  /** A symbolic size (`'batch'`), bound by the runtime. */
  dimParam?: string | null;
  /** What the dimension stands for (`'DATA_BATCH'`, `'DATA_CHANNEL'`, …). */
  denotation?: string | null;
}

/** `onnx.TensorShapeProto`. */
export interface ITensorShapeProto {
  /** The dimensions, outermost first (empty for a scalar). */
  dim?: ITensorShapeDimension[] | null;
}

/** `onnx.TypeProto.Tensor`: element type (`TensorProto.DataType` code) and shape. */
export interface ITypeProtoTensor {
  /** The element type, a `TensorProto.DataType` code (1 float, 7 int64, …). */
  elemType?: number | null;
  /** The shape; absent when even the rank is unknown. */
  shape?: ITensorShapeProto | null;
}

/** `onnx.TypeProto` (tensor types; sequence, map and optional types nest another TypeProto). */
export interface ITypeProto {
  /** A dense tensor type. */
  tensorType?: ITypeProtoTensor | null;
  /** A sequence type: `elemType` is the type of its elements. */
  sequenceType?: {
    /** The type of the sequence's elements. */
    elemType?: ITypeProto | null;
  } | null;
  /** A map type: `keyType` is a `TensorProto.DataType` code, `valueType` the values' type. */
  mapType?: {
    /** The key type, a `TensorProto.DataType` code (an integer type or string). */
    keyType?: number | null;
    /** The type of the values. */
    valueType?: ITypeProto | null;
  } | null;
  /** An optional type: `elemType` is the type of the value when present. */
  optionalType?: {
    /** The type of the value when present. */
    elemType?: ITypeProto | null;
  } | null;
  /** A sparse tensor type. */
  sparseTensorType?: ITypeProtoTensor | null;
  /** What the value stands for (`'IMAGE'`, `'AUDIO'`, …). */
  denotation?: string | null;
}

/** `onnx.ValueInfoProto`: a named, typed graph input, output or intermediate value. */
export interface IValueInfoProto {
  /** The value's name, unique in its graph. */
  name?: string | null;
  /** The value's type (element type and shape, for a tensor). */
  type?: ITypeProto | null;
  /** Free-text documentation. */
  docString?: string | null;
}

/** `onnx.TensorProto`: a constant tensor (initialiser or attribute value). */
export interface ITensorProto {
  /** The shape, outermost first (empty for a scalar). */
  dims?: Int64Value[] | null;
  /** A `TensorProto.DataType` code (1 float, 6 int32, 7 int64, 9 bool, 11 double, …). */
  dataType?: number | null;
  /** For a tensor stored in chunks: the range of flat indices `[begin, end)` this one holds. */
  segment?: {
    /** The first flat index held. */
    begin?: Int64Value | null;
    /** One past the last flat index held. */
    end?: Int64Value | null;
  } | null;
  /** Elements of float (and complex64) tensors when not in `rawData`. */
  floatData?: number[] | null;
  /** Elements of int32, int16, int8, uint16, uint8, bool and float16 (bits) tensors, if not in `rawData`. */
  int32Data?: number[] | null;
  /** Elements of string tensors (UTF-8 bytes). */
  stringData?: Uint8Array[] | null;
  /** Elements of int64 tensors when not in `rawData`. */
  int64Data?: Int64Value[] | null;
  /** The tensor's name (an initialiser's is the value name nodes use). */
  name?: string | null;
  /** Free-text documentation. */
  docString?: string | null;
  /** The elements as packed little-endian bytes (how exporters usually store weights). */
  rawData?: Uint8Array | null;
  /** Where the data lives when stored outside the model (`location`, `offset`, `length`, …). */
  externalData?: IStringStringEntryProto[] | null;
  /** Where the data is: 0 in this message, 1 external (see `externalData`). */
  dataLocation?: number | null;
  /** Elements of double (and complex128) tensors when not in `rawData`. */
  doubleData?: number[] | null;
  /** Elements of uint64 and uint32 tensors when not in `rawData`. */
  uint64Data?: Int64Value[] | null;
}

/** `onnx.SparseTensorProto`. */
export interface ISparseTensorProto {
  /** The non-zero values, a 1-D tensor of NNZ elements. */
  values?: ITensorProto | null;
  /** Their positions: int64, [NNZ] linearised or [NNZ, rank] coordinates. */
  indices?: ITensorProto | null;
  /** The shape of the dense tensor this represents. */
  dims?: Int64Value[] | null;
}

/** `onnx.AttributeProto`: one named attribute of a node (`type` is an `AttributeType` code). */
export interface IAttributeProto {
  /** The attribute's name, unique within its node. */
  name?: string | null;
  /** In a function body: the name of the function attribute this one refers to. */
  refAttrName?: string | null;
  /** Free-text documentation. */
  docString?: string | null;
  /**
   * Which value field is set: an `AttributeProto.AttributeType` code (1 FLOAT, 2 INT, 3 STRING, 4 TENSOR, 6
   * FLOATS, 7 INTS, …).
   */
  type?: number | null;
  /** A FLOAT value. */
  f?: number | null;
  /** An INT value. */
  i?: Int64Value | null;
  /** A STRING value (UTF-8 bytes). */
  s?: Uint8Array | null;
  /** A TENSOR value. */
  t?: ITensorProto | null;
  /** A GRAPH value (the body of `If`, `Loop`, `Scan`). */
  g?: IGraphProto | null;
  /** A SPARSE_TENSOR value. */
  sparseTensor?: ISparseTensorProto | null;
  /** A TYPE_PROTO value. */
  tp?: ITypeProto | null;
  /** A FLOATS value. */
  floats?: number[] | null;
  /** An INTS value. */
  ints?: Int64Value[] | null;
  /** A STRINGS value (UTF-8 bytes each). */
  strings?: Uint8Array[] | null;
  /** A TENSORS value. */
  tensors?: ITensorProto[] | null;
  /** A GRAPHS value. */
  graphs?: IGraphProto[] | null;
  /** A SPARSE_TENSORS value. */
  sparseTensors?: ISparseTensorProto[] | null;
  /** A TYPE_PROTOS value. */
  typeProtos?: ITypeProto[] | null;
}

/** `onnx.NodeProto`: one operator call. */
export interface INodeProto {
  /** Names of the values the node reads, in the operator's order (`''` for an omitted optional input). */
  input?: string[] | null;
  /** Names of the values the node defines, in the operator's order. */
  output?: string[] | null;
  /** The node's name (optional, for diagnostics). */
  name?: string | null;
  /** The operator (`'Gemm'`, `'Relu'`, …). */
  opType?: string | null;
  /** The operator's domain ('' for the default ONNX domain). */
  domain?: string | null;
  /** The operator's attributes. */
  attribute?: IAttributeProto[] | null;
  /** Free-text documentation. */
  docString?: string | null;
}

/** `onnx.TensorAnnotation` (quantisation parameters of a tensor). */
export interface ITensorAnnotation {
  /** The annotated tensor. */
  tensorName?: string | null;
  /** Its quantisation parameters: keys `SCALE_TENSOR`, `ZERO_POINT_TENSOR`, values tensor names. */
  quantParameterTensorNames?: IStringStringEntryProto[] | null;
}

/** `onnx.GraphProto`: nodes in topological order, initialisers, inputs and outputs. */
export interface IGraphProto {
  /** The nodes, in topological order. */
  node?: INodeProto[] | null;
  /** The graph's name. */
  name?: string | null;
  /** Constant tensors (the weights), each named like the value it defines. */
  initializer?: ITensorProto[] | null;
  /** Sparse constant tensors. */
  sparseInitializer?: ISparseTensorProto[] | null;
  /** Free-text documentation. */
  docString?: string | null;
  /** The graph inputs (an input named like an initialiser has it as its default). */
  input?: IValueInfoProto[] | null;
  /** The graph outputs. */
  output?: IValueInfoProto[] | null;
  /** Types of intermediate values (optional; shape inference fills them). */
  valueInfo?: IValueInfoProto[] | null;
  /** Quantisation parameters of tensors of the graph. */
  quantizationAnnotation?: ITensorAnnotation[] | null;
}

/** `onnx.TrainingInfoProto`. */
export interface ITrainingInfoProto {
  /** A graph run once to initialise the training state. */
  initialization?: IGraphProto | null;
  /** A graph run per training step. */
  algorithm?: IGraphProto | null;
  /** Which initialiser each output of `initialization` assigns (key: initialiser, value: output). */
  initializationBinding?: IStringStringEntryProto[] | null;
  /** Which initialiser each output of `algorithm` updates (key: initialiser, value: output). */
  updateBinding?: IStringStringEntryProto[] | null;
}

/** `onnx.FunctionProto`: a model-local function. */
export interface IFunctionProto {
  /** The function's name, used as the `opType` of nodes that call it. */
  name?: string | null;
  /** Names of its inputs, as its body reads them. */
  input?: string[] | null;
  /** Names of its outputs, as its body defines them. */
  output?: string[] | null;
  /** Names of the attributes it takes. */
  attribute?: string[] | null;
  /** Its body, in topological order. */
  node?: INodeProto[] | null;
  /** Free-text documentation. */
  docString?: string | null;
  /** The opsets its body uses. */
  opsetImport?: IOperatorSetIdProto[] | null;
  /** The domain nodes name to call it. */
  domain?: string | null;
}

/** `onnx.ModelProto`: a whole ONNX model (what `exportOnnx` serialises and `checkModel` reads). */
export interface IModelProto {
  /** The ONNX IR version the model follows (8 for opsets 15–18). */
  irVersion?: Int64Value | null;
  /** The operator sets the model uses (exactly one for the default domain). */
  opsetImport?: IOperatorSetIdProto[] | null;
  /** The tool that wrote the model (`'@proj/backend-onnx'`, `'pytorch'`, …). */
  producerName?: string | null;
  /** The version of that tool. */
  producerVersion?: string | null;
  /** The model's namespace, reverse-DNS style (optional). */
  domain?: string | null;
  /** The model's own version number (optional). */
  modelVersion?: Int64Value | null;
  /** Free-text documentation. */
  docString?: string | null;
  /** The computation. */
  graph?: IGraphProto | null;
  /** Free-form key/value metadata. */
  metadataProps?: IStringStringEntryProto[] | null;
  /** Training algorithms stored with the model (optional). */
  trainingInfo?: ITrainingInfoProto[] | null;
  /** Model-local functions that nodes of the graph may call. */
  functions?: IFunctionProto[] | null;
}
