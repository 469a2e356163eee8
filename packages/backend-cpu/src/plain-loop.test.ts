// Issue 18: pytorch/examples' MNIST network in a plain loop (no tidy/dispose/await) stays bounded.
import { checkPlainLoopBounded } from '@proj/backend-tests';
import { it } from 'vitest';
import './index.js';

it('cpu: main.py network, 60 steps without tidy, RSS stays bounded (Buffers go with their tensors (gcManaged))', () => {
  console.log(checkPlainLoopBounded('cpu'));
}, 180_000);
