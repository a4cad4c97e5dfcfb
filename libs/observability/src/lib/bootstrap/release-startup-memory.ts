/** V8's gc(), present when node runs with --expose-gc (the Dockerfile's NODE_OPTIONS). */
export type ExposedGc = (options?: { type?: 'minor' | 'major'; flavor?: 'regular' | 'last-resort'; execution?: 'sync' | 'async' }) => void;

/**
 * Hands back to the OS the pages that start-up garbage left in V8's heap: one memory-reducing
 * full collection once the service is up. Building the module graph, the contracts' schemas and
 * node-redis's command table (a prototype of ~1,000 methods added one at a time) allocates tens
 * of MB that die at once; V8 keeps their pages pooled for reuse, and with nothing allocating
 * afterwards its memory reducer never ran (an idle gateway held ~20 MiB of them:
 * bench/results/idle-rss.md). A no-op where gc is not exposed (tests, runs from source).
 */
export function releaseStartupMemory(gc = (globalThis as { gc?: ExposedGc }).gc): boolean {
  if (typeof gc !== 'function') return false;
  gc({ type: 'major', flavor: 'last-resort', execution: 'sync' });
  return true;
}
