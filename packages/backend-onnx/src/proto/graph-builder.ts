// A small typed builder of ONNX graphs over onnx-proto's messages: declare inputs, weights
// (initialisers), nodes and outputs by name, then serialise a ModelProto.
import type { Tensor, TypedArray } from '@proj/core';
import { arrayOf, BYTES_PER_ELEMENT, dtypeOfArray, ONNX_DATA_TYPE, type OnnxDType } from './dtypes.js';
import { onnx } from './onnx.js';
import type {
  IAttributeProto,
  IModelProto,
  INodeProto,
  ITensorProto,
  IValueInfoProto,
} from './onnx-types.js';

/** A dimension: a fixed size, or a symbolic name (`'batch'`) that the runtime binds. */
export type Dim = number | string;

/** An attribute value that must be written as FLOAT / FLOATS, even when integral (`alpha: floatAttr(1)`). */
export interface FloatAttr {
  /** Tags the value as a FLOAT attribute. */
  readonly kind: 'float';
  /** One number (FLOAT) or a list (FLOATS). */
  readonly value: number | readonly number[];
}

/** An attribute holding a tensor (the `value` of a `Constant` node). */
export interface TensorAttr {
  /** Tags the value as a TENSOR attribute. */
  readonly kind: 'tensor';
  /** The elements, row-major (BigInt64Array for int64). */
  readonly data: TypedArray | BigInt64Array;
  /** The tensor's shape (`[]` for a scalar). */
  readonly dims: readonly number[];
  /** The element type (default: the one `data`'s array type holds; Uint8Array is uint8). */
  readonly dtype?: OnnxDType;
}

/**
 * A node attribute: an integer number → INT, a non-integer number → FLOAT, a string → STRING,
 * a number array → INTS (FLOATS if any element is not an integer), a string array → STRINGS;
 * {@link floatAttr} forces FLOAT/FLOATS, {@link tensorAttr} gives TENSOR.
 */
export type AttrValue = number | string | readonly number[] | readonly string[] | FloatAttr | TensorAttr;

/** Marks `value` as a FLOAT (or FLOATS) attribute: `{ alpha: floatAttr(1) }`. */
export function floatAttr(value: number | readonly number[]): FloatAttr {
  return { kind: 'float', value };
}

/**
 * A TENSOR attribute (e.g. `Constant`'s `value`): `dims` is the shape, `dtype` defaults to the
 * one `data`'s array type holds (pass 'bool' for a Uint8Array of 0/1).
 *
 * @example
 * ```ts
 * g.node('Constant', [], ['two'], { value: tensorAttr(new Float32Array([2]), []) });
 * ```
 */
export function tensorAttr(
  data: TypedArray | BigInt64Array,
  dims: readonly number[],
  dtype?: OnnxDType,
): TensorAttr {
  return { kind: 'tensor', data, dims, dtype };
}

/** Options of {@link GraphBuilder.toModel} / {@link GraphBuilder.toBytes}. */
export interface ModelOptions {
  /** Default-domain opset version (default 17). */
  opset?: number;
  /** `producer_name` of the model (default '@proj/backend-onnx'). */
  producer?: string;
  /** `producer_version` of the model (default '0.1.0'). */
  producerVersion?: string;
  /** IR version (default: the one released with `opset`). */
  irVersion?: number;
  /** `doc_string` of the model: free text shown by viewers such as Netron (default: none). */
  docString?: string;
}

/** The IR version ONNX released with each opset (onnx 1.10: opset 15 / IR 8, …). */
export function irVersionForOpset(opset: number): number {
  if (opset <= 8) return 3;
  if (opset <= 10) return 5;
  if (opset <= 11) return 6;
  if (opset <= 14) return 7;
  if (opset <= 18) return 8;
  if (opset <= 20) return 9;
  return 10;
}

const textEncoder = new TextEncoder();

function isTensor(x: unknown): x is Tensor {
  return typeof x === 'object' && x !== null && 'dataSync' in x && 'shape' in x;
}

/** A TensorProto with the data as little-endian `raw_data` (how exporters store weights). */
export function tensorProto(
  name: string,
  data: TypedArray | BigInt64Array,
  dims: readonly number[],
  dtype: OnnxDType = dtypeOfArray(data),
): ITensorProto {
  const n = dims.reduce((a, b) => a * b, 1);
  if (data.length !== n) {
    throw new Error(
      `tensorProto '${name}': dims [${dims.join(', ')}] hold ${n} elements but the data has ${data.length}`,
    );
  }
  if (BYTES_PER_ELEMENT[dtype] !== data.BYTES_PER_ELEMENT) {
    throw new Error(`tensorProto '${name}': ${data.constructor.name} cannot hold ${dtype} data`);
  }
  // Copy: the data may be a view of a larger buffer; ONNX wants exactly n elements (little-endian, as JS hosts are).
  const raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
  return { name, dims: [...dims], dataType: ONNX_DATA_TYPE[dtype], rawData: raw };
}

function valueInfo(name: string, dtype: OnnxDType, dims: readonly Dim[] | null): IValueInfoProto {
  const tensorType: Record<string, unknown> = { elemType: ONNX_DATA_TYPE[dtype] };
  if (dims) {
    tensorType.shape = {
      dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })),
    };
  }
  return { name, type: { tensorType } };
}

function attribute(name: string, v: AttrValue): IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof v === 'number') {
    return Number.isInteger(v) ? { name, type: T.INT, i: v } : { name, type: T.FLOAT, f: v };
  }
  if (typeof v === 'string') return { name, type: T.STRING, s: textEncoder.encode(v) };
  if (Array.isArray(v)) {
    if (v.length > 0 && typeof v[0] === 'string') {
      return { name, type: T.STRINGS, strings: (v as string[]).map((s) => textEncoder.encode(s)) };
    }
    const nums = v as number[];
    return nums.every(Number.isInteger)
      ? { name, type: T.INTS, ints: [...nums] }
      : { name, type: T.FLOATS, floats: [...nums] };
  }
  const a = v as FloatAttr | TensorAttr;
  if (a.kind === 'float') {
    return typeof a.value === 'number'
      ? { name, type: T.FLOAT, f: a.value }
      : { name, type: T.FLOATS, floats: [...a.value] };
  }
  if (a.kind === 'tensor') return { name, type: T.TENSOR, t: tensorProto('', a.data, a.dims, a.dtype) };
  throw new Error(`GraphBuilder: attribute '${name}' has an unsupported value ${JSON.stringify(v)}`);
}

/**
 * Builds one ONNX graph. Every value is named by a string; `node` returns the names of its
 * outputs so calls chain. Names must be unique (`uniqueName` makes fresh ones).
 *
 * ```ts
 * const g = new GraphBuilder('mlp');
 * const x = g.input('x', 'float32', ['batch', 4]);
 * const w = g.initializer('fc.weight', new Float32Array(12), [3, 4]);
 * const [y] = g.node('Gemm', [x, w], ['y'], { transB: 1 });
 * g.output(y, 'float32', ['batch', 3]);
 * const bytes = g.toBytes({ opset: 17 });
 * ```
 */
export class GraphBuilder {
  /** The graph's name (`GraphProto.name`; default 'graph'). */
  readonly name: string;
  private readonly inputs: IValueInfoProto[] = [];
  private readonly outputs: IValueInfoProto[] = [];
  private readonly initializers: ITensorProto[] = [];
  private readonly nodes: INodeProto[] = [];
  private readonly names = new Set<string>();
  private readonly counters = new Map<string, number>();
  private readonly constants = new Map<string, string>();
  private minOpset = 0;

  constructor(name = 'graph') {
    this.name = name;
  }

  /** A name not used yet in this graph, built from `prefix` (`prefix`, `prefix_1`, …). */
  uniqueName(prefix: string): string {
    let n = this.counters.get(prefix) ?? 0;
    let name = n === 0 ? prefix : `${prefix}_${n}`;
    while (this.names.has(name)) name = `${prefix}_${++n}`;
    this.counters.set(prefix, n + 1);
    this.names.add(name);
    return name;
  }

  /**
   * Records that the graph uses an operator form that needs at least `opset` (e.g.
   * AveragePool's dilations, opset 19): `toModel` then defaults to it, and refuses a lower one.
   */
  requireOpset(opset: number): this {
    this.minOpset = Math.max(this.minOpset, opset);
    return this;
  }

  /** Names of the declared graph inputs, in order. */
  get inputNames(): string[] {
    return this.inputs.map((v) => v.name as string);
  }

  /** Names of the declared graph outputs, in order. */
  get outputNames(): string[] {
    return this.outputs.map((v) => v.name as string);
  }

  /** Drops the initialisers no node reads and no output names (a traced model's unused buffers). */
  pruneInitializers(): void {
    const used = new Set<string>();
    for (const n of this.nodes) for (const i of n.input ?? []) used.add(i);
    for (const o of this.outputs) used.add(o.name as string);
    const kept = this.initializers.filter((t) => used.has(t.name as string));
    this.initializers.length = 0;
    this.initializers.push(...kept);
  }

  /** Whether `name` is a declared input or an initialiser (not made by a node). */
  isSource(name: string): boolean {
    return this.inputs.some((v) => v.name === name) || this.initializers.some((t) => t.name === name);
  }

  /** Whether `name` is already a value of this graph. */
  has(name: string): boolean {
    return this.names.has(name);
  }

  private claim(name: string, what: string): string {
    if (!name) throw new Error(`GraphBuilder: ${what} needs a non-empty name`);
    if (this.names.has(name))
      throw new Error(`GraphBuilder: ${what} '${name}' is already defined in graph '${this.name}'`);
    this.names.add(name);
    return name;
  }

  /**
   * Declares a graph input; string dims are symbolic (`['batch', 784]`). Returns its name.
   *
   * @throws Error if `name` is empty or already a value of this graph.
   */
  input(name: string, dtype: OnnxDType, dims: readonly Dim[]): string {
    this.inputs.push(valueInfo(this.claim(name, 'input'), dtype, dims));
    return name;
  }

  /**
   * Adds a weight. `data` is a Tensor (its shape is used when `dims` is omitted; read with
   * `dataSync()`) or a typed array (`dims` required; BigInt64Array for int64). Returns its name.
   *
   * @throws Error if `name` is empty or taken, if a typed array comes without `dims`, or if the
   * data does not fill `dims` or cannot hold `dtype`.
   */
  initializer(
    name: string,
    data: Tensor | TypedArray | BigInt64Array,
    dims?: readonly number[],
    dtype?: OnnxDType,
  ): string {
    let arr: TypedArray | BigInt64Array;
    let shape: readonly number[];
    if (isTensor(data)) {
      arr = data.dataSync();
      shape = dims ?? data.shape;
      dtype ??= data.dtype === 'bool' ? 'bool' : (data.dtype as OnnxDType);
    } else {
      if (!dims) throw new Error(`GraphBuilder.initializer '${name}': dims are required for a typed array`);
      arr = data;
      shape = dims;
    }
    this.initializers.push(tensorProto(this.claim(name, 'initializer'), arr, shape, dtype));
    return name;
  }

  /**
   * A constant as a `Constant` node (not an initialiser, so initialisers stay the model's
   * weights) with a fresh output name from `prefix`; equal constants are shared.
   */
  constant(
    prefix: string,
    data: TypedArray | BigInt64Array,
    dims: readonly number[],
    dtype?: OnnxDType,
  ): string {
    const key = `${dtype ?? dtypeOfArray(data)}|${dims.join(',')}|${Array.from(data as ArrayLike<number | bigint>).join(',')}`;
    const known = this.constants.get(key);
    if (known) return known;
    const name = this.uniqueName(prefix);
    this.names.delete(name); // node() claims it again as its output
    this.node('Constant', [], [name], { value: tensorAttr(data, dims, dtype) });
    this.constants.set(key, name);
    return name;
  }

  /** An int64 vector constant (shapes, axes, starts/ends of Slice). */
  int64s(values: readonly number[], prefix = 'const'): string {
    return this.constant(prefix, BigInt64Array.from(values.map(BigInt)), [values.length], 'int64');
  }

  /** A scalar constant (rank 0) of `dtype` (default float32). */
  scalar(value: number, prefix = 'const', dtype: OnnxDType = 'float32'): string {
    return this.constant(prefix, arrayOf(dtype, [value]), [], dtype);
  }

  /**
   * Adds a node. `outputs` are names, or a count for fresh names derived from the op type.
   * An empty input name `''` marks an omitted optional input. `attrs` left `undefined` are
   * skipped (see {@link AttrValue} for how values are typed); `opts.name` names the node
   * (default: a fresh `<opType>_node` name) and `opts.domain` sets its operator domain (default:
   * the ONNX domain). Returns the output names.
   *
   * @throws Error if an input is not defined yet (graphs are built in topological order), or if
   * an output name is empty or taken.
   */
  node(
    opType: string,
    inputs: readonly string[],
    outputs: readonly string[] | number = 1,
    attrs: Readonly<Record<string, AttrValue | undefined>> = {},
    opts: { name?: string; domain?: string } = {},
  ): string[] {
    for (const i of inputs) {
      if (i !== '' && !this.names.has(i)) {
        throw new Error(
          `GraphBuilder: ${opType} uses '${i}', which is not defined yet in graph '${this.name}'`,
        );
      }
    }
    const outs =
      typeof outputs === 'number'
        ? Array.from({ length: outputs }, () => this.uniqueName(opType.toLowerCase()))
        : outputs.map((o) => this.claim(o, `output of ${opType}`));
    const attribute_ = Object.entries(attrs)
      .filter((e): e is [string, AttrValue] => e[1] !== undefined)
      .map(([k, v]) => attribute(k, v));
    this.nodes.push({
      opType,
      input: [...inputs],
      output: outs,
      name: opts.name ?? this.uniqueName(`${opType}_node`),
      domain: opts.domain,
      attribute: attribute_,
    });
    return outs;
  }

  /** Adds a one-output node with a fresh output name; returns that name. */
  op(
    opType: string,
    inputs: readonly string[],
    attrs: Readonly<Record<string, AttrValue | undefined>> = {},
  ): string {
    return this.node(opType, inputs, 1, attrs)[0];
  }

  /**
   * Copies the nodes of `sub` into this graph: `sub`'s declared inputs are bound, in order, to
   * `inputs` (values of this graph), every value `sub` makes gets a fresh name here, and its
   * constants are shared with equal ones already here. Returns this graph's names of `sub`'s
   * outputs. How a tracer joins the one-op models of the primitives into one graph.
   *
   * @throws Error if `inputs` does not give one value of this graph per input of `sub`, or
   * `sub` has initialisers (primitive models have none).
   */
  inline(sub: GraphBuilder, inputs: readonly string[]): string[] {
    if (inputs.length !== sub.inputs.length) {
      throw new Error(
        `GraphBuilder.inline: '${sub.name}' has ${sub.inputs.length} inputs, ${inputs.length} were given`,
      );
    }
    if (sub.initializers.length > 0) throw new Error(`GraphBuilder.inline: '${sub.name}' has initialisers`);
    const rename = new Map<string, string>();
    sub.inputs.forEach((v, i) => {
      if (!this.names.has(inputs[i])) {
        throw new Error(`GraphBuilder.inline: '${inputs[i]}' is not a value of graph '${this.name}'`);
      }
      rename.set(v.name as string, inputs[i]);
    });
    const constantKeys = new Map<string, string>();
    for (const [k, name] of sub.constants) constantKeys.set(name, k);
    const mapped = (i: string) => (i === '' ? '' : (rename.get(i) as string));
    for (const n of sub.nodes) {
      const outs = n.output as string[];
      const k = n.opType === 'Constant' ? constantKeys.get(outs[0]) : undefined;
      if (k !== undefined) {
        const known = this.constants.get(k);
        if (known !== undefined) {
          rename.set(outs[0], known);
          continue;
        }
      }
      const fresh = outs.map((o) => {
        const name = this.uniqueName(n.opType === 'Constant' ? 'const' : (n.opType as string).toLowerCase());
        rename.set(o, name);
        return name;
      });
      if (k !== undefined) this.constants.set(k, fresh[0]);
      this.nodes.push({
        ...n,
        input: (n.input as string[]).map(mapped),
        output: fresh,
        name: this.uniqueName(`${n.opType}_node`),
      });
    }
    this.requireOpset(sub.minOpset);
    return sub.outputs.map((o) => mapped(o.name as string));
  }

  /**
   * Declares `name` (an input, initialiser or node output) a graph output; dims optional.
   *
   * @throws Error if `name` is not a value of this graph.
   */
  output(name: string, dtype: OnnxDType, dims: readonly Dim[] | null = null): string {
    if (!this.names.has(name))
      throw new Error(`GraphBuilder: output '${name}' is not defined in graph '${this.name}'`);
    this.outputs.push(valueInfo(name, dtype, dims));
    return name;
  }

  /**
   * The graph as a ModelProto message (default opset 17, or the higher one that
   * {@link GraphBuilder.requireOpset} recorded).
   *
   * @throws Error if `opts.opset` is lower than the opset {@link GraphBuilder.requireOpset} recorded.
   */
  toModel(opts: ModelOptions = {}): IModelProto {
    const opset = opts.opset ?? Math.max(17, this.minOpset);
    if (opset < this.minOpset) {
      throw new Error(
        `GraphBuilder: graph '${this.name}' needs opset ${this.minOpset} or newer, got ${opset}`,
      );
    }
    return {
      irVersion: opts.irVersion ?? irVersionForOpset(opset),
      producerName: opts.producer ?? '@proj/backend-onnx',
      producerVersion: opts.producerVersion ?? '0.1.0',
      docString: opts.docString,
      opsetImport: [{ domain: '', version: opset }],
      graph: {
        name: this.name,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    };
  }

  /** The serialised model (the bytes of a `.onnx` file). */
  toBytes(opts: ModelOptions = {}): Uint8Array {
    return onnx.ModelProto.encode(onnx.ModelProto.create(this.toModel(opts) as never)).finish();
  }
}
