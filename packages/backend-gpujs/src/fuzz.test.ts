// The property-based fuzz suite (@proj/backend-tests) against the float64 reference on gpujs.
import { runFuzz } from '@proj/backend-tests';
import { gpujsTolerance } from './conformance.skips.js';
import './index.js';

runFuzz({
  backend: 'gpujs',
  tolerance: gpujsTolerance,
  numRuns: 150,
  exclude: { subnormals: 'WebGL shaders flush float32 subnormals to zero (GLSL ES allows it)' },
  intBound: { bound: 2 ** 24, reason: 'gpu.js keeps int32 in float32 textures, exact to ±2^24' },
});
