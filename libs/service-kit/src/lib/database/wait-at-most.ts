/**
 * Waits for `work`, but no longer than `timeoutMs`: what ending a connection pool at shutdown
 * needs when the server may no longer answer. A rejection of `work` counts as done.
 */
export async function waitAtMost(work: Promise<unknown>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work.catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
  clearTimeout(timer);
}
