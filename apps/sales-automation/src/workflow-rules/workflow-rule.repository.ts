import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { sql } from 'kysely';
import { Database } from '../infrastructure/database/database';
import type { RuleDefinition, RuleRow, RuleWithDefinition } from './workflow-rule.mapper';

const json = (value: unknown) => sql<unknown>`${JSON.stringify(value ?? null)}::jsonb`;

/** Rules and their definition versions, tenant-scoped in every statement. */
@Injectable()
export class WorkflowRuleRepository {
  /**
   * The enabled rules read in each open transaction, by tenant and event type: a consumer applies
   * a batch of events in one transaction, and rules change only through their own commands (never
   * inside it), so the batch's events of one type read them once instead of once each.
   */
  private readonly enabledInTransaction = new WeakMap<object, Map<string, Promise<RuleWithDefinition[]>>>();

  constructor(
    private readonly db: Database,
    private readonly transactions: TransactionHost,
  ) {}

  private withDefinition() {
    return this.db
      .selectFrom('workflow_rule as r')
      .innerJoin('workflow_rule_version as v', (join) => join.onRef('v.rule_id', '=', 'r.id').onRef('v.number', '=', 'r.current_version'))
      .selectAll('r')
      .select(['v.trigger', 'v.condition', 'v.actions'])
      .where('r.deleted_at', 'is', null);
  }

  async insert(tenantId: string, rule: { id: string; name: string; enabled: boolean }, definition: RuleDefinition): Promise<void> {
    await this.db
      .insertInto('workflow_rule')
      .values({ id: rule.id, tenant_id: tenantId, name: rule.name, enabled: rule.enabled, current_version: 1 })
      .execute();
    await this.insertVersion(tenantId, rule.id, 1, definition);
  }

  async insertVersion(tenantId: string, ruleId: string, number: number, definition: RuleDefinition): Promise<void> {
    await this.db
      .insertInto('workflow_rule_version')
      .values({
        id: crypto.randomUUID(),
        tenant_id: tenantId,
        rule_id: ruleId,
        number,
        trigger: json(definition.trigger),
        condition: definition.condition === null || definition.condition === undefined ? null : json(definition.condition),
        actions: json(definition.actions),
        event_type: definition.trigger.kind === 'event' ? definition.trigger.type : null,
      })
      .execute();
  }

  findLive(tenantId: string, id: string): Promise<RuleWithDefinition | undefined> {
    return this.withDefinition().where('r.tenant_id', '=', tenantId).where('r.id', '=', id).executeTakeFirst();
  }

  /** The rule's own row (no definition): what a write reads back. */
  findLiveRule(tenantId: string, id: string): Promise<RuleRow> {
    return this.db.selectFrom('workflow_rule').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirstOrThrow();
  }

  /** A definition version of a rule (a run after a wait continues with the version it started with). */
  findVersion(tenantId: string, ruleId: string, number: number) {
    return this.db
      .selectFrom('workflow_rule_version')
      .select(['trigger', 'condition', 'actions'])
      .where('tenant_id', '=', tenantId)
      .where('rule_id', '=', ruleId)
      .where('number', '=', number)
      .executeTakeFirst();
  }

  /** The tenant's enabled rules triggered by an event type, each with its current definition. */
  enabledForEvent(tenantId: string, type: string): Promise<RuleWithDefinition[]> {
    if (!this.transactions.isTransactionActive()) return this.selectEnabledForEvent(tenantId, type);
    const tx = this.transactions.tx as object;
    let read = this.enabledInTransaction.get(tx);
    if (!read) this.enabledInTransaction.set(tx, (read = new Map()));
    const key = `${tenantId} ${type}`;
    let rules = read.get(key);
    if (!rules) read.set(key, (rules = this.selectEnabledForEvent(tenantId, type)));
    return rules;
  }

  private selectEnabledForEvent(tenantId: string, type: string): Promise<RuleWithDefinition[]> {
    return this.withDefinition()
      .where('r.tenant_id', '=', tenantId)
      .where('r.enabled', '=', true)
      .where('v.event_type', '=', type)
      .orderBy('r.created_at')
      .execute();
  }

  /** Every tenant's enabled rules of a trigger kind (schedule, relativeDate): the minute job's work. */
  enabledOfKind(kind: 'schedule' | 'relativeDate'): Promise<Array<RuleWithDefinition & { version_created_at: Date }>> {
    return this.withDefinition()
      .select('v.created_at as version_created_at')
      .where('r.enabled', '=', true)
      .where(sql<boolean>`v.trigger->>'kind' = ${kind}`)
      .execute() as Promise<Array<RuleWithDefinition & { version_created_at: Date }>>;
  }

  list(tenantId: string, after: { createdAt: Date; id: string } | undefined, limit: number): Promise<RuleWithDefinition[]> {
    let select = this.withDefinition().where('r.tenant_id', '=', tenantId);
    if (after) {
      select = select.where((eb) =>
        eb.or([eb('r.created_at', '>', after.createdAt), eb.and([eb('r.created_at', '=', after.createdAt), eb('r.id', '>', after.id)])]),
      );
    }
    return select
      .orderBy('r.created_at')
      .orderBy('r.id')
      .limit(limit + 1)
      .execute();
  }

  /** The change applies only at `version` (undefined: someone changed it meanwhile); the version moves on. */
  update(
    tenantId: string,
    id: string,
    version: number,
    changes: Partial<Pick<RuleRow, 'name' | 'enabled' | 'current_version' | 'deleted_at'>>,
  ): Promise<RuleRow | undefined> {
    return this.db
      .updateTable('workflow_rule')
      .set({ ...changes, version: version + 1, updated_at: new Date() })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('version', '=', version)
      .where('deleted_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
  }

  /** The next user of an assignOwner round robin (the rule's own counter, moved on atomically). */
  async nextAssignee(tenantId: string, id: string): Promise<number> {
    const row = await this.db
      .updateTable('workflow_rule')
      .set({ next_assignee: sql`next_assignee + 1` })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .returning(sql<number>`next_assignee - 1`.as('index'))
      .executeTakeFirstOrThrow();
    return Number(row.index);
  }
}
