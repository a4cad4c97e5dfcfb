import { Injectable } from '@nestjs/common';
import { Enrolment, enrolmentUpdated } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Clock } from '@crm/service-kit';
import { Transactional } from '@nestjs-cls/transactional';
import { EnrolmentEvents } from '../enrolment-events';
import { EnrolmentRepository } from '../enrolment.repository';
import { changedMeanwhile, checkVersion, enrolmentNotFound, wrongEnrolmentStatus } from '../sequence-errors';
import { EnrolmentRow, toEnrolment } from '../sequence.mapper';

type Change = 'pause' | 'resume' | 'stop';
const ALLOWED_FROM: Record<Change, readonly string[]> = { pause: ['active'], resume: ['paused'], stop: ['active', 'paused'] };
const PAST: Record<Change, string> = { pause: 'paused', resume: 'resumed', stop: 'stopped' };

/**
 * Pause keeps the enrolment's place; resume makes its next step due at the later of its due time
 * and now (a wait that passed while paused runs at once); stop exits it (`stopped`).
 */
@Injectable()
export class ChangeEnrolmentService {
  constructor(
    private readonly enrolments: EnrolmentRepository,
    private readonly enrolmentEvents: EnrolmentEvents,
    private readonly events: EventPublisher,
    private readonly clock: Clock,
  ) {}

  @Transactional()
  async change(tenantId: string, id: string, expectedVersion: number | undefined, change: Change): Promise<Enrolment> {
    const row = await this.enrolments.find(tenantId, id);
    if (!row) throw enrolmentNotFound(id);
    checkVersion(expectedVersion, row.version);
    if (!ALLOWED_FROM[change].includes(row.status)) throw wrongEnrolmentStatus(PAST[change], row.status);
    const now = this.clock.now();
    const updated = await this.enrolments.update(tenantId, id, row.version, this.changes(row, change, now), now);
    if (!updated) throw changedMeanwhile();
    if (change === 'stop') await this.enrolmentEvents.ended([updated]);
    else
      await this.events.publish(
        enrolmentUpdated,
        { enrolment: toEnrolment(updated), changed: ['status'] },
        { tenantId, subject: id, entityVersion: updated.version },
      );
    return toEnrolment(updated);
  }

  private changes(row: EnrolmentRow, change: Change, now: Date) {
    if (change === 'pause') return { status: 'paused' };
    if (change === 'resume') return { status: 'active', due_at: row.due_at && new Date(row.due_at) > now ? new Date(row.due_at) : now };
    return { status: 'exited', exit_reason: 'stopped', finished_at: now };
  }
}
