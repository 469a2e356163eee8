import { afterEach, describe, expect, it, vi } from 'vitest';
import { train } from '../index.js';
import { nextFrame } from './next-frame.js';

/** A minimal page: requestAnimationFrame that runs when told, and a document with visibility events. */
function fakePage(hidden = false) {
  const frames: (() => void)[] = [];
  const listeners = new Set<() => void>();
  const document = {
    hidden,
    addEventListener: (type: string, cb: () => void) => {
      if (type === 'visibilitychange') listeners.add(cb);
    },
    removeEventListener: (type: string, cb: () => void) => {
      if (type === 'visibilitychange') listeners.delete(cb);
    },
  };
  vi.stubGlobal('document', document);
  vi.stubGlobal('requestAnimationFrame', (cb: () => void) => frames.push(cb));
  return {
    frames,
    listeners,
    paint: () => {
      for (const f of frames.splice(0)) f();
    },
    setHidden: (h: boolean) => {
      document.hidden = h;
      for (const l of [...listeners]) l();
    },
  };
}

/** Resolves `p` or reports that it is still pending after the event loop had a few turns. */
async function settled(p: Promise<void>): Promise<boolean> {
  let done = false;
  void p.then(() => {
    done = true;
  });
  for (let i = 0; i < 3; i++) await new Promise((r) => setTimeout(r, 0));
  return done;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('train.nextFrame', () => {
  it('is exported as train.nextFrame', () => {
    expect(train.nextFrame).toBe(nextFrame);
  });

  it('in Node resolves after the immediates queued before it (setImmediate, a macrotask)', async () => {
    const order: string[] = [];
    setImmediate(() => order.push('immediate'));
    void Promise.resolve().then(() => order.push('microtask'));
    await nextFrame();
    order.push('frame');
    expect(order).toEqual(['microtask', 'immediate', 'frame']);
  });

  it('in a visible page waits for the next animation frame', async () => {
    const page = fakePage();
    const p = nextFrame();
    expect(page.frames).toHaveLength(1);
    expect(await settled(p)).toBe(false); // no frame painted yet
    page.paint();
    expect(await settled(p)).toBe(true);
    expect(page.listeners.size).toBe(0); // the visibility listener is removed
  });

  it('a page hidden while waiting (no more frames) ends the wait', async () => {
    const page = fakePage();
    const p = nextFrame();
    page.setHidden(true);
    expect(await settled(p)).toBe(true);
    page.paint(); // a late frame does nothing more
    expect(page.listeners.size).toBe(0);
  });

  it('a hidden page does not wait for a frame it will not get', async () => {
    const page = fakePage(true);
    const p = nextFrame();
    expect(page.frames).toHaveLength(0);
    expect(await settled(p)).toBe(true);
  });
});
