import { describe, expect, it } from 'vitest';
import { checkModel } from './check-model.js';
import { GraphBuilder } from './graph-builder.js';
import { type IModelProto, onnx } from './onnx.js';

function valid(): IModelProto {
  const g = new GraphBuilder('g');
  const x = g.input('x', 'float32', ['batch', 2]);
  const w = g.initializer('w', new Float32Array(4), [2, 2]);
  g.output(g.op('MatMul', [x, w]), 'float32', ['batch', 2]);
  return g.toModel({ opset: 17 });
}

describe('checkModel', () => {
  it('accepts a valid model and summarises it', () => {
    const bytes = onnx.ModelProto.encode(onnx.ModelProto.create(valid() as never)).finish();
    expect(checkModel(bytes)).toEqual({
      irVersion: 8,
      opset: 17,
      inputs: ['x'],
      outputs: ['matmul'],
      initializers: ['w'],
      nodes: ['MatMul'],
    });
  });

  it('finds use before definition, duplicate values, bad initialisers, missing opset and outputs', () => {
    const m = valid();
    const g = m.graph!;
    g.node = [
      { opType: 'Relu', input: ['later'], output: ['r'], name: 'n0' },
      { opType: 'Relu', input: ['x'], output: ['later'], name: 'n0' },
      { opType: 'Relu', input: ['x'], output: ['w'] },
    ];
    g.initializer![0].rawData = new Uint8Array(12);
    g.output = [{ name: 'ghost', type: { tensorType: { elemType: 1 } } }];
    m.opsetImport = [];
    const msg = (() => {
      try {
        checkModel(m);
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    })();
    expect(msg).toContain("input 'later' is not defined before use");
    expect(msg).toContain('node name is not unique');
    expect(msg).toContain("output 'w' is defined more than once");
    expect(msg).toContain("initializer 'w': dims [2, 2] need 16 bytes of data, found 12");
    expect(msg).toContain("graph output 'ghost' is not produced");
    expect(msg).toContain('no opset_import for the default ONNX domain');
  });

  it('rejects bytes that are not a model', () => {
    expect(() => checkModel(new Uint8Array([0xff, 0xff, 0xff]))).toThrow('checkModel: not an ONNX model');
  });
});
