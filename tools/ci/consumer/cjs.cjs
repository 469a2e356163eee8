// Consumer check (CommonJS): require() of the ESM-only packages (Node >= 20.19 requires ESM).
const { tensor } = require('@proj/core');
require('@proj/backend-cpu');

const a = tensor([
  [1, 2],
  [3, 4],
]);
const sum = a.matmul(a).sum().item();
if (sum !== 54) throw new Error(`cjs: expected 54, got ${sum}`);
console.log(
  `require('@proj/core') + require('@proj/backend-cpu') on Node ${process.versions.node}: sum([[1,2],[3,4]]^2) = ${sum}`,
);
