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
  /** When the change behind the current state happened: orders a merge against a restore. */
  changedAt: Date | null;
  mergedIntoId: string | null;
  erased: boolean;
  erasedAt: Date | null;
}

/** One change an event makes to one contact. */
export type ContactChange =
  | { kind: 'state'; version: number; lifecycleStage: LifecycleStage; companyId: string | null; at: Date }
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
  changedAt: null,
  mergedIntoId: null,
  erased: false,
  erasedAt: null,
});

const earliest = (a: Date | null, b: Date | null) => (a && b ? (a <= b ? a : b) : (a ?? b));

/**
 * The contact after `change`. Written so that the result does not depend on the order changes
 * arrive in (out-of-order delivery gives what in-order delivery gives, and a replay of the log
 * reproduces it): state follows the highest version; erased is terminal, after which later
 * changes only raise the version; inactive contacts keep no stage or company.
 *
 * A merged-away contact is deleted, but the contacts service lets it be restored. The merge
 * carries no version of the merged contact, so merge and restore are ordered by when they
 * happened: a restore after the merge brings it back, a merge older than its current state
 * changes nothing.
 */
export function applyContactChange(current: ContactState | null, contactId: string, change: ContactChange): ContactState {
  const row = current ?? blank(contactId);
  const merged = row.mergedIntoId !== null;
  let next: ContactState;
  switch (change.kind) {
    case 'state':
    case 'deleted': {
      const newer = change.version > row.version;
      const revives = change.kind === 'state' && merged && row.deletedAt !== null && change.at > row.deletedAt;
      if (row.erased || !newer || (merged && !revives)) {
        next = { ...row, version: Math.max(row.version, change.version) };
      } else if (change.kind === 'state') {
        next = {
          ...row,
          version: change.version,
          lifecycleStage: change.lifecycleStage,
          companyId: change.companyId,
          deleted: false,
          deletedAt: null,
          changedAt: change.at,
          mergedIntoId: null,
        };
      } else {
        next = { ...row, version: change.version, deleted: true, deletedAt: change.at, changedAt: change.at };
      }
      break;
    }
    case 'merged-away':
      if (!row.erased && !merged && row.changedAt !== null && row.changedAt > change.at) next = row;
      // The merge time replaces any earlier deletion time.
      else next = { ...row, mergedIntoId: change.into, deleted: true, deletedAt: change.at, changedAt: change.at };
      break;
    case 'erased':
      next = { ...row, version: Math.max(row.version, change.version ?? 0), erased: true, erasedAt: earliest(row.erasedAt, change.at) };
      break;
  }
  return normalise(next);
}

/** Inactive rows carry no stage or company; erased rows no time but their erasure's. */
function normalise(row: ContactState): ContactState {
  if (row.erased) return { ...row, lifecycleStage: null, companyId: null, deleted: true, deletedAt: null, changedAt: null };
  if (row.deleted) return { ...row, lifecycleStage: null, companyId: null };
  return row;
}

/** The stage a contact is counted under in the summary; null when it is not counted (inactive). */
export function countedStage(row: ContactState | null): LifecycleStage | null {
  return row && !row.deleted && !row.erased ? row.lifecycleStage : null;
}
