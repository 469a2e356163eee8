// torchvision.datasets.ImageFolder: root/<class>/<…>/<image>, classes from the sorted folder names.
import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Image } from '../image.js';
import { readImage } from '../io/read-image.js';
import { VisionDataset, type VisionDatasetOptions } from './vision-dataset.js';

/** torchvision's `IMG_EXTENSIONS`: the files ImageFolder takes (others are skipped). */
export const IMG_EXTENSIONS = [
  '.jpg',
  '.jpeg',
  '.png',
  '.ppm',
  '.bmp',
  '.pgm',
  '.tif',
  '.tiff',
  '.webp',
] as const;
/** The extensions the default loader decodes (PNG via pngjs, JPEG via jpeg-js). */
export const DECODABLE_EXTENSIONS = ['.jpg', '.jpeg', '.png'] as const;

/** torchvision's `ImageFolder(root, transform, target_transform, loader, is_valid_file)` keywords. */
export interface ImageFolderOptions<In, X, Y> extends VisionDatasetOptions<In, X, Y> {
  /**
   * Reads one file (default: {@link readImage}, an RGB {@link Image} from PNG or JPEG). With a
   * custom loader every extension of {@link IMG_EXTENSIONS} is taken.
   */
  loader?: (path: string) => In;
  /** Decides which files are samples, instead of the extension check. */
  isValidFile?: (path: string) => boolean;
}

/**
 * torchvision's `find_classes`: the sorted names of the folders in `dir`, and name → index.
 *
 * @throws Error if `dir` cannot be read or holds no folder.
 */
export function findClasses(dir: string): [string[], Record<string, number>] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (e) {
    throw new Error(`ImageFolder: cannot read the folder ${dir}: ${(e as Error).message}`);
  }
  const classes = entries.filter((name) => statSync(join(dir, name)).isDirectory()).sort();
  if (classes.length === 0) throw new Error(`ImageFolder: couldn't find any class folder in ${dir}`);
  return [classes, Object.fromEntries(classes.map((c, i) => [c, i]))];
}

/** Every file under `dir`, depth first, folders and files in sorted order (os.walk with sorted names, following links). */
function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...walk(path));
    else out.push(path);
  }
  return out;
}

/**
 * torchvision's ImageFolder: each folder of `root` is a class (sorted by name: `classes`,
 * `classToIdx`) and every image file under it (at any depth, in sorted order) a sample of
 * that class (`samples`: [path, class index], `targets`). Files without an image extension
 * are skipped as torchvision skips them; image formats other than PNG and JPEG are refused at
 * construction, naming the file (unless a custom `loader` reads them), and a damaged file is
 * an error naming it when it is read. Images come out RGB, as torchvision's loader converts
 * them.
 *
 * ```ts
 * // data/train/cat/001.png, data/train/dog/001.jpg, …
 * const ds = new datasets.ImageFolder('data/train', { transform: transforms.ToTensor() });
 * ds.classes; // ['cat', 'dog']
 * ```
 */
export class ImageFolder<X = Image, Y = number, In = Image> extends VisionDataset<In, X, Y> {
  /** The folder given. */
  readonly root: string;
  /** The class names (folder names, sorted). */
  readonly classes: string[];
  /** Class name → index. */
  readonly classToIdx: Record<string, number>;
  /** `[path, class index]` of every sample. */
  readonly samples: [string, number][];
  /** The class index of every sample. */
  readonly targets: number[];
  /** Reads one sample's file. */
  readonly loader: (path: string) => In;

  /**
   * Lists the samples at once; images are read when their item is.
   *
   * @throws Error if `root` cannot be read or has no class folder, a class folder has no
   * valid file, or (with the default loader) a sample is neither PNG nor JPEG.
   */
  constructor(root: string, opts: ImageFolderOptions<In, X, Y> = {}) {
    super(opts);
    if (typeof root !== 'string')
      throw new Error(`ImageFolder: root must be a folder path, got ${typeof root}`);
    this.root = root;
    this.loader = opts.loader ?? (readImage as unknown as (path: string) => In);
    [this.classes, this.classToIdx] = findClasses(root);
    const isImage = (p: string) => (IMG_EXTENSIONS as readonly string[]).includes(extname(p).toLowerCase());
    const isValid = opts.isValidFile ?? isImage;
    this.samples = [];
    const empty: string[] = [];
    for (const c of this.classes) {
      const before = this.samples.length;
      for (const path of walk(join(root, c))) {
        if (!isValid(path)) continue;
        const ext = extname(path).toLowerCase();
        if (!opts.loader && !(DECODABLE_EXTENSIONS as readonly string[]).includes(ext)) {
          throw new Error(
            `ImageFolder: ${path} is a ${ext || 'extension-less'} file; only PNG and JPEG images can be decoded here (pass a loader for other formats)`,
          );
        }
        this.samples.push([path, this.classToIdx[c]]);
      }
      if (this.samples.length === before) empty.push(c);
    }
    if (empty.length > 0) {
      const ext = opts.isValidFile ? '' : `; supported extensions are: ${IMG_EXTENSIONS.join(', ')}`;
      throw new Error(
        `ImageFolder: found no valid file for the classes ${empty.join(', ')} in ${root}${ext}`,
      );
    }
    this.targets = this.samples.map(([, t]) => t);
  }

  /** torchvision's `imgs`: the same as {@link samples}. */
  get imgs(): [string, number][] {
    return this.samples;
  }

  get length(): number {
    return this.samples.length;
  }

  protected rawImage(i: number): In {
    return this.loader(this.samples[i][0]);
  }

  protected rawTarget(i: number): number {
    return this.samples[i][1];
  }
}
