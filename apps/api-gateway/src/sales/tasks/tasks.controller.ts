import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Actor, completeTask, createTask, deleteTask, getTask, listTasks, updateTask } from '@crm/contracts';
import type { FastifyReply } from 'fastify';
import { CurrentActor } from '../../authz/current-actor.decorator';
import { RequirePermission } from '../../authz/require-permission.decorator';
import { ServiceBus } from '../../edge/service-bus';
import { UuidParamPipe } from '@crm/service-kit';
import { VersionEtag } from '@crm/service-kit';
import { versionFromIfMatch } from '@crm/service-kit';
import { ZodValidationPipe } from '@crm/service-kit';
import { ApiZodResponse } from '@crm/service-kit';
import { CreateTaskBody, createTaskBodySchema, ListTasksQuery, listTasksQuerySchema, UpdateTaskBody, updateTaskBodySchema } from './tasks.dto';

/** Tasks (to-dos with a due time, a reminder and a related record): each route is one command or query to the sales-automation service. */
@Controller('api/v1/tasks')
@VersionEtag()
export class TasksController {
  constructor(private readonly bus: ServiceBus) {}

  @ApiOperation({ operationId: 'createTask', summary: 'Create a task (assigned to the caller unless assigneeId is given)' })
  @ApiZodResponse(201, createTask.response)
  @Post()
  @RequirePermission('tasks', 'create')
  async create(
    @Body(new ZodValidationPipe(createTaskBodySchema)) task: CreateTaskBody,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const created = await this.bus.call(createTask, { task }, actor, { bodyAt: 'task' });
    void reply.status(201).header('location', `/api/v1/tasks/${created.id}`);
    return created;
  }

  /** `assignee=me&done=false`: my open tasks, overdue first (oldest due first), then upcoming by due time, then undated. */
  @ApiOperation({ operationId: 'listTasks', summary: 'List tasks (by due time, undated last): by assignee, done, related record' })
  @ApiZodResponse(200, listTasks.response)
  @Get()
  @RequirePermission('tasks', 'read')
  list(@Query(new ZodValidationPipe(listTasksQuerySchema)) query: ListTasksQuery, @CurrentActor() actor: Actor) {
    const { cursor, limit, ...filter } = query;
    return this.bus.relay(listTasks, { filter, cursor, limit }, actor);
  }

  @ApiOperation({ operationId: 'getTask', summary: 'Get a task (ETag: its version)' })
  @ApiZodResponse(200, getTask.response)
  @Get(':id')
  @RequirePermission('tasks', 'read')
  get(@Param('id', new UuidParamPipe()) id: string, @CurrentActor() actor: Actor) {
    return this.bus.relay(getTask, { id }, actor);
  }

  /** Patch semantics (null clears); `If-Match: "<version>"` makes it conditional (412 when stale). */
  @ApiOperation({ operationId: 'updateTask', summary: 'Update a task (If-Match: conditional)' })
  @ApiZodResponse(200, updateTask.response)
  @Patch(':id')
  @RequirePermission('tasks', 'update')
  update(
    @Param('id', new UuidParamPipe()) id: string,
    @Body(new ZodValidationPipe(updateTaskBodySchema)) patch: UpdateTaskBody,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentActor() actor: Actor,
  ) {
    return this.bus.call(updateTask, { id, patch, expectedVersion: versionFromIfMatch(ifMatch) }, actor, { bodyAt: 'patch' });
  }

  @ApiOperation({ operationId: 'completeTask', summary: 'Mark a task done (If-Match: conditional)' })
  @ApiZodResponse(200, completeTask.response)
  @Post(':id/complete')
  @HttpCode(200)
  @RequirePermission('tasks', 'update')
  complete(@Param('id', new UuidParamPipe()) id: string, @Headers('if-match') ifMatch: string | undefined, @CurrentActor() actor: Actor) {
    return this.bus.call(completeTask, { id, expectedVersion: versionFromIfMatch(ifMatch) }, actor);
  }

  @ApiOperation({ operationId: 'deleteTask', summary: 'Delete a task (If-Match: conditional)' })
  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('tasks', 'delete')
  async delete(@Param('id', new UuidParamPipe()) id: string, @Headers('if-match') ifMatch: string | undefined, @CurrentActor() actor: Actor) {
    await this.bus.call(deleteTask, { id, expectedVersion: versionFromIfMatch(ifMatch) }, actor);
  }
}
