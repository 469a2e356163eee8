// Consumer check (browser bundle): what an app built with esbuild/vite for browsers imports.
import { nn, randn, setBackend } from '@proj/core';
import '@proj/backend-cpu';
import { exportOnnx, OnnxModel } from '@proj/backend-onnx';

setBackend('onnx');
const model = new nn.Linear(4, 2);
const session = await OnnxModel.load(exportOnnx(model, [randn([1, 4])]));
const [y] = await session.run([randn([1, 4])]);
console.log(await y.data());
