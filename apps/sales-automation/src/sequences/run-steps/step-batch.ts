import { Injectable, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { SequenceStep } from '@crm/contracts';
import { Transactional } from '@nestjs-cls/transactional';
import jsonLogic from 'json-logic-js';
import { EmailDispatch, EmailSendRequest } from '../../automation-ports/email-dispatch.port';
import { CreateTaskService } from '../../tasks/create-task/create-task.service';
import { nameBasedUuid } from '../../shared/name-based-uuid';
import { contactTimeZone, waitEnd } from '../definition/wait-time';
import { EnrolmentEvents } from '../enrolment-events';
import { EnrolmentProgress, EnrolmentRepository, NewEnrolmentStep } from '../enrolment.repository';
import { EnrolmentRow } from '../sequence.mapper';
import { SequenceRepository } from '../sequence.repository';

const DAY = 86_400_000;
/** A failed send is tried again after these pauses; after the last, the step is recorded failed and the enrolment goes on. */
const RETRY_AFTER_MS = [60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000];

interface Version {
  steps: SequenceStep[];
  exitOn: string[];
}

/** One claimed enrolment as the batch moves it through its immediate steps, until a wait or the end. */
interface Walk {
  row: EnrolmentRow;
  version: Version;
  index: number;
  attempts: number;
  outcome?: Omit<EnrolmentProgress, 'id' | 'attempts'>;
}

/**
 * Runs the due steps of a batch of claimed enrolments: each goes through its immediate steps
 * (send, task, branch) until a wait (its next due time) or its end. The batch's mail goes out in
 * rounds of one sendMany each (a fixed number of statements per round, SMTP in parallel); every
 * send has the key `enrolment:<id>:step:<index>`, so a batch cut short by a crash and taken again
 * after its lease sends nothing twice that was recorded (at most the messages in flight at the
 * crash, with the same Message-ID). Positions, history and ended events are written in one
 * transaction at the end.
 */
@Injectable()
export class StepBatch {
  private readonly logger = new Logger(StepBatch.name);
  /** Definition versions never change once written: cached by sequence and number (the time zone, which can change, is read per batch). */
  private readonly versions = new Map<string, Version>();

  constructor(
    private readonly enrolments: EnrolmentRepository,
    private readonly sequences: SequenceRepository,
    private readonly enrolmentEvents: EnrolmentEvents,
    private readonly moduleRef: ModuleRef,
  ) {}

  async run(claimed: readonly EnrolmentRow[], now: Date): Promise<void> {
    if (!claimed.length) return;
    await this.loadVersions(claimed);
    const history: NewEnrolmentStep[] = [];
    const record = (walk: Walk, step: Omit<NewEnrolmentStep, 'tenantId' | 'enrolmentId' | 'index' | 'at'> & { index?: number }) =>
      history.push({ tenantId: walk.row.tenant_id, enrolmentId: walk.row.id, index: step.index ?? walk.index, at: now, ...step });

    const [exits, contacts, timeZones] = await Promise.all([
      this.enrolments.exitReasons(claimed.map((row) => row.id)),
      this.enrolments.contacts(claimed),
      this.sequences.timeZones([...new Set(claimed.map((row) => row.sequence_id))]),
    ]);
    const walks: Walk[] = claimed.map((row) => ({
      row,
      version: this.versions.get(`${row.sequence_id}:${row.sequence_version}`) as Version,
      index: row.next_step,
      attempts: row.attempts,
    }));
    for (const walk of walks) {
      const reason = exits.get(walk.row.id);
      if (!reason) continue;
      record(walk, { type: 'exit', status: 'skipped', detail: { reason }, errorCode: null });
      walk.outcome = { status: 'exited', nextStep: walk.index, dueAt: null, exitReason: reason, finishedAt: now };
    }

    for (let round = 0; round < 200; round++) {
      const mail: Array<{ walk: Walk; request: EmailSendRequest }> = [];
      for (const walk of walks) {
        while (!walk.outcome) {
          const step = walk.version.steps[walk.index];
          if (!step) {
            walk.outcome = { status: 'completed', nextStep: walk.index, dueAt: null, exitReason: null, finishedAt: now };
            break;
          }
          if (step.type === 'sendEmail') {
            mail.push({
              walk,
              request: {
                tenantId: walk.row.tenant_id,
                contactId: walk.row.contact_id,
                templateId: step.templateId,
                sendKey: `enrolment:${walk.row.id}:step:${walk.index}`,
                context: walk.row.context as EmailSendRequest['context'],
                source: { kind: 'sequence', id: walk.row.sequence_id },
              },
            });
            break;
          }
          if (step.type === 'wait' || step.type === 'waitUntil') {
            const contact = contacts.get(walk.row.contact_id);
            const until = waitEnd(step, now, contactTimeZone(contact?.custom_fields, timeZones.get(walk.row.sequence_id) ?? 'UTC'));
            record(walk, { type: step.type, status: 'succeeded', detail: { until: until.toISOString() }, errorCode: null });
            walk.outcome = { status: 'active', nextStep: walk.index + 1, dueAt: until, exitReason: null, finishedAt: null };
          } else if (step.type === 'branch') {
            const matched = this.matches(step.condition, walk, contacts.get(walk.row.contact_id));
            record(walk, { type: 'branch', status: 'succeeded', detail: { matched, goTo: matched ? step.goTo : walk.index + 1 }, errorCode: null });
            if (matched && step.goTo === null) walk.outcome = { status: 'completed', nextStep: walk.index + 1, dueAt: null, exitReason: null, finishedAt: now };
            else walk.index = matched ? (step.goTo as number) : walk.index + 1;
          } else {
            await this.createTask(step, walk, now, record);
            walk.index++;
          }
        }
      }
      if (!mail.length) break;
      const outcomes = await this.dispatch().sendMany(mail.map((m) => m.request));
      mail.forEach(({ walk }, i) => {
        const outcome = outcomes[i];
        if (outcome.status === 'failed') {
          walk.attempts++;
          if (walk.attempts <= RETRY_AFTER_MS.length) {
            const retryAt = new Date(now.getTime() + RETRY_AFTER_MS[walk.attempts - 1]);
            record(walk, { type: 'sendEmail', status: 'failed', detail: { error: outcome.error, retryAt: retryAt.toISOString() }, errorCode: 'SEND_FAILED' });
            walk.outcome = { status: 'active', nextStep: walk.index, dueAt: retryAt, exitReason: null, finishedAt: null };
            return;
          }
          record(walk, { type: 'sendEmail', status: 'failed', detail: { error: outcome.error, gaveUp: true }, errorCode: 'SEND_FAILED' });
        } else if (outcome.status === 'skipped') {
          record(walk, { type: 'sendEmail', status: 'skipped', detail: { reason: outcome.reason }, errorCode: null });
        } else {
          record(walk, { type: 'sendEmail', status: 'succeeded', detail: { sendId: outcome.sendId, messageId: outcome.messageId }, errorCode: null });
        }
        walk.attempts = 0;
        walk.index++;
      });
    }
    await this.save(walks, history, now);
  }

  @Transactional()
  private async save(walks: readonly Walk[], history: readonly NewEnrolmentStep[], now: Date): Promise<void> {
    const progressed = await this.enrolments.progress(
      walks.map((walk) => ({
        id: walk.row.id,
        attempts: walk.attempts,
        ...(walk.outcome ?? { status: 'active', nextStep: walk.index, dueAt: now, exitReason: null, finishedAt: null }),
      })),
      now,
    );
    // A row stopped or paused while the batch ran keeps that state (progress skips it); the steps that did run are still its history.
    await this.enrolments.insertSteps(history);
    await this.enrolmentEvents.ended(progressed.filter((row) => row.status !== 'active'));
  }

  private matches(condition: Record<string, unknown>, walk: Walk, contact: Record<string, unknown> | undefined): boolean {
    const data = {
      contact: contact && {
        id: walk.row.contact_id,
        firstName: contact['first_name'],
        lastName: contact['last_name'],
        email: contact['email'],
        companyId: contact['company_id'],
        tags: contact['tags'],
        customFields: contact['custom_fields'],
      },
      enrolment: { enrolledAt: new Date(walk.row.enrolled_at).toISOString(), source: walk.row.source_kind, context: walk.row.context },
    };
    try {
      return Boolean(jsonLogic.apply(condition as jsonLogic.RulesLogic, data));
    } catch (error) {
      this.logger.warn(`enrolment ${walk.row.id}: branch condition failed (${(error as Error).message}); taken as false`);
      return false;
    }
  }

  private async createTask(
    step: Extract<SequenceStep, { type: 'createTask' }>,
    walk: Walk,
    now: Date,
    record: (walk: Walk, step: Omit<NewEnrolmentStep, 'tenantId' | 'enrolmentId' | 'index' | 'at'>) => void,
  ): Promise<void> {
    try {
      const task = await this.moduleRef.get(CreateTaskService, { strict: false }).create(
        { tenantId: walk.row.tenant_id, userId: `sequence:${walk.row.sequence_id}`, roles: [] },
        {
          task: {
            title: step.title,
            ...(step.dueInDays !== undefined && { dueAt: new Date(now.getTime() + step.dueInDays * DAY).toISOString() }),
            assigneeId: step.ownerId ?? null,
            relatedType: 'contact',
            relatedId: walk.row.contact_id,
          },
        },
        // A batch taken again after a crash finds the task this step made.
        { id: nameBasedUuid(`enrolment:${walk.row.id}:step:${walk.index}:task`) },
      );
      record(walk, { type: 'createTask', status: 'succeeded', detail: { taskId: task.id }, errorCode: null });
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      record(walk, {
        type: 'createTask',
        status: 'failed',
        detail: { error: (error as Error).message },
        errorCode: typeof code === 'string' ? code : 'TASK_FAILED',
      });
    }
  }

  private dispatch(): EmailDispatch {
    return this.moduleRef.get(EmailDispatch as never, { strict: false });
  }

  private async loadVersions(rows: readonly EnrolmentRow[]): Promise<void> {
    const missing = new Map<string, { sequenceId: string; number: number }>();
    for (const row of rows) {
      const key = `${row.sequence_id}:${row.sequence_version}`;
      if (!this.versions.has(key)) missing.set(key, { sequenceId: row.sequence_id, number: row.sequence_version });
    }
    for (const v of await this.sequences.versions([...missing.values()])) {
      this.versions.set(`${v.sequence_id}:${v.number}`, { steps: v.steps as SequenceStep[], exitOn: v.exit_on });
    }
  }
}
