// The drawing canvas: white ink on black, as MNIST's digits are, read back as grayscale.

/** A square canvas to draw a digit on with a mouse, pen or finger. */
export class DrawPad {
  readonly ctx: CanvasRenderingContext2D;
  private drawing = false;
  private inked = false;

  constructor(
    readonly canvas: HTMLCanvasElement,
    /** Called when a stroke ends. */
    private readonly onStroke: () => void = () => {},
  ) {
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('DrawPad: the canvas gives no 2d context');
    this.ctx = ctx;
    this.clear();
    canvas.addEventListener('pointerdown', (e) => this.start(e));
    canvas.addEventListener('pointermove', (e) => this.move(e));
    for (const ev of ['pointerup', 'pointercancel', 'pointerleave'] as const) {
      canvas.addEventListener(ev, () => this.end());
    }
  }

  /** True once something was drawn or painted since the last clear. */
  get hasInk(): boolean {
    return this.inked;
  }

  clear(): void {
    this.ctx.fillStyle = '#000';
    this.ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    this.inked = false;
  }

  private at(e: PointerEvent): [number, number] {
    const r = this.canvas.getBoundingClientRect();
    return [
      ((e.clientX - r.left) * this.canvas.width) / r.width,
      ((e.clientY - r.top) * this.canvas.height) / r.height,
    ];
  }

  private start(e: PointerEvent): void {
    this.drawing = true;
    this.canvas.setPointerCapture?.(e.pointerId);
    const [x, y] = this.at(e);
    this.ctx.beginPath();
    this.ctx.moveTo(x, y);
    this.ctx.lineTo(x + 0.01, y);
    this.stroke();
  }

  private move(e: PointerEvent): void {
    if (!this.drawing) return;
    const [x, y] = this.at(e);
    this.ctx.lineTo(x, y);
    this.stroke();
  }

  private stroke(): void {
    // MNIST strokes are ~2-3 px of 28 after scaling a ~20 px digit: ~1/12 of the digit's height
    this.ctx.strokeStyle = '#fff';
    this.ctx.lineWidth = this.canvas.width / 14;
    this.ctx.lineCap = 'round';
    this.ctx.lineJoin = 'round';
    this.ctx.stroke();
    this.inked = true;
  }

  private end(): void {
    if (!this.drawing) return;
    this.drawing = false;
    this.onStroke();
  }

  /** Paints a 28 x 28 image (bytes, 255 = ink) over the whole canvas, one block per pixel. */
  paintImage(pixels: Uint8Array, side = 28): void {
    const img = new ImageData(side, side);
    for (let i = 0; i < side * side; i++) {
      img.data.set([pixels[i], pixels[i], pixels[i], 255], 4 * i);
    }
    const tmp = document.createElement('canvas');
    tmp.width = side;
    tmp.height = side;
    tmp.getContext('2d')?.putImageData(img, 0, 0);
    this.ctx.imageSmoothingEnabled = false;
    this.ctx.drawImage(tmp, 0, 0, this.canvas.width, this.canvas.height);
    this.inked = pixels.some((p) => p > 0);
  }

  /** The canvas as grayscale in [0, 1] (the red channel: ink is white). */
  grayscale(): { gray: Float32Array; width: number; height: number } {
    const { width, height } = this.canvas;
    const rgba = this.ctx.getImageData(0, 0, width, height).data;
    const gray = new Float32Array(width * height);
    for (let i = 0; i < gray.length; i++) gray[i] = rgba[4 * i] / 255;
    return { gray, width, height };
  }
}
