import { Injectable, Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { dealPatchSchema, DomainError, leadPatchSchema, taskPatchSchema, TASK_RELATED_TYPES, WorkflowRuleAction } from '@crm/contracts';
import { EmailDispatch } from '../../automation-ports/email-dispatch.port';
import { SequenceEnrolments } from '../../automation-ports/sequence-enrolments.port';
import { UpdateDealService } from '../../deals/update-deal/update-deal.service';
import { UpdateLeadService } from '../../leads/update-lead/update-lead.service';
import { CreateTaskService } from '../../tasks/create-task/create-task.service';
import { UpdateTaskService } from '../../tasks/update-task/update-task.service';
import { RunError } from '../workflow-rule-errors';
import { WorkflowRuleRepository } from '../workflow-rule.repository';
import { contactIdOf, RunContext } from './rule-context';

const DAY = 86_400_000;

/** Which run a step belongs to: the send key, the enrolment's source and the round robin read it. */
export interface StepScope {
  tenantId: string;
  ruleId: string;
  eventId: string;
  index: number;
  now: Date;
}

/**
 * Runs one action (not `wait`: the runner turns that into a durable wait). Answers what it did;
 * throws RunError (or a feature's DomainError) when it cannot, which fails the step.
 * The other automation parts and the features are looked up when used (ModuleRef, strict: false):
 * an absent EmailDispatch or SequenceEnrolments fails the step with PORT_UNAVAILABLE.
 */
@Injectable()
export class RuleActions {
  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly rules: WorkflowRuleRepository,
  ) {}

  async run(action: Exclude<WorkflowRuleAction, { type: 'wait' }>, context: RunContext, scope: StepScope): Promise<Record<string, unknown>> {
    switch (action.type) {
      case 'sendEmail':
        return this.sendEmail(action.templateId, context, scope);
      case 'startSequence':
        return this.startSequence(action.sequenceId, context, scope);
      case 'stopSequence': {
        const stopped = await this.port(SequenceEnrolments).stop({
          tenantId: scope.tenantId,
          contactId: this.contactOf(context),
          sequenceId: action.sequenceId,
          reason: `rule:${scope.ruleId}`,
        });
        return { stopped };
      }
      case 'createTask':
        return this.createTask(action, context, scope);
      case 'assignOwner':
        return this.assignOwner(action.userIds, context, scope);
      case 'updateField':
        return this.updateField(action, context, scope);
      case 'webhook':
        // The integration gateway has webhook subscriptions for its API clients, but no command to call a URL for another
        // service (libs/contracts/src/lib/integration-gateway.ts), and this service may send requests to contacts only (tools/bus-users.sh).
        throw new RunError('NOT_SUPPORTED', 'webhook actions need a call-a-URL command of the integration gateway, which it does not offer yet');
    }
  }

  private port<T>(type: Type<T> | (abstract new (...args: never[]) => T)): T {
    try {
      return this.moduleRef.get(type as Type<T>, { strict: false });
    } catch {
      throw new RunError('PORT_UNAVAILABLE', `${type.name} is not provided in this deployment`);
    }
  }

  private feature<T>(type: Type<T>): T {
    return this.moduleRef.get(type, { strict: false });
  }

  private contactOf(context: RunContext): string {
    const contactId = contactIdOf(context);
    if (!contactId) throw new RunError('NO_CONTACT', `the ${context.recordKind ?? 'event'} names no contact`);
    return contactId;
  }

  private recordRefs(context: RunContext): { dealId?: string; orderId?: string } {
    const id = context.record?.['id'];
    if (typeof id !== 'string') return {};
    if (context.recordKind === 'order') return { orderId: id };
    if (context.recordKind === 'deal') return { dealId: id };
    return {};
  }

  private async sendEmail(templateId: string, context: RunContext, scope: StepScope) {
    const dispatch = this.port(EmailDispatch);
    const outcome = await dispatch.send({
      tenantId: scope.tenantId,
      contactId: this.contactOf(context),
      templateId,
      sendKey: `rule:${scope.ruleId}:${scope.eventId}:${scope.index}`,
      context: this.recordRefs(context),
      source: { kind: 'rule', id: scope.ruleId },
    });
    return { ...outcome };
  }

  private async startSequence(sequenceId: string, context: RunContext, scope: StepScope) {
    const enrolments = this.port(SequenceEnrolments);
    const outcome = await enrolments.enrol({
      tenantId: scope.tenantId,
      sequenceId,
      contactId: this.contactOf(context),
      source: { kind: 'rule', id: scope.ruleId },
      context: this.recordRefs(context),
    });
    return { ...outcome };
  }

  private async createTask(action: Extract<WorkflowRuleAction, { type: 'createTask' }>, context: RunContext, scope: StepScope) {
    const id = context.record?.['id'];
    const related =
      (TASK_RELATED_TYPES as readonly string[]).includes(context.recordKind ?? '') && typeof id === 'string'
        ? { relatedType: context.recordKind as (typeof TASK_RELATED_TYPES)[number], relatedId: id }
        : {};
    const owner = action.ownerId ?? ownerOf(context) ?? null;
    const task = await this.feature(CreateTaskService).create(
      { tenantId: scope.tenantId, userId: `rule:${scope.ruleId}`, roles: [] },
      {
        task: {
          title: action.title,
          ...(action.dueInDays !== undefined && { dueAt: new Date(scope.now.getTime() + action.dueInDays * DAY).toISOString() }),
          assigneeId: owner,
          ...related,
        },
      },
    );
    return { taskId: task.id };
  }

  /** Round robin over the rule's users: the rule keeps its own counter. */
  private async assignOwner(userIds: string[], context: RunContext, scope: StepScope) {
    const index = (await this.rules.nextAssignee(scope.tenantId, scope.ruleId)) % userIds.length;
    const userId = userIds[index];
    const field = context.recordKind === 'task' ? 'assigneeId' : 'ownerId';
    await this.patch(context.recordKind, context, scope, { [field]: userId });
    return { userId };
  }

  private async updateField(action: Extract<WorkflowRuleAction, { type: 'updateField' }>, context: RunContext, scope: StepScope) {
    if (action.record === 'contact') throw new RunError('NOT_SUPPORTED', 'contacts belong to the contacts service, which offers no field update for rules yet');
    if (action.record !== context.recordKind) throw new RunError('NO_RECORD', `the ${context.recordKind ?? 'event'} is not a ${action.record}`);
    await this.patch(action.record, context, scope, { [action.field]: action.value });
    return { record: action.record, field: action.field };
  }

  /** The triggering record's own update (its checks, version and event), in this service. */
  private async patch(kind: string | null, context: RunContext, scope: StepScope, values: Record<string, unknown>): Promise<void> {
    const id = context.record?.['id'];
    if (typeof id !== 'string') throw new RunError('NO_RECORD', 'the event is about no record of this service');
    const parse = (schema: {
      safeParse: (v: unknown) => { success: boolean; data?: unknown; error?: { issues: Array<{ message: string; path: PropertyKey[] }> } };
    }) => {
      const parsed = schema.safeParse(values);
      if (!parsed.success) {
        const issue = parsed.error?.issues[0];
        throw new RunError('VALIDATION_FAILED', `${issue?.path.join('.') || Object.keys(values).join(', ')}: ${issue?.message}`);
      }
      return parsed.data as never;
    };
    if (kind === 'deal') await this.feature(UpdateDealService).update(scope.tenantId, { id, patch: parse(dealPatchSchema.strict()) });
    else if (kind === 'lead') await this.feature(UpdateLeadService).update(scope.tenantId, { id, patch: parse(leadPatchSchema.partial().strict()) });
    else if (kind === 'task') await this.feature(UpdateTaskService).update(scope.tenantId, { id, patch: parse(taskPatchSchema.strict()) });
    else throw new RunError('NOT_SUPPORTED', `a ${kind ?? 'event'} record cannot be changed by a rule (deals, leads and tasks can)`);
  }
}

function ownerOf(context: RunContext): string | undefined {
  const owner = context.record?.['ownerId'] ?? context.record?.['assigneeId'];
  return typeof owner === 'string' ? owner : undefined;
}

/** A failed step's code and message: a RunError's or a feature's DomainError's; anything else is unexpected (INTERNAL). */
export function stepErrorOf(error: unknown): { code: string; message: string } {
  if (error instanceof RunError || error instanceof DomainError) return { code: error.code, message: error.message };
  return { code: 'INTERNAL', message: (error as Error)?.message ?? String(error) };
}
