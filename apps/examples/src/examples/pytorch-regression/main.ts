// PyTorch's examples/regression/main.py, ported line by line: fit y = W·[x, x², x³, x⁴] + b
// (random W and b) with one Linear layer, smooth-L1 loss and hand-written gradient steps
// (`param.data.add_(-0.1 * param.grad)`), until a batch's loss falls below 1e-3.
// The original runs at import time and is not seeded; here it runs in main(), and `--seed`
// (ours) makes a run repeatable.
import { cat, manualSeed, nn, randn, type Tensor, tidy } from '@proj/core';
import '@proj/backend-cpu';
import { ArgumentParser } from '../../pytorch/argparse.js';
import { enumerate, type RunOptions, range } from '../../pytorch/builtins.js';

const F = nn.functional;

const POLY_DEGREE = 4;

/** Python's `'{:+.2f}'.format(v)`. */
const signed = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(2)}`;

/** Python's `itertools.count(start)`. */
function* count(start = 0): Generator<number> {
  for (let i = start; ; i++) yield i;
}

/** What the run shows. */
export interface RegressionResult {
  /** The last batch's loss (below 1e-3) and how many batches it took. */
  loss: number;
  batches: number;
  /** Learned and true coefficients of x, x², x³, x⁴, then the bias. */
  learned: number[];
  actual: number[];
  /** Seconds the fit took. */
  seconds: number;
}

export function main(argv: readonly string[] = []): RegressionResult {
  const parser = new ArgumentParser({ description: 'PyTorch regression example' });
  parser.addArgument('--seed', { type: 'int', help: 'ours: seed the generator (the original is unseeded)' });
  const args = parser.parseArgs<{ seed: number | null }>(argv);
  if (args.seed !== null) manualSeed(args.seed);

  const W_target = randn(POLY_DEGREE, 1).mul(5);
  const b_target = randn(1).mul(5);

  /** Builds features i.e. a matrix with columns [x, x^2, x^3, x^4]. */
  function makeFeatures(x: Tensor): Tensor {
    x = x.unsqueeze(1);
    return cat(
      range(1, POLY_DEGREE + 1).map((i) => x.pow(i)),
      1,
    );
  }

  /** Approximated function. */
  function f(x: Tensor): Tensor {
    return x.mm(W_target).add(b_target.item());
  }

  /** Creates a string description of a polynomial. */
  function polyDesc(W: Tensor, b: Tensor): string {
    let result = 'y = ';
    for (const [i, w] of enumerate(W.toArray() as number[])) result += `${signed(w)} x^${i + 1} `;
    result += signed((b.toArray() as number[])[0]);
    return result;
  }

  /** Builds a batch i.e. (x, f(x)) pair. */
  function getBatch(batchSize = 32): [Tensor, Tensor] {
    const random = randn(batchSize);
    const x = makeFeatures(random);
    const y = f(x);
    return [x, y];
  }

  // Define model
  const fc = new nn.Linear(W_target.size(0), 1);

  const t0 = performance.now();
  let loss = Number.NaN;
  let batchIdx = 0;
  for (batchIdx of count(1)) {
    loss = tidy(() => {
      // Get data
      const [batch_x, batch_y] = getBatch();

      // Reset gradients
      fc.zeroGrad();

      // Forward pass
      const output = F.smoothL1Loss(fc.forward(batch_x), batch_y);
      const loss = output.item();

      // Backward pass
      output.backward();

      // Apply gradients
      // param.data: PyTorch's untracked alias of the tensor is detach() here (Tensor.data reads the values)
      for (const param of fc.parameters()) param.detach().add_(param.grad!.mul(-0.1));

      return loss;
    });

    // Stop criterion
    if (loss < 1e-3) break;
  }
  const seconds = (performance.now() - t0) / 1000;

  console.log(`Loss: ${loss.toFixed(6)} after ${batchIdx} batches`);
  console.log(`==> Learned function:\t${polyDesc(fc.weight.view(-1), fc.bias!)}`);
  console.log(`==> Actual function:\t${polyDesc(W_target.view(-1), b_target)}`);
  return {
    loss,
    batches: batchIdx,
    learned: [...(fc.weight.view(-1).toArray() as number[]), (fc.bias!.toArray() as number[])[0]],
    actual: [...(W_target.view(-1).toArray() as number[]), (b_target.toArray() as number[])[0]],
    seconds,
  };
}

export async function run(opts: RunOptions): Promise<RegressionResult> {
  return main([...(opts.fast ? ['--seed', '1'] : []), ...(opts.argv ?? [])]);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/')))
  main(process.argv.slice(2));
