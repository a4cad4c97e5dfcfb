import { Injectable } from '@nestjs/common';
import { sql, type Insertable, type Updateable } from 'kysely';
import type { Task as TaskTable } from '../generated/kysely/database';
import { Database } from '../infrastructure/database/database';
import type { TaskRow } from './task.mapper';

export type NewTaskValues = Omit<Insertable<TaskTable>, 'tenant_id'>;
export type TaskChanges = Updateable<TaskTable>;

export interface TaskListQuery {
  assigneeId?: string;
  done?: boolean;
  relatedType?: string;
  relatedId?: string;
  /** The last row of the previous page: its due time (null: undated) and id. */
  after?: { dueAt: Date | null; id: string };
  limit: number;
}

/** The task table, tenant-scoped in every statement. */
@Injectable()
export class TaskRepository {
  constructor(private readonly db: Database) {}

  insert(tenantId: string, values: NewTaskValues): Promise<TaskRow> {
    return this.db
      .insertInto('task')
      .values({ ...values, tenant_id: tenantId })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  findLive(tenantId: string, id: string): Promise<TaskRow | undefined> {
    return this.db.selectFrom('task').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  }

  /** The change applies only at `version` (undefined: someone changed it meanwhile); the version moves on. */
  update(tenantId: string, id: string, version: number, changes: TaskChanges): Promise<TaskRow | undefined> {
    return this.db
      .updateTable('task')
      .set({ ...changes, version: version + 1, updated_at: new Date() })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('version', '=', version)
      .where('deleted_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
  }

  /**
   * By due time, undated last, then id: for open tasks that is overdue first (oldest due first),
   * then upcoming, then undated. One more row than the page, to know whether another follows.
   */
  list(tenantId: string, query: TaskListQuery): Promise<TaskRow[]> {
    let select = this.db.selectFrom('task').selectAll().where('tenant_id', '=', tenantId).where('deleted_at', 'is', null);
    if (query.assigneeId !== undefined) select = select.where('assignee_id', '=', query.assigneeId);
    if (query.done !== undefined) select = select.where('done', '=', query.done);
    if (query.relatedType !== undefined) select = select.where('related_type', '=', query.relatedType);
    if (query.relatedId !== undefined) select = select.where('related_id', '=', query.relatedId);
    const after = query.after;
    if (after) {
      select =
        after.dueAt === null
          ? select.where('due_at', 'is', null).where('id', '>', after.id)
          : select.where((eb) =>
              eb.or([
                eb('due_at', '>', after.dueAt as Date),
                eb.and([eb('due_at', '=', after.dueAt as Date), eb('id', '>', after.id)]),
                eb('due_at', 'is', null),
              ]),
            );
    }
    return select
      .orderBy(sql`due_at asc nulls last`)
      .orderBy('id')
      .limit(query.limit + 1)
      .execute();
  }

  /**
   * Claims open tasks whose reminder time has passed and was not reminded of yet (`reminded_at`
   * records the reminder time reminded of, so a new reminderAt is reminded of again). SKIP LOCKED:
   * replicas running the job at once claim different rows. Runs in the caller's transaction, with
   * the events it publishes.
   */
  claimDueReminders(now: Date, limit: number): Promise<TaskRow[]> {
    return this.db
      .updateTable('task')
      .set({ reminded_at: sql`reminder_at` })
      .where(
        'id',
        'in',
        this.db
          .selectFrom('task')
          .select('id')
          .where('reminder_at', '<=', now)
          .where((eb) => eb.or([eb('reminded_at', 'is', null), eb('reminded_at', '<>', eb.ref('reminder_at'))]))
          .where('done', '=', false)
          .where('deleted_at', 'is', null)
          .orderBy('reminder_at')
          .limit(limit)
          .forUpdate()
          .skipLocked(),
      )
      .returningAll()
      .execute();
  }
}
