// Progress of long computations on stderr (stdout stays the command's result, e.g. one JSON object).

/**
 * A progress callback for `what`: it prints "what: 42.0 % (12 s)" to stderr at most every 2 s, and
 * nothing for work that ends within the first 2 s.
 */
export function stderrProgress(what: string): (done: number, total: number) => void {
  const t0 = performance.now();
  let last = t0;
  return (done, total) => {
    const now = performance.now();
    if (now - last < 2000) return;
    last = now;
    console.error(`${what}: ${((100 * done) / total).toFixed(1)} % (${((now - t0) / 1000).toFixed(0)} s)`);
  };
}
