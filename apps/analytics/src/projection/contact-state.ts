import type { LifecycleStage } from '@crm/contracts';

/** What the read model keeps of one contact (a row of contact_view). */
export interface ContactState {
  contactId: string;
  lifecycleStage: LifecycleStage | null;
  companyId: string | null;
  /** The highest entity version seen, applied or not. */
  version: number;
  deleted: boolean;
  deletedAt: Date | null;
  mergedIntoId: string | null;
  erased: boolean;
  erasedAt: Date | null;
}

/** One change an event makes to one contact. */
export type ContactChange =
  | { kind: 'state'; version: number; lifecycleStage: LifecycleStage; companyId: string | null }
  | { kind: 'deleted'; version: number; at: Date }
  | { kind: 'merged-away'; into: string; at: Date }
  /** `version` is absent when the erasure comes from the survivor this contact was merged into. */
  | { kind: 'erased'; version?: number; at: Date | null };

const blank = (contactId: string): ContactState => ({
  contactId,
  lifecycleStage: null,
  companyId: null,
  version: 0,
  deleted: false,
  deletedAt: null,
  mergedIntoId: null,
  erased: false,
  erasedAt: null,
});

const earliest = (a: Date | null, b: Date | null) => (a && b ? (a <= b ? a : b) : (a ?? b));

/**
 * The contact after `change`. Written so that the result does not depend on the order changes
 * arrive in (out-of-order delivery gives what in-order delivery gives, and a replay of the log
 * reproduces it): state follows the highest version; merged and erased are terminal, after
 * which later changes only raise the version; inactive contacts keep no stage or company.
 */
export function applyContactChange(current: ContactState | null, contactId: string, change: ContactChange): ContactState {
  const row = current ?? blank(contactId);
  const terminal = row.erased || row.mergedIntoId !== null;
  let next: ContactState;
  switch (change.kind) {
    case 'state':
    case 'deleted':
      if (terminal || change.version <= row.version) {
        next = { ...row, version: Math.max(row.version, change.version) };
      } else if (change.kind === 'state') {
        next = { ...row, version: change.version, lifecycleStage: change.lifecycleStage, companyId: change.companyId, deleted: false, deletedAt: null };
      } else {
        next = { ...row, version: change.version, deleted: true, deletedAt: change.at };
      }
      break;
    case 'merged-away':
      // The merge time replaces any earlier deletion time; later deletions do not change it.
      next = { ...row, mergedIntoId: change.into, deleted: true, deletedAt: change.at };
      break;
    case 'erased':
      next = { ...row, version: Math.max(row.version, change.version ?? 0), erased: true, erasedAt: earliest(row.erasedAt, change.at) };
      break;
  }
  return normalise(next);
}

/** Inactive rows carry no stage or company; erased rows no time but their erasure's. */
function normalise(row: ContactState): ContactState {
  if (row.erased) return { ...row, lifecycleStage: null, companyId: null, deleted: true, deletedAt: null };
  if (row.deleted) return { ...row, lifecycleStage: null, companyId: null };
  return row;
}

/** The stage a contact is counted under in the summary; null when it is not counted (inactive). */
export function countedStage(row: ContactState | null): LifecycleStage | null {
  return row && !row.deleted && !row.erased ? row.lifecycleStage : null;
}
