// Consumer check (types): typed uses of the main API, compiled with skipLibCheck: false
// (entries.ts, generated, imports every entry point of every package besides this).
import { manualSeed, nn, randn, type Tensor } from '@proj/core';
import '@proj/backend-cpu';
import { checkModel, exportOnnx, OnnxModel, OnnxWebBackend } from '@proj/backend-onnx';

export async function usage(): Promise<number> {
  manualSeed(0);
  const model = new nn.Sequential(new nn.Linear(4, 2), new nn.ReLU());
  const x: Tensor = randn([3, 4]);
  const bytes: Uint8Array = exportOnnx(model, [x], { opset: 17 });
  const nodes: string[] = checkModel(bytes).nodes;
  const session: OnnxModel = await OnnxModel.load(bytes, { runtime: 'web' });
  const [y] = await session.run([x]);
  const backend = new OnnxWebBackend({ maxSessions: 8 });
  backend.destroy();
  return nodes.length + y.numel();
}
