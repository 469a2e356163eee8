import { describe, expect, it } from 'vitest';
import { isMissingPackage, isNode, missingPeerError, nodeBuiltin, packageRequire } from './node-builtins.js';

describe('node-builtins', () => {
  it("gives Node's built-in modules without an import statement", () => {
    expect(isNode).toBe(true);
    expect(typeof nodeBuiltin('node:module', 'test').createRequire).toBe('function');
    expect(typeof packageRequire('test').resolve('onnx-proto')).toBe('string');
  });

  it('tells a missing package from other load failures', () => {
    const require = packageRequire('test');
    let missing: unknown;
    try {
      require('onnxruntime-node-not-installed');
    } catch (e) {
      missing = e;
    }
    expect(isMissingPackage(missing, 'onnxruntime-node-not-installed')).toBe(true);
    expect(isMissingPackage(missing, 'onnx-proto')).toBe(false);
    expect(isMissingPackage(new Error("Cannot find module 'onnxruntime-node'"), 'onnxruntime-node')).toBe(
      false,
    );
  });

  it('names the package to install and the command', () => {
    const e = missingPeerError('onnxruntime-node', "the 'onnx' backend");
    expect(e.message).toContain("the 'onnx' backend needs the package 'onnxruntime-node'");
    expect(e.message).toContain('npm install onnxruntime-node@^1.30.0');
    expect(e.message).toContain('ONNXRUNTIME_NODE_INSTALL=skip');
    expect((e as { missingPeer?: string }).missingPeer).toBe('onnxruntime-node');
  });
});
