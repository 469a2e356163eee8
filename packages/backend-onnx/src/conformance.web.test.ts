// The shared conformance suite (@proj/backend-tests) on onnxruntime-web (wasm, run in Node): a
// backend that reads only asynchronously (readsSync false), as WebGPU does. Each case body runs
// synchronously; its value checks are judged afterwards from `await toArrayAsync()`. The whole
// suite takes ~15 s here, so every case runs (no `only` subset).
import '@proj/backend-cpu';
import { ALL_CASES, declaredSkip, HOST_READ_SKIPS, runCaseAsync, runConformance } from '@proj/backend-tests';
import { registerBackend, type TensorInfo, type TypedArray } from '@proj/core';
import { describe, expect, it } from 'vitest';
import { OnnxWebBackend } from './backend/onnx-web-backend.js';
import { onnxTolerance } from './conformance.skips.js';

/** What onnxruntime-web itself gets wrong (beyond core's host reads, HOST_READ_SKIPS). */
const onnxWebSkips: Readonly<Record<string, string>> = {};

/** onnx-web counting synchronous reads: each one is core asking for a host value (and refused). */
class CountingWebBackend extends OnnxWebBackend {
  syncReads = 0;
  override readSync(x: TensorInfo): TypedArray {
    this.syncReads++;
    return super.readSync(x);
  }
}

let web: CountingWebBackend | undefined;
registerBackend('onnx-web', () => (web = new CountingWebBackend()), { priority: -1 });
const opts = { backend: 'onnx-web', skip: { ...HOST_READ_SKIPS, ...onnxWebSkips }, tolerance: onnxTolerance };

runConformance(opts);

// After the suite (tests of a file run in order): the host-read skips are exactly what they claim.
describe('HOST_READ_SKIPS on onnx-web', () => {
  it('no case the suite ran asked core for a synchronous read (none passed on a refusal)', () => {
    expect(web?.syncReads).toBe(0);
  });

  it('every skipped case does read synchronously (none is skipped needlessly)', async () => {
    const listed = ALL_CASES.filter((c) => declaredSkip(c.id, HOST_READ_SKIPS) !== undefined);
    expect(listed.length).toBeGreaterThan(80);
    const silent: string[] = [];
    for (const c of listed) {
      const before = web?.syncReads ?? 0;
      await runCaseAsync(c, { backend: 'onnx-web', tolerance: onnxTolerance }).catch(() => undefined);
      if ((web?.syncReads ?? 0) === before) silent.push(c.id);
    }
    expect(silent).toEqual([]);
  });
});
