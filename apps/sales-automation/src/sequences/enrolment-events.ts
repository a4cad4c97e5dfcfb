import { Injectable } from '@nestjs/common';
import { enrolmentEnded } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { EnrolmentRow, toEnrolment } from './sequence.mapper';

/** `enrolment.ended.v1` for enrolments that completed or exited, one outbox insert for the lot. */
@Injectable()
export class EnrolmentEvents {
  constructor(private readonly events: EventPublisher) {}

  async ended(rows: readonly EnrolmentRow[]): Promise<void> {
    if (!rows.length) return;
    await this.events.publishMany(
      enrolmentEnded,
      rows.map((row) => ({
        data: { enrolment: toEnrolment(row) },
        meta: { tenantId: row.tenant_id, subject: row.id, entityVersion: row.version },
      })),
    );
  }
}
