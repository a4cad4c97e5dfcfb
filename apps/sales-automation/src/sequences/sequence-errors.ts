import { DomainError } from '@crm/contracts';

export { validationFailed, checkVersion } from '../workflow-rules/workflow-rule-errors';

/** Missing and another tenant's sequences answer the same: existence is never revealed. */
export function sequenceNotFound(id: string): DomainError {
  return new DomainError('NOT_FOUND', `sequence ${id} not found.`);
}

export function enrolmentNotFound(id: string): DomainError {
  return new DomainError('NOT_FOUND', `enrolment ${id} not found.`);
}

export function sequenceDisabled(id: string): DomainError {
  return new DomainError('CONFLICT', `sequence ${id} is disabled: it takes no new enrolments.`, { problemCode: 'SEQUENCE_DISABLED' });
}

export function alreadyEnrolled(enrolmentId: string): DomainError {
  return new DomainError('CONFLICT', `the contact is already in this sequence (enrolment ${enrolmentId}).`, {
    problemCode: 'ALREADY_ENROLLED',
    enrolmentId,
  });
}

export function wrongEnrolmentStatus(action: string, status: string): DomainError {
  return new DomainError('CONFLICT', `an enrolment that is ${status} cannot be ${action}.`, { problemCode: 'INVALID_STATUS_TRANSITION' });
}

export function changedMeanwhile(): DomainError {
  return new DomainError('PRECONDITION_FAILED', 'The record changed meanwhile; read it again.');
}
