// How many compiled graphs (compile's sessions) are alive, process-wide: the 'onnx' backend
// reports it in memory() next to its own sessions, so a test or a user sees them too.

let live = 0;

/** A compiled graph's session was created (+1) or released (-1). */
export function countCompiledGraphs(delta: number): void {
  live += delta;
}

/** Compiled graphs alive now. */
export function compiledGraphs(): number {
  return live;
}
