// The shared conformance suite (@proj/backend-tests) run against the CPU backend.
import { runConformance } from '@proj/backend-tests';
import { cpuSkips, cpuTolerance } from './conformance.skips.js';
import './index.js';

runConformance({ backend: 'cpu', skip: cpuSkips, tolerance: cpuTolerance });
