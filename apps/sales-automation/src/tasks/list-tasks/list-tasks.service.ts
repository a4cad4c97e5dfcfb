import { Injectable } from '@nestjs/common';
import { Actor, listTasks, RpcRequest, RpcResponse } from '@crm/contracts';
import { keysetPage } from '@crm/service-kit';
import { callerAsAssignee } from '../create-task/create-task.service';
import { SalesCursors } from '../../shared/sales-cursors';
import { toTask } from '../task.mapper';
import { TaskRepository } from '../task.repository';

/** The list's one order (see TaskRepository.list); its cursor key is the due time, '' when undated. */
const ORDER = 'due';

@Injectable()
export class ListTasksService {
  constructor(
    private readonly repository: TaskRepository,
    private readonly cursors: SalesCursors,
  ) {}

  async list(actor: Actor, { filter, cursor, limit }: RpcRequest<typeof listTasks>): Promise<RpcResponse<typeof listTasks>> {
    const after = this.cursors.decode(cursor, ORDER);
    // `me` of a caller who cannot be an assignee matches no task (not every task).
    const assigneeId = filter.assignee === 'me' ? (callerAsAssignee(actor) ?? '00000000-0000-0000-0000-000000000000') : filter.assignee;
    const rows = await this.repository.list(actor.tenantId, {
      assigneeId,
      done: filter.done,
      relatedType: filter.relatedType,
      relatedId: filter.relatedId,
      after: after && { dueAt: after.key === '' ? null : new Date(String(after.key)), id: after.id },
      limit,
    });
    const { page, nextCursor } = keysetPage(
      rows,
      limit,
      { name: ORDER, byRelevance: false, sortKey: (row) => (row.due_at ? new Date(row.due_at).toISOString() : '') },
      this.cursors,
    );
    return { data: page.map(toTask), nextCursor };
  }
}
