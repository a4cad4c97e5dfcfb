import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { EmailDispatch } from '../../automation-ports/email-dispatch.port';
import { SequenceEnrolments } from '../../automation-ports/sequence-enrolments.port';
import { ClaimedRecipient, RecipientOutcome } from '../campaign.repository';

/**
 * What a batch of due recipients gets: a template campaign's mail in one sendMany (send key
 * `campaign:<id>:<contact>`: a batch retried after a crash re-sends at most what was in flight,
 * with the same Message-ID; consent is checked at the moment of sending), or a sequence
 * campaign's enrolments (source `campaign`; one already running is skipped).
 */
@Injectable()
export class RecipientBatch {
  constructor(private readonly moduleRef: ModuleRef) {}

  async run(recipients: readonly ClaimedRecipient[]): Promise<RecipientOutcome[]> {
    const mail = recipients.filter((r) => r.content_kind === 'template');
    const enrol = recipients.filter((r) => r.content_kind === 'sequence');
    return [...(await this.send(mail)), ...(await this.enrol(enrol))];
  }

  private async send(recipients: readonly ClaimedRecipient[]): Promise<RecipientOutcome[]> {
    if (!recipients.length) return [];
    const outcomes = await this.port(EmailDispatch).sendMany(
      recipients.map((r) => ({
        tenantId: r.tenant_id,
        contactId: r.contact_id,
        templateId: r.content_id,
        sendKey: `campaign:${r.campaign_id}:${r.contact_id}`,
        source: { kind: 'campaign' as const, id: r.campaign_id },
      })),
    );
    return recipients.map((r, i) => {
      const outcome = outcomes[i];
      const base = { campaignId: r.campaign_id, contactId: r.contact_id };
      if (outcome.status === 'sent' || outcome.status === 'already-sent')
        return { ...base, status: 'sent', detail: { sendId: outcome.sendId, messageId: outcome.messageId } };
      if (outcome.status === 'skipped') return { ...base, status: 'skipped', detail: { reason: outcome.reason } };
      return { ...base, status: 'failed', detail: { error: outcome.error } };
    });
  }

  private async enrol(recipients: readonly ClaimedRecipient[]): Promise<RecipientOutcome[]> {
    const outcomes: RecipientOutcome[] = [];
    for (const r of recipients) {
      const base = { campaignId: r.campaign_id, contactId: r.contact_id };
      try {
        const outcome = await this.port(SequenceEnrolments).enrol({
          tenantId: r.tenant_id,
          sequenceId: r.content_id,
          contactId: r.contact_id,
          source: { kind: 'campaign', id: r.campaign_id },
        });
        outcomes.push(
          outcome.status === 'enrolled'
            ? { ...base, status: 'enrolled', detail: { enrolmentId: outcome.enrolmentId } }
            : { ...base, status: 'skipped', detail: { reason: 'already-enrolled', enrolmentId: outcome.enrolmentId } },
        );
      } catch (error) {
        outcomes.push({ ...base, status: 'failed', detail: { error: (error as { code?: string }).code ?? (error as Error).message } });
      }
    }
    return outcomes;
  }

  private port<T>(token: abstract new (...args: never[]) => T): T {
    return this.moduleRef.get(token as never, { strict: false });
  }
}
