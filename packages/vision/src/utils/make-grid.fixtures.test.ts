// makeGrid and saveImage's bytes against torchvision's make_grid and save_image (tools/fixtures/vision.py).
import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { cases, expectNoLeak, expectTensorClose, fromFixture } from '../test-support/fixtures.js';
import { makeGrid } from './make-grid.js';
import { gridToImage } from './save-image.js';

describe("makeGrid matches torchvision's make_grid", () => {
  for (const c of cases('make_grid')) {
    it(c.name, () => {
      expectNoLeak(() => {
        const x = fromFixture(c.input);
        const grid = makeGrid(x, c.args);
        expectTensorClose(grid, c.output, 1e-6);
        // save_image: grid.mul(255).add_(0.5).clamp_(0, 255) as bytes, HWC.
        const img = gridToImage(grid);
        expect([img.height, img.width, img.channels]).toEqual(c.bytes.shape);
        expect(Array.from(img.data)).toEqual(c.bytes.data);
        grid.dispose();
        x.dispose();
      });
    });
  }
});
