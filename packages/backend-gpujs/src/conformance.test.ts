// The shared conformance suite (@proj/backend-tests) run against the gpujs backend.
import '@proj/backend-cpu';
import { runConformance } from '@proj/backend-tests';
import { gpujsSkips, gpujsTolerance } from './conformance.skips.js';
import './index.js';

runConformance({ backend: 'gpujs', skip: gpujsSkips, tolerance: gpujsTolerance });
