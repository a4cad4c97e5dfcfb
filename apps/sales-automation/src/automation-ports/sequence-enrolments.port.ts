/**
 * How rules and campaigns start and stop sequences without knowing the sequences module's
 * insides: they depend on this abstract class, the sequences module provides it.
 */

export interface EnrolRequest {
  tenantId: string;
  sequenceId: string;
  contactId: string;
  /** Who enrolled: a user (manual), a rule run or a campaign. */
  source: { kind: 'manual' | 'rule' | 'campaign'; id: string };
  /** Records the sequence's templates may read (the order that triggered it, a deal). */
  context?: { dealId?: string; orderId?: string };
}

export type EnrolOutcome = { status: 'enrolled'; enrolmentId: string } | { status: 'already-enrolled'; enrolmentId: string };

export abstract class SequenceEnrolments {
  /** One active enrolment per contact and sequence: a second enrol answers the first. Throws a domain error for an unknown or inactive sequence. */
  abstract enrol(request: EnrolRequest): Promise<EnrolOutcome>;

  /** Ends the contact's active enrolments (in one sequence, or in all); how many ended. */
  abstract stop(request: { tenantId: string; contactId: string; sequenceId?: string; reason: string }): Promise<number>;
}
