// Consumer check (ESM): trains 5 steps on the cpu backend, exports the model to ONNX and runs
// the file on both ONNX Runtimes and on the op-by-op 'onnx' backend, from the packed packages.
import { manualSeed, nn, noGrad, optim, randn, setBackend } from '@proj/core';
import '@proj/backend-cpu';
import { checkModel, exportOnnx, OnnxModel } from '@proj/backend-onnx';

manualSeed(0);
const model = new nn.Sequential(new nn.Linear(4, 16), new nn.ReLU(), new nn.Linear(16, 1));
const opt = new optim.SGD(model.parameters(), { lr: 0.05 });
const lossFn = new nn.MSELoss();
const x = randn([32, 4]);
const y = x.sum(1, true);
const losses = [];
for (let step = 0; step < 5; step++) {
  opt.zeroGrad();
  const loss = lossFn.forward(model.forward(x), y);
  loss.backward();
  opt.step();
  losses.push(loss.item());
}
if (!(losses[4] < losses[0])) throw new Error(`esm: loss did not decrease: ${losses.join(', ')}`);

const expected = noGrad(() => model.forward(x)).dataSync();
const maxDiff = (got) => Math.max(...Array.from(got, (v, i) => Math.abs(v - expected[i])));

const bytes = exportOnnx(model, [x]);
const { nodes } = checkModel(bytes);
const diffs = {};
for (const runtime of ['node', 'web']) {
  const session = await OnnxModel.load(bytes, { runtime });
  const [out] = await session.run([x]);
  diffs[runtime] = maxDiff(await out.data());
  await session.dispose();
}
setBackend('onnx');
model.to('onnx');
diffs.backend = maxDiff(noGrad(() => model.forward(x.to('onnx'))).dataSync());
for (const [k, d] of Object.entries(diffs)) {
  if (!(d < 1e-5)) throw new Error(`esm: ONNX (${k}) differs from eager cpu by ${d}`);
}
// DESIGN.md's vision names from the package root: in Node its `node` condition gives the
// file-reading datasets too.
const { datasets, models } = await import('@proj/vision');
for (const name of ['MNIST', 'FashionMNIST', 'CIFAR10', 'ImageFolder']) {
  if (typeof datasets[name] !== 'function')
    throw new Error(`esm: @proj/vision has no datasets.${name} in Node`);
}
setBackend('cpu');
const cnn = models.mnistCnn({ pretrained: true });
const logits = noGrad(() => cnn.eval().forward(randn([2, 1, 28, 28])));
if (logits.shape.join() !== '2,10') throw new Error(`esm: mnistCnn gave shape [${logits.shape}]`);

const fmt = (d) => d.toExponential(1);
console.log(
  `loss ${losses[0].toFixed(3)} -> ${losses[4].toFixed(3)} in 5 cpu steps; exported ${bytes.length} B ` +
    `(${nodes.length} nodes); max |onnx - cpu|: onnxruntime-node ${fmt(diffs.node)}, ` +
    `onnxruntime-web ${fmt(diffs.web)}, 'onnx' backend ${fmt(diffs.backend)}; ` +
    `@proj/vision in Node: datasets.MNIST/CIFAR10/ImageFolder, pretrained mnistCnn`,
);
