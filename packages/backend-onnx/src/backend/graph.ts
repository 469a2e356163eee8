import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** Element types the primitive graphs use (ONNX TensorProto.DataType names). */
export type OnnxType = 'float32' | 'float64' | 'int32' | 'int64' | 'bool';

const ELEM: Record<OnnxType, number> = { float32: 1, int32: 6, int64: 7, bool: 9, float64: 11 };

/** An attribute value: ints/floats/strings and their lists (lists of ints are the common case). */
export type AttrValue = number | string | readonly number[];

/** Attributes whose numeric value is a float in the ONNX schema (everything else is int). */
const FLOAT_ATTRS = new Set(['alpha', 'beta', 'gamma', 'epsilon', 'value_float']);

function attribute(name: string, v: AttrValue): InstanceType<typeof onnx.AttributeProto> {
  const A = onnx.AttributeProto.AttributeType;
  if (typeof v === 'string')
    return onnx.AttributeProto.create({ name, type: A.STRING, s: new TextEncoder().encode(v) });
  if (typeof v === 'number') {
    return FLOAT_ATTRS.has(name)
      ? onnx.AttributeProto.create({ name, type: A.FLOAT, f: v })
      : onnx.AttributeProto.create({ name, type: A.INT, i: v });
  }
  return onnx.AttributeProto.create({ name, type: A.INTS, ints: [...v] });
}

function rawBytes(type: OnnxType, values: readonly number[]): Uint8Array {
  switch (type) {
    case 'float32':
      return new Uint8Array(new Float32Array(values).buffer);
    case 'float64':
      return new Uint8Array(new Float64Array(values).buffer);
    case 'int32':
      return new Uint8Array(new Int32Array(values).buffer);
    case 'int64':
      return new Uint8Array(new BigInt64Array(values.map((v) => BigInt(v))).buffer);
    case 'bool':
      return new Uint8Array(values.map((v) => (v ? 1 : 0)));
  }
}

/**
 * A minimal ONNX graph builder for the backend's primitive models: declare inputs, add
 * nodes (each returns its output names), mark outputs, then `build()` the model bytes.
 * Value names are generated (`v0`, `v1`, ...), so callers only wire names together.
 *
 * @example
 * ```ts
 * const g = new GraphBuilder();
 * const x = g.input('float32', [2, 3]);
 * g.output(g.node('Relu', [x]), 'float32');
 * const bytes = g.build();
 * ```
 */
export class GraphBuilder {
  private readonly inputs: InstanceType<typeof onnx.ValueInfoProto>[] = [];
  private readonly outputs: InstanceType<typeof onnx.ValueInfoProto>[] = [];
  private readonly nodes: InstanceType<typeof onnx.NodeProto>[] = [];
  private readonly inits: InstanceType<typeof onnx.TensorProto>[] = [];
  private counter = 0;

  constructor(private readonly opset = 17) {}

  private fresh(prefix = 'v'): string {
    return `${prefix}${this.counter++}`;
  }

  /** Declares a graph input; a string dim is symbolic (any size at run time). */
  input(type: OnnxType, shape: readonly (number | string)[]): string {
    const name = this.fresh('in');
    const dim = shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
    this.inputs.push(
      onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: ELEM[type], shape: { dim } } } }),
    );
    return name;
  }

  /** A constant tensor (an initializer) holding `values` with `dims` (`[]` for a scalar). */
  constant(type: OnnxType, values: readonly number[], dims: readonly number[] = [values.length]): string {
    const name = this.fresh('c');
    this.inits.push(
      onnx.TensorProto.create({
        name,
        dataType: ELEM[type],
        dims: [...dims],
        rawData: rawBytes(type, values),
      }),
    );
    return name;
  }

  /** An int64 1-D constant: the shapes, axes and pads that ONNX operators take as inputs. */
  ints(values: readonly number[]): string {
    return this.constant('int64', values);
  }

  /** Adds a node and returns its single output. */
  node(op: string, inputs: readonly string[], attrs: Record<string, AttrValue> = {}): string {
    return this.nodeN(op, inputs, 1, attrs)[0];
  }

  /** Adds a node with `numOutputs` outputs and returns their names. */
  nodeN(
    op: string,
    inputs: readonly string[],
    numOutputs: number,
    attrs: Record<string, AttrValue> = {},
  ): string[] {
    const output = Array.from({ length: numOutputs }, () => this.fresh());
    const attribute_ = Object.entries(attrs).map(([k, v]) => attribute(k, v));
    this.nodes.push(onnx.NodeProto.create({ opType: op, input: [...inputs], output, attribute: attribute_ }));
    return output;
  }

  /** Marks `name` as a graph output of element type `type`. */
  output(name: string, type: OnnxType): void {
    this.outputs.push(onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: ELEM[type] } } }));
  }

  /** Names of the declared inputs and outputs, in declaration order. */
  get inputNames(): string[] {
    return this.inputs.map((v) => v.name);
  }

  get outputNames(): string[] {
    return this.outputs.map((v) => v.name);
  }

  /** Serialises the model (IR version 8, default domain at `opset`). */
  build(): Uint8Array {
    const graph = onnx.GraphProto.create({
      name: 'primitive',
      node: this.nodes,
      input: this.inputs,
      output: this.outputs,
      initializer: this.inits,
    });
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: '@proj/backend-onnx',
      opsetImport: [{ domain: '', version: this.opset }],
      graph,
    });
    return onnx.ModelProto.encode(model).finish();
  }
}
