// The property-based fuzz suite (@proj/backend-tests) against the float64 reference on onnx.
import { runFuzz } from '@proj/backend-tests';
import { onnxTolerance } from './conformance.skips.js';
import './index.js';

runFuzz({ backend: 'onnx', tolerance: onnxTolerance, numRuns: 300 });
