/**
 * Polls `probe` until it answers something other than undefined, and returns that; throws after
 * `timeoutMs`. Bounded on purpose: an unbounded poll that outlives its test (a timed-out test
 * does not stop its promise) keeps jest's process alive after the run, with no socket to show why.
 */
export async function pollUntil<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000, everyMs = 25): Promise<T> {
  const giveUp = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > giveUp) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
