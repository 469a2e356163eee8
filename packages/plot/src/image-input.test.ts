import { memory, tensor, zeros } from '@proj/core';
import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { toPixels } from './image-input.js';

describe('toPixels', () => {
  it('reads [N, 1, H, W] and [N, 3, H, W] tensors, float as 0..1 clamped, uint8 as 0..255', async () => {
    const before = memory().numTensors;
    const gray = tensor([
      [
        [
          [0, 0.5],
          [1, 2],
        ],
      ],
      [
        [
          [-1, 0.25],
          [0.75, 1],
        ],
      ],
    ]); // [2, 1, 2, 2]
    const g = await toPixels('op', gray);
    expect(g).toMatchObject({ width: 2, height: 2, channels: 1 });
    expect([...g.images[0]]).toEqual([0, 128, 255, 255]); // torchvision: x * 255 + 0.5, clamped
    expect([...g.images[1]]).toEqual([0, 64, 191, 255]);
    // RGB: channels interleaved per pixel.
    const rgb = tensor([[[[1, 0]], [[0, 1]], [[0, 0]]]]); // [1, 3, 1, 2]
    expect([...(await toPixels('op', rgb)).images[0]]).toEqual([255, 0, 0, 0, 255, 0]);
    const u8 = tensor([[10, 200]], { dtype: 'uint8' });
    expect([...(await toPixels('op', u8)).images[0]]).toEqual([10, 200]);
    for (const t of [gray, rgb, u8]) t.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('takes arrays of tensors and nested numbers', async () => {
    const a = tensor([[0, 1]]);
    const p = await toPixels('op', [a, [[1, 0]], [[[0.5, 0.5]]]]);
    a.dispose();
    expect(p.images.map((x) => [...x])).toEqual([
      [0, 255],
      [255, 0],
      [128, 128],
    ]);
  });

  it("normalises as torchvision's make_grid: batch range, each image's, or a given range", async () => {
    const imgs = [[[0, 2]], [[4, 8]]];
    expect((await toPixels('op', imgs, { normalize: true })).images.map((x) => [...x])).toEqual([
      [0, 64],
      [128, 255],
    ]);
    expect(
      (await toPixels('op', imgs, { normalize: true, scaleEach: true })).images.map((x) => [...x]),
    ).toEqual([
      [0, 255],
      [0, 255],
    ]);
    expect(
      (await toPixels('op', imgs, { normalize: true, valueRange: [0, 4] })).images.map((x) => [...x]),
    ).toEqual([
      [0, 128],
      [255, 255],
    ]);
  });

  it('refuses shapes, sizes and values it cannot draw, naming the op', async () => {
    const batch = zeros(16, 28, 28); // MNIST-like [N, H, W]: 3-D is one [C, H, W] image
    await expect(toPixels('imageGridSvg', batch)).rejects.toThrow(
      'imageGridSvg: images need 1 (gray) or 3 (RGB) channels, got shape [16, 28, 28] as [C, H, W] (a 3-D tensor is one [C, H, W] image, as in torchvision; a batch of grayscale images is x.unsqueeze(1))',
    );
    batch.dispose();
    await expect(toPixels('op', [])).rejects.toThrow('op: no images given');
    await expect(toPixels('op', [[[0, 1]], [[0, 1, 2]]])).rejects.toThrow(
      'op: all images must have one size; image 0 is [1, 1, 2], image 1 [1, 1, 3] (as [C, H, W])',
    );
    await expect(toPixels('op', [[[0, Number.NaN]]])).rejects.toThrow(
      'op: image 0 holds NaN (at flat index 1)',
    );
    await expect(toPixels('op', [[[0, 1], [2]]])).rejects.toThrow('op: image 0 is ragged');
    await expect(toPixels('op', [[[0, 1]]], { normalize: true, valueRange: [1, 1] })).rejects.toThrow(
      'op: valueRange must be [low, high] with low < high, got [1, 1]',
    );
  });
});
