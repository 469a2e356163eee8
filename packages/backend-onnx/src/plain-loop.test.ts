// Issue 18: pytorch/examples' MNIST network in a plain loop (no tidy/dispose/await) stays bounded.
import { checkPlainLoopBounded } from '@proj/backend-tests';
import { it } from 'vitest';
import './index.js';

it('onnx: main.py network, 60 steps without tidy, RSS stays bounded (ORT tensors over JS memory (gcManaged in Node))', () => {
  console.log(checkPlainLoopBounded('onnx'));
}, 180_000);
