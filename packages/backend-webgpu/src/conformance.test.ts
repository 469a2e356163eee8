// The shared conformance suite (@proj/backend-tests) on the webgpu backend: Dawn in Node, on the
// machine's adapter (SwiftShader in CI). Reads are asynchronous: each case's checks are judged
// from `await toArrayAsync()` after its body.
import '@proj/backend-cpu';
import { runConformance } from '@proj/backend-tests';
import { webgpuSkips, webgpuTolerance } from './conformance.skips.js';
import { initWebGPU } from './index.js';

const adapter = await initWebGPU();
console.log(`webgpu conformance on: ${adapter.summary}`);

runConformance({ backend: 'webgpu', skip: webgpuSkips, tolerance: webgpuTolerance });
