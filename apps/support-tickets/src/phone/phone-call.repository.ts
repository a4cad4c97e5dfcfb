import { Injectable } from '@nestjs/common';
import type { Selectable } from 'kysely';
import type { PhoneCall as PhoneCallTable } from '../generated/kysely/database';
import { Database } from '../infrastructure/database/database';

export type PhoneCallRow = Selectable<PhoneCallTable>;

/** Phone calls, tenant-scoped in every statement. */
@Injectable()
export class PhoneCallRepository {
  constructor(private readonly db: Database) {}

  insert(
    tenantId: string,
    call: { id: string; ticketId: string; direction: string; phoneNumber: string; durationSeconds: number; recordingUrl: string | null; notes: string; agentId: string; startedAt: Date },
    at: Date,
  ): Promise<PhoneCallRow> {
    return this.db
      .insertInto('phone_call')
      .values({
        id: call.id,
        tenant_id: tenantId,
        ticket_id: call.ticketId,
        direction: call.direction,
        phone_number: call.phoneNumber,
        duration_seconds: call.durationSeconds,
        recording_url: call.recordingUrl,
        notes: call.notes,
        agent_id: call.agentId,
        started_at: call.startedAt,
        created_at: at,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  ofTicket(tenantId: string, ticketId: string): Promise<PhoneCallRow[]> {
    return this.db.selectFrom('phone_call').selectAll().where('tenant_id', '=', tenantId).where('ticket_id', '=', ticketId).orderBy('started_at').orderBy('id').execute();
  }
}
