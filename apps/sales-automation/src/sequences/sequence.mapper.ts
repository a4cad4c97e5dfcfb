import type { Selectable } from 'kysely';
import type { Enrolment, Sequence, SequenceStep } from '@crm/contracts';
import type {
  Sequence as SequenceTable,
  SequenceEnrolment as EnrolmentTable,
  SequenceEnrolmentStep as StepTable,
  SequenceVersion as VersionTable,
} from '../generated/kysely/database';

export type SequenceRow = Selectable<SequenceTable>;
export type SequenceVersionRow = Selectable<VersionTable>;
export type EnrolmentRow = Selectable<EnrolmentTable>;
export type EnrolmentStepRow = Selectable<StepTable>;
/** A sequence with the definition of its current version. */
export type SequenceWithDefinition = SequenceRow & Pick<SequenceVersionRow, 'steps' | 'exit_on'>;

/** A definition version as the runner runs it (immutable once written). */
export interface SequenceDefinition {
  steps: SequenceStep[];
  exitOn: string[];
}

const iso = (value: Date | string): string => new Date(value).toISOString();

export function toSequence(row: SequenceWithDefinition): Sequence {
  return {
    id: row.id,
    name: row.name,
    enabled: row.enabled,
    timeZone: row.time_zone,
    exitOn: row.exit_on as Sequence['exitOn'],
    steps: row.steps as SequenceStep[],
    currentVersion: row.current_version,
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export function toEnrolment(row: EnrolmentRow): Enrolment {
  return {
    id: row.id,
    sequenceId: row.sequence_id,
    sequenceVersion: row.sequence_version,
    contactId: row.contact_id,
    status: row.status as Enrolment['status'],
    nextStep: row.next_step,
    nextStepAt: row.status === 'active' && row.due_at ? iso(row.due_at) : null,
    source: { kind: row.source_kind as Enrolment['source']['kind'], id: row.source_id },
    exitReason: row.exit_reason,
    enrolledAt: iso(row.enrolled_at),
    finishedAt: row.finished_at === null ? null : iso(row.finished_at),
    version: row.version,
  };
}

export function toEnrolmentStep(row: EnrolmentStepRow) {
  return {
    index: row.step_index,
    type: row.type,
    status: row.status as 'succeeded' | 'failed' | 'skipped',
    detail: row.detail as Record<string, unknown>,
    errorCode: row.error_code,
    at: iso(row.at),
  };
}
