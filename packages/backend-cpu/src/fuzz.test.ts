// The property-based fuzz suite (@proj/backend-tests) against the float64 reference on the CPU backend.
import { runFuzz } from '@proj/backend-tests';
import { cpuTolerance } from './conformance.skips.js';
import './index.js';

runFuzz({ backend: 'cpu', tolerance: cpuTolerance, numRuns: 1000 });
