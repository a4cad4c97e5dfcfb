import { randomFillSync } from 'node:crypto';

/** A parsed W3C trace context header: `00-<32 hex trace id>-<16 hex span id>-<2 hex flags>`. */
export interface Traceparent {
  version: string;
  traceId: string;
  spanId: string;
  flags: string;
}

const TRACEPARENT_PATTERN = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const SAMPLED = '01';

/** Returns undefined for anything that is not a valid traceparent (the spec says: then start a new trace). */
export function parseTraceparent(header: string | undefined | null): Traceparent | undefined {
  const match = TRACEPARENT_PATTERN.exec(header?.trim().toLowerCase() ?? '');
  if (!match) return undefined;
  const [, version, traceId, spanId, flags] = match;
  // All-zero ids and version ff are invalid per the spec.
  if (version === 'ff' || /^0+$/.test(traceId) || /^0+$/.test(spanId)) return undefined;
  return { version, traceId, spanId, flags };
}

export function formatTraceparent({ traceId, spanId, flags }: Omit<Traceparent, 'version'>): string {
  return `00-${traceId}-${spanId}-${flags}`;
}

/** Starts a new trace with a root span. */
export function newTraceparent(): string {
  return formatTraceparent({
    traceId: randomHex(16),
    spanId: randomHex(8),
    flags: SAMPLED,
  });
}

/** A new span in the same trace as `parent`; a new trace when `parent` is missing or invalid. */
export function childTraceparent(parent: string | undefined | null): string {
  const parsed = parseTraceparent(parent);
  return parsed ? formatTraceparent({ ...parsed, spanId: randomHex(8) }) : newTraceparent();
}

// Ids are cut from a pool refilled 4 KiB at a time: one getrandom call per ~170 spans instead
// of one per id (per-call randomBytes was 12% of the CPU of a request/reply round trip).
const pool = Buffer.alloc(4096);
let offset = pool.length;

function randomHex(bytes: number): string {
  if (offset + bytes > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const hex = pool.toString('hex', offset, offset + bytes);
  offset += bytes;
  return hex;
}
