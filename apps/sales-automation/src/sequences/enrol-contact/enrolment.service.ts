import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { enrolmentStarted } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Clock } from '@crm/service-kit';
import { Transactional } from '@nestjs-cls/transactional';
import { EnrolOutcome, EnrolRequest, SequenceEnrolments } from '../../automation-ports/sequence-enrolments.port';
import { EnrolmentEvents } from '../enrolment-events';
import { EnrolmentRepository } from '../enrolment.repository';
import { sequenceDisabled, sequenceNotFound } from '../sequence-errors';
import { toEnrolment } from '../sequence.mapper';
import { SequenceRepository } from '../sequence.repository';
import { SequenceRunner } from '../run-steps/sequence-runner';

/**
 * Starts and stops enrolments for users, rules and campaigns (the SequenceEnrolments port). A new
 * enrolment's first step is due at once; the runner takes it within its poll interval.
 */
@Injectable()
export class EnrolmentService extends SequenceEnrolments {
  constructor(
    private readonly sequences: SequenceRepository,
    private readonly enrolments: EnrolmentRepository,
    private readonly enrolmentEvents: EnrolmentEvents,
    private readonly events: EventPublisher,
    private readonly runner: SequenceRunner,
    private readonly clock: Clock,
  ) {
    super();
  }

  @Transactional()
  async enrol(request: EnrolRequest): Promise<EnrolOutcome> {
    const { tenantId, sequenceId, contactId } = request;
    const sequence = await this.sequences.findLive(tenantId, sequenceId);
    if (!sequence) throw sequenceNotFound(sequenceId);
    if (!sequence.enabled) throw sequenceDisabled(sequenceId);
    const now = this.clock.now();
    const row = await this.enrolments.insert(tenantId, {
      id: randomUUID(),
      sequenceId,
      sequenceVersion: sequence.current_version,
      contactId,
      sourceKind: request.source.kind,
      sourceId: request.source.id,
      context: request.context ?? {},
      enrolledAt: now,
      dueAt: now,
    });
    if (!row) {
      const running = await this.enrolments.findRunning(tenantId, sequenceId, contactId);
      return { status: 'already-enrolled', enrolmentId: running?.id ?? '' };
    }
    await this.events.publish(enrolmentStarted, { enrolment: toEnrolment(row) }, { tenantId, subject: row.id, entityVersion: row.version });
    this.runner.nudgeSoon();
    return { status: 'enrolled', enrolmentId: row.id };
  }

  @Transactional()
  async stop(request: { tenantId: string; contactId: string; sequenceId?: string; reason: string }): Promise<number> {
    const ended = await this.enrolments.exitForContact(request.tenantId, request.contactId, {
      condition: null,
      reason: request.reason,
      at: this.clock.now(),
      sequenceId: request.sequenceId,
    });
    await this.enrolmentEvents.ended(ended);
    return ended.length;
  }
}
