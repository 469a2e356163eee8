import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { checkModel } from './check-model.js';
import { floatAttr, GraphBuilder } from './graph-builder.js';
import { type IModelProto, onnx } from './onnx.js';

describe('GraphBuilder', () => {
  it('builds a model that onnxruntime runs (Gemm + LeakyRelu, symbolic batch)', async () => {
    const g = new GraphBuilder('tiny');
    const x = g.input('x', 'float32', ['batch', 2]);
    const w = g.initializer('fc.weight', Float32Array.of(1, 2, 3, 4, 5, 6), [3, 2]);
    const b = g.initializer('fc.bias', Float32Array.of(0.5, -100, 0), [3]);
    const h = g.op('Gemm', [x, w, b], { transB: 1 });
    const [y] = g.node('LeakyRelu', [h], ['y'], { alpha: floatAttr(1) });
    const [z] = g.node('LeakyRelu', [h], ['z'], { alpha: 0.5 });
    g.output(y, 'float32', ['batch', 3]);
    g.output(z, 'float32', ['batch', 3]);
    const bytes = g.toBytes({ opset: 17 });
    expect(checkModel(bytes)).toMatchObject({ opset: 17, irVersion: 8, inputs: ['x'], outputs: ['y', 'z'] });
    const s = await ort.InferenceSession.create(bytes);
    const r = await s.run({ x: new ort.Tensor('float32', Float32Array.of(1, 1, 2, 0), [2, 2]) });
    expect(Array.from(r.y.data as Float32Array)).toEqual([3.5, -93, 11, 2.5, -94, 10]);
    expect(Array.from(r.z.data as Float32Array)).toEqual([3.5, -46.5, 11, 2.5, -47, 10]);
    await s.release();
  });

  it('writes attribute types by value and shares equal constants', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'float32', [2, 3]);
    const s1 = g.int64s([1, 6]);
    const s2 = g.int64s([1, 6]);
    expect(s1).toBe(s2);
    g.output(g.op('Reshape', [x, s1]), 'float32');
    g.node('Transpose', [x], ['t'], { perm: [1, 0] });
    g.node('Foo', [x], ['u'], { f: 1.5, s: 'abc', fs: [0.5, 1], names: ['a', 'b'] });
    const m: IModelProto = onnx.ModelProto.decode(g.toBytes());
    const T = onnx.AttributeProto.AttributeType;
    const attrs = m.graph!.node![3].attribute!.map((a: { name?: string | null; type?: number | null }) => [
      a.name,
      a.type,
    ]);
    expect(attrs).toEqual([
      ['f', T.FLOAT],
      ['s', T.STRING],
      ['fs', T.FLOATS],
      ['names', T.STRINGS],
    ]);
    expect(m.graph!.node![0].opType).toBe('Constant');
    expect(m.graph!.node![2].attribute![0].type).toBe(T.INTS);
    expect(m.graph!.initializer!.length).toBe(0);
  });

  it('refuses undefined inputs, duplicate names and data that does not fill its dims', () => {
    const g = new GraphBuilder('g');
    g.input('x', 'float32', [2]);
    expect(() => g.op('Relu', ['nope'])).toThrow("Relu uses 'nope', which is not defined yet in graph 'g'");
    expect(() => g.input('x', 'float32', [2])).toThrow("input 'x' is already defined");
    expect(() => g.initializer('w', new Float32Array(5), [2, 3])).toThrow(
      'dims [2, 3] hold 6 elements but the data has 5',
    );
    expect(() => g.output('y', 'float32')).toThrow("output 'y' is not defined");
  });

  it('types scalars, lists inputs and outputs, and raises the default opset on request', () => {
    const g = new GraphBuilder('g');
    const x = g.input('x', 'int32', ['n']);
    const y = g.op('Add', [x, g.scalar(2, 'two', 'int32')]);
    g.output(y, 'int32');
    expect([g.inputNames, g.outputNames]).toEqual([['x'], [y]]);
    const m: IModelProto = onnx.ModelProto.decode(g.toBytes());
    expect(m.graph!.node![0].attribute![0].t!.dataType).toBe(6);
    expect(Number(m.opsetImport![0].version)).toBe(17);
    g.requireOpset(19);
    expect(Number((onnx.ModelProto.decode(g.toBytes()) as IModelProto).opsetImport![0].version)).toBe(19);
    expect(() => g.toBytes({ opset: 17 })).toThrow("graph 'g' needs opset 19 or newer, got 17");
  });
});
