// The optimizer's JS state (step counts, which state tensors exist) as it was before a compiled
// call: restored when the call fails or when a replay took a path no graph was traced for, so
// that a step is never counted twice or half.
import type { optim, Tensor } from '@proj/core';

/** A snapshot of `opt.state`; `restore()` puts the records back and frees state made since. */
export function snapshotOptimizer(opt: optim.Optimizer<any>): { restore(): void } {
  const saved = new Map<Tensor, Record<string, unknown>>();
  for (const [p, s] of opt.state) saved.set(p, { ...s });
  return {
    restore() {
      for (const [p, s] of [...opt.state]) {
        const before = saved.get(p);
        for (const [k, v] of Object.entries(s)) {
          if (typeof v === 'object' && before?.[k] !== v && !v.isDisposed) v.dispose();
        }
        if (before) opt.state.set(p, { ...(before as typeof s) });
        else opt.state.delete(p);
      }
    },
  };
}
