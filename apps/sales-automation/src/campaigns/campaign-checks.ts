import { Injectable } from '@nestjs/common';
import type { CampaignSegment, ContractIssue } from '@crm/contracts';
import { Clock } from '@crm/service-kit';
import { validationFailed } from './campaign-errors';
import { CampaignRepository } from './campaign.repository';

type Content = { kind: 'template'; templateId: string } | { kind: 'sequence'; sequenceId: string };

/**
 * What a campaign's shape cannot say, checked at save and named under `prefix`: its content
 * exists (a marketing template: a campaign is bulk marketing mail; an enabled sequence) and its
 * segment matches at least one contact now (SEGMENT_EMPTY).
 */
@Injectable()
export class CampaignChecks {
  constructor(
    private readonly repository: CampaignRepository,
    private readonly clock: Clock,
  ) {}

  async check(tenantId: string, input: { segment?: CampaignSegment; content?: Content }, prefix: string): Promise<void> {
    const problems: ContractIssue[] = [];
    if (input.content) problems.push(...(await this.contentProblems(tenantId, input.content, prefix)));
    if (input.segment) {
      const { count } = await this.repository.matching(tenantId, input.segment, this.clock.now(), 0);
      if (count === 0) problems.push({ path: `${prefix}segment`, message: 'matches no contact', code: 'SEGMENT_EMPTY' });
    }
    if (problems.length) throw validationFailed(problems);
  }

  private async contentProblems(tenantId: string, content: Content, prefix: string): Promise<ContractIssue[]> {
    if (content.kind === 'template') {
      const template = await this.repository.contentExists(tenantId, 'template', content.templateId);
      if (!template) return [{ path: `${prefix}content.templateId`, message: 'no such email template' }];
      if (template.purpose !== 'marketing') return [{ path: `${prefix}content.templateId`, message: 'a campaign sends a marketing template' }];
      return [];
    }
    const sequence = await this.repository.contentExists(tenantId, 'sequence', content.sequenceId);
    if (!sequence) return [{ path: `${prefix}content.sequenceId`, message: 'no such sequence' }];
    if (!sequence.enabled) return [{ path: `${prefix}content.sequenceId`, message: 'the sequence is disabled' }];
    return [];
  }
}
