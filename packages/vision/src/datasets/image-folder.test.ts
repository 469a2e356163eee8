import '@proj/backend-cpu';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Image } from '../image.js';
import { encodeJpeg } from '../io/jpeg.js';
import { encodePng } from '../io/png.js';
import { ImageFolder } from './image-folder.js';

const solid = (v: number, mode: 'L' | 'RGB' = 'RGB') =>
  new Image(4, 3, mode, new Uint8Array(4 * 3 * (mode === 'L' ? 1 : 3)).fill(v));

describe('ImageFolder', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'folder-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  function tree(files: Record<string, Uint8Array | string>): string {
    const root = mkdtempSync(join(tmp, 'root-'));
    for (const [path, bytes] of Object.entries(files)) {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), bytes);
    }
    return root;
  }

  it('takes classes from the sorted folder names and images at any depth, in sorted order', () => {
    const root = tree({
      'dog/b.png': encodePng(solid(20)),
      'dog/a.JPG': encodeJpeg(solid(200), 100),
      'cat/deep/x.png': encodePng(solid(7, 'L')),
      'cat/readme.txt': 'not an image: skipped, as torchvision skips it',
      'bird/1.jpeg': encodeJpeg(solid(90), 100),
    });
    const ds = new ImageFolder(root);
    expect(ds.classes).toEqual(['bird', 'cat', 'dog']);
    expect(ds.classToIdx).toEqual({ bird: 0, cat: 1, dog: 2 });
    expect(ds.samples.map(([p, t]) => [p.slice(root.length + 1), t])).toEqual([
      ['bird/1.jpeg', 0],
      ['cat/deep/x.png', 1],
      ['dog/a.JPG', 2],
      ['dog/b.png', 2],
    ]);
    expect(ds.targets).toEqual([0, 1, 2, 2]);
    expect(ds.imgs).toBe(ds.samples);
    const [gray, t] = ds.getItem(1);
    // A grayscale PNG comes out RGB, as torchvision's loader converts it.
    expect([gray.mode, gray.width, gray.height, t]).toEqual(['RGB', 4, 3, 1]);
    expect(gray.data.every((v) => v === 7)).toBe(true);
    const [jpg] = ds.getItem(2);
    expect(jpg.data.every((v) => Math.abs(v - 200) <= 2)).toBe(true);
  });

  it('applies the transforms and a custom loader', () => {
    const root = tree({ 'a/1.png': encodePng(solid(5)), 'b/2.png': encodePng(solid(6)) });
    const ds = new ImageFolder(root, {
      loader: (p) => p.endsWith('2.png'),
      transform: (isTwo: boolean) => (isTwo ? 'two' : 'one'),
      targetTransform: (t) => t * 10,
    });
    expect([ds.getItem(0), ds.getItem(1)]).toEqual([
      ['one', 0],
      ['two', 10],
    ]);
  });

  it('refuses formats it cannot decode and damaged files, naming the file', () => {
    const bmp = tree({ 'a/ok.png': encodePng(solid(1)), 'a/pic.bmp': 'BM…' });
    expect(() => new ImageFolder(bmp)).toThrow(
      /ImageFolder: .*a\/pic.bmp is a .bmp file; only PNG and JPEG images can be decoded here/,
    );
    const broken = tree({ 'a/bad.png': encodePng(solid(1)).subarray(0, 30) });
    const ds = new ImageFolder(broken);
    expect(() => ds.getItem(0)).toThrow(/decodePng: .*a\/bad.png is not a readable PNG file/);
    const liar = tree({ 'a/text.jpg': 'hello' });
    expect(() => new ImageFolder(liar).getItem(0)).toThrow(
      /decodeImage: .*a\/text.jpg is neither PNG nor JPEG/,
    );
  });

  it('refuses a root without class folders and classes without images', () => {
    expect(() => new ImageFolder(tree({ 'x.png': encodePng(solid(1)) }))).toThrow(
      /couldn't find any class folder in/,
    );
    expect(() => new ImageFolder(tree({ 'a/x.png': encodePng(solid(1)), 'b/notes.txt': '' }))).toThrow(
      /found no valid file for the classes b in .*; supported extensions are: .jpg, .jpeg, .png/,
    );
    expect(() => new ImageFolder(join(tmp, 'missing'))).toThrow(/cannot read the folder .*missing/);
  });
});
