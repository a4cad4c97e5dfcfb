import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import type { WorkflowRuleRun } from '@crm/contracts';
import { Database } from '../infrastructure/database/database';
import type { RuleRunRow } from './workflow-rule.mapper';

const json = (value: unknown) => sql<unknown>`${JSON.stringify(value)}::jsonb`;

export interface NewRun {
  id: string;
  ruleId: string;
  ruleVersion: number;
  triggerEventId: string;
  triggerEventType: string;
  status: WorkflowRuleRun['status'];
  errorCode: string | null;
  errorMessage: string | null;
  steps: WorkflowRuleRun['steps'];
  startedAt: Date;
  finishedAt: Date | null;
}

/** Runs of rules and the waits between their actions, tenant-scoped (the minute job's claims span tenants). */
@Injectable()
export class WorkflowRuleRunRepository {
  constructor(private readonly db: Database) {}

  async exists(ruleId: string, triggerEventId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('workflow_rule_run')
      .select('id')
      .where('rule_id', '=', ruleId)
      .where('trigger_event_id', '=', triggerEventId)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** The unique (rule, trigger event) makes a second run of the same event fail: the caller's transaction rolls back and its retry sees the first. */
  async insert(tenantId: string, run: NewRun): Promise<void> {
    await this.db
      .insertInto('workflow_rule_run')
      .values({
        id: run.id,
        tenant_id: tenantId,
        rule_id: run.ruleId,
        rule_version: run.ruleVersion,
        trigger_event_id: run.triggerEventId,
        trigger_event_type: run.triggerEventType,
        status: run.status,
        error_code: run.errorCode,
        error_message: run.errorMessage,
        steps: json(run.steps),
        started_at: run.startedAt,
        finished_at: run.finishedAt,
      })
      .execute();
  }

  async finish(runId: string, changes: Pick<NewRun, 'status' | 'errorCode' | 'errorMessage' | 'steps' | 'finishedAt'>): Promise<void> {
    await this.db
      .updateTable('workflow_rule_run')
      .set({
        status: changes.status,
        error_code: changes.errorCode,
        error_message: changes.errorMessage,
        steps: json(changes.steps),
        finished_at: changes.finishedAt,
      })
      .where('id', '=', runId)
      .execute();
  }

  findRun(runId: string): Promise<RuleRunRow | undefined> {
    return this.db.selectFrom('workflow_rule_run').selectAll().where('id', '=', runId).executeTakeFirst();
  }

  /** Newest first. */
  list(tenantId: string, ruleId: string, after: { startedAt: Date; id: string } | undefined, limit: number): Promise<RuleRunRow[]> {
    let select = this.db.selectFrom('workflow_rule_run').selectAll().where('tenant_id', '=', tenantId).where('rule_id', '=', ruleId);
    if (after) {
      select = select.where((eb) => eb.or([eb('started_at', '<', after.startedAt), eb.and([eb('started_at', '=', after.startedAt), eb('id', '<', after.id)])]));
    }
    return select
      .orderBy('started_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
  }

  async insertWait(tenantId: string, wait: { runId: string; nextAction: number; dueAt: Date; context: unknown }): Promise<void> {
    await this.db
      .insertInto('workflow_rule_wait')
      .values({
        id: crypto.randomUUID(),
        tenant_id: tenantId,
        run_id: wait.runId,
        next_action: wait.nextAction,
        due_at: wait.dueAt,
        context: json(wait.context),
      })
      .execute();
  }

  /** Due waits, claimed (SKIP LOCKED: replicas take different ones) and marked done in the caller's transaction. */
  claimDueWaits(now: Date, limit: number) {
    return this.db
      .updateTable('workflow_rule_wait')
      .set({ done_at: now })
      .where(
        'id',
        'in',
        this.db
          .selectFrom('workflow_rule_wait')
          .select('id')
          .where('done_at', 'is', null)
          .where('due_at', '<=', now)
          .orderBy('due_at')
          .limit(limit)
          .forUpdate()
          .skipLocked(),
      )
      .returningAll()
      .execute();
  }
}
