import { inflateSync } from 'node:zlib';
import { tensor } from '@proj/core';
import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { datasets, models, transforms, utils } from './index.js';
import { encodePng } from './png.js';

describe('torchvision stand-in', () => {
  it('MNIST: uint8 images [28, 28] and labels, as torchvision gives them to transforms', () => {
    const ds = new datasets.MNIST('../data', { train: false });
    expect(ds.length).toBe(10_000);
    expect(ds.data.shape).toEqual([10_000, 28, 28]);
    expect(ds.targets.dtype).toBe('int64');
    const [img, label] = ds.getItem(0);
    expect(img.dtype).toBe('uint8');
    expect(label).toBe(7); // the first test digit
  });

  it('ToTensor scales to [0, 1] as [C, H, W]; Normalize subtracts and divides per channel', () => {
    const img = tensor(new Uint8Array([0, 51, 102, 255])).reshape(2, 2);
    const t = transforms.ToTensor()(img);
    expect(t.shape).toEqual([1, 2, 2]);
    expect(t.toArray()).toEqual([[[0, 0.2].map(Math.fround), [0.4, 1].map(Math.fround)]]);
    const n = transforms.Normalize([0.5], [0.25])(t);
    expect((n.flatten().toArray() as number[]).map((v) => Number(v.toFixed(5)))).toEqual([-2, -1.2, -0.4, 2]);
    expect(() => transforms.ToTensor()(t)).toThrow(/expected a uint8 image/);
  });

  it('Resize enlarges with bilinear interpolation (the smaller edge) and refuses to shrink', () => {
    const img = tensor(new Uint8Array([0, 255, 255, 0])).reshape(2, 2);
    const big = transforms.Resize(4)(img);
    expect(big.dtype).toBe('uint8');
    expect(big.shape).toEqual([4, 4]);
    // F.interpolate(bilinear, align_corners=False) and PIL's Image.resize(BILINEAR) both give this.
    expect(big.toArray()).toEqual([
      [0, 64, 191, 255],
      [64, 96, 159, 191],
      [191, 159, 96, 64],
      [255, 191, 64, 0],
    ]);
    expect(() => transforms.Resize(1)(img)).toThrow(/anti-aliasing/);
  });

  it("makeGrid lays images out as torchvision's make_grid (padding 2, 8 per row)", () => {
    const imgs = tensor(new Float32Array(10 * 3 * 3).fill(1)).reshape(10, 1, 3, 3);
    const g = utils.makeGrid(imgs);
    expect([g.height, g.width]).toEqual([2 * 5 + 2, 8 * 5 + 2]);
    expect(g.values[0]).toBe(0); // padding
    expect(g.values[2 * g.width + 2]).toBe(1); // first pixel of the first image
  });

  it('writes a PNG whose pixels inflate back', () => {
    const rgb = Uint8Array.from({ length: 2 * 3 * 3 }, (_, i) => i * 10);
    const png = encodePng(rgb, 3, 2);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const idatAt = png.indexOf('IDAT');
    const len = png.readUInt32BE(idatAt - 4);
    const raw = inflateSync(png.subarray(idatAt + 4, idatAt + 4 + len));
    expect([...raw]).toEqual([0, ...rgb.subarray(0, 9), 0, ...rgb.subarray(9)]);
  });

  it("resnet18 has torchvision's 11,689,512 parameters and layer names", () => {
    const m = models.resnet18();
    expect(m.parameters().reduce((n, p) => n + p.numel(), 0)).toBe(11_689_512);
    expect(Object.keys(m.stateDict())).toContain('layer2.0.downsample.1.running_var');
    expect(m.children()).toHaveLength(10);
  });
});
