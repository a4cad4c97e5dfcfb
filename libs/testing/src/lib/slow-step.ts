/**
 * Runs one step of a test's tear-down and says on stderr if it is still running after `afterMs`.
 * A tear-down that hangs fails its test file at jest's hook timeout, whose message names the hook,
 * not the step (closing the app, dropping the database, cleaning the bus).
 */
export async function warnIfSlow<T>(step: string, run: () => Promise<T>, afterMs = 15_000): Promise<T> {
  const timer = setTimeout(() => process.stderr.write(`@crm/testing: ${step} is still running after ${afterMs} ms\n`), afterMs);
  timer.unref();
  try {
    return await run();
  } finally {
    clearTimeout(timer);
  }
}
