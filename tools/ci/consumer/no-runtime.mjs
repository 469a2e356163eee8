// Consumer check without any ONNX Runtime installed: the package imports, exports ONNX, and
// the 'onnx' backend's first op fails with an error naming the package to install.
import { nn, randn, setBackend, tensor } from '@proj/core';
import '@proj/backend-cpu';
import { exportOnnx } from '@proj/backend-onnx';

const bytes = exportOnnx(new nn.Linear(3, 2), [randn([1, 3])]);
let message = '';
try {
  setBackend('onnx');
  tensor([1, 2]).add(1);
} catch (e) {
  message = e.message;
}
if (!message.includes('npm install onnxruntime-node')) {
  throw new Error(`no-runtime: expected an error naming onnxruntime-node, got: ${message || 'no error'}`);
}
const hint = message.match(/npm install onnxruntime-node[^`]*/)[0];
console.log(`exportOnnx without a runtime: ${bytes.length} B; setBackend('onnx') throws, naming \`${hint}\``);
