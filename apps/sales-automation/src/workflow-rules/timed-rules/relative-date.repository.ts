import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import type { RULE_RECORD_TYPES } from '@crm/contracts';
import { Database } from '../../infrastructure/database/database';
import { RELATIVE_DATE_FIELDS } from '../rule-definition/relative-date-fields';

const TABLES: Record<(typeof RULE_RECORD_TYPES)[number], { table: string; live: boolean }> = {
  deal: { table: 'deal', live: true },
  task: { table: 'task', live: true },
  lead: { table: 'lead', live: true },
  order: { table: 'sales_order', live: false },
};

const camel = (column: string) => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * The records of a tenant whose date field, moved by offsetDays, passed within the window
 * (after `since`, at most `now`): what a relative-date rule runs for. Table and column come from
 * fixed maps (RELATIVE_DATE_FIELDS), never from input.
 */
@Injectable()
export class RelativeDateRepository {
  constructor(private readonly db: Database) {}

  async due(
    tenantId: string,
    trigger: { record: (typeof RULE_RECORD_TYPES)[number]; field: string; offsetDays: number },
    since: Date,
    now: Date,
    limit: number,
  ): Promise<Array<{ record: Record<string, unknown>; moment: Date }>> {
    const column = RELATIVE_DATE_FIELDS[trigger.record][trigger.field];
    const { table, live } = TABLES[trigger.record];
    if (!column) return [];
    const moment = sql`(${sql.ref(column)}::timestamptz + make_interval(days => ${trigger.offsetDays}))`;
    const result = await sql<Record<string, unknown> & { rule_moment: Date }>`
      select *, ${moment} as rule_moment from ${sql.table(table)}
      where tenant_id = ${tenantId} ${live ? sql`and deleted_at is null` : sql``}
        and ${moment} > ${since} and ${moment} <= ${now}
      order by ${moment} limit ${limit}`.execute(this.db);
    return result.rows.map(({ rule_moment, ...row }) => ({
      moment: new Date(rule_moment),
      record: Object.fromEntries(Object.entries(row).map(([key, value]) => [camel(key), value instanceof Date ? value.toISOString() : value])),
    }));
  }
}
