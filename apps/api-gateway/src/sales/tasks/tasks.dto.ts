import { TASK_RELATED_TYPES, taskInputSchema, taskPatchSchema } from '@crm/contracts';
import { z } from 'zod';
import { queryBoolean, queryLimit } from '../../http/query-schemas';

/** POST /tasks: the task (assigned to the caller unless `assigneeId` says otherwise). */
export const createTaskBodySchema = taskInputSchema;
export type CreateTaskBody = z.infer<typeof createTaskBodySchema>;

/** PATCH /tasks/:id: absent fields stay, null clears. */
export const updateTaskBodySchema = taskPatchSchema;
export type UpdateTaskBody = z.infer<typeof updateTaskBodySchema>;

/** GET /tasks query string: `assignee=me&done=false` is "my open tasks, overdue first". */
export const listTasksQuerySchema = z.object({
  assignee: z.union([z.literal('me'), z.uuid()], { message: "must be 'me' or a user id" }).optional(),
  done: queryBoolean.optional(),
  relatedType: z.enum(TASK_RELATED_TYPES).optional(),
  relatedId: z.uuid().optional(),
  cursor: z.string().max(512).optional(),
  limit: queryLimit,
});
export type ListTasksQuery = z.infer<typeof listTasksQuerySchema>;
