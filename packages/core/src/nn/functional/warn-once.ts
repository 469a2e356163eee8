// Python's warnings.warn under its default filter shows a message once (per call site); the nn
// functions that PyTorch warns from (deprecated input shapes, unused arguments) do the same here.

const shown = new Set<string>();

/** Writes `message` with console.warn the first time it is given, then never again. */
export function warnOnce(message: string): void {
  if (shown.has(message)) return;
  shown.add(message);
  console.warn(message);
}
