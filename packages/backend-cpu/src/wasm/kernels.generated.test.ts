import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generatedSource } from '../../scripts/wasm/generated-source.js';

describe('kernels.generated.ts', () => {
  it('is what scripts/build-wasm.ts builds from the WAT sources (rerun it after editing them)', async () => {
    const committed = readFileSync(new URL('./kernels.generated.ts', import.meta.url), 'utf8');
    expect(committed === (await generatedSource())).toBe(true);
  });
});
