// The shared conformance suite (@proj/backend-tests) run against the ONNX Runtime backend.
import '@proj/backend-cpu';
import { runConformance } from '@proj/backend-tests';
import { onnxSkips, onnxTolerance } from './conformance.skips.js';
import './index.js';

runConformance({ backend: 'onnx', skip: onnxSkips, tolerance: onnxTolerance });
