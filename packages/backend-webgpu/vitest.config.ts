import { defineConfig } from 'vitest/config';
import { setupFiles, sourceAliases } from '../../vitest.shared.js';

// Without a GPU, Dawn runs on SwiftShader (Debian's chromium package ships its Vulkan ICD).
const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';

export default defineConfig({
  resolve: { alias: sourceAliases },
  test: {
    include: ['src/**/*.test.ts'],
    setupFiles,
    testTimeout: 120_000,
    env: { VK_ICD_FILENAMES: process.env.VK_ICD_FILENAMES ?? SWIFTSHADER },
  },
});
