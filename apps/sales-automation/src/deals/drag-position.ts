import { generateKeyBetween } from 'jittered-fractional-indexing';

/**
 * A deal's drag-order key that sorts between `low` and `high` (null: an open end), picked at
 * random within that gap (30 bits of jitter). Two moves or creates that land in the same gap at
 * the same moment get different keys without taking a lock on the stage: a per-stage lock
 * serialised every move into a stage and held moves to ~200/s here. Ties, which the jitter
 * makes vanishingly rare, still sort deterministically by (position, id).
 */
export function positionBetween(low: string | null, high: string | null): string {
  return generateKeyBetween(low, high);
}
