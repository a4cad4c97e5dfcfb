/**
 * Nest's shutdown hooks close the app on SIGTERM/SIGINT; if closing hangs (a stuck connection),
 * exit anyway before the orchestrator's own kill deadline.
 */
export function exitIfShutdownHangs(timeoutMs: number): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => {
        process.stderr.write(`Shutdown did not finish within ${timeoutMs} ms; exiting.\n`);
        process.exit(1);
      }, timeoutMs).unref();
    });
  }
}
