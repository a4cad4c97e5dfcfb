import { DomainError } from '@crm/contracts';

export { validationFailed, checkVersion } from '../workflow-rules/workflow-rule-errors';

/** Missing and another tenant's campaigns answer the same: existence is never revealed. */
export function campaignNotFound(id: string): DomainError {
  return new DomainError('NOT_FOUND', `campaign ${id} not found.`);
}

export function wrongCampaignStatus(action: string, status: string): DomainError {
  return new DomainError('CONFLICT', `a campaign that is ${status} cannot be ${action}.`, { problemCode: 'INVALID_STATUS_TRANSITION' });
}

export function campaignChangedMeanwhile(): DomainError {
  return new DomainError('PRECONDITION_FAILED', 'The campaign changed meanwhile; read it again.');
}
