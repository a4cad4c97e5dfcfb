import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import {
  Actor,
  createWorkflowRule,
  deleteWorkflowRule,
  disableWorkflowRule,
  enableWorkflowRule,
  getWorkflowRule,
  listWorkflowRuleRuns,
  listWorkflowRules,
  testWorkflowRule,
  updateWorkflowRule,
} from '@crm/contracts';
import type { FastifyReply } from 'fastify';
import { CurrentActor } from '../../authz/current-actor.decorator';
import { RequirePermission } from '../../authz/require-permission.decorator';
import { ServiceBus } from '../../edge/service-bus';
import { ApiZodResponse, UuidParamPipe, VersionEtag, versionFromIfMatch, ZodValidationPipe } from '@crm/service-kit';
import {
  CreateWorkflowRuleBody,
  createWorkflowRuleBodySchema,
  PageQuery,
  pageQuerySchema,
  TestWorkflowRuleBody,
  testWorkflowRuleBodySchema,
  UpdateWorkflowRuleBody,
  updateWorkflowRuleBodySchema,
} from './workflow-rules.dto';

/** Workflow rules (trigger, JSON Logic condition, actions; versioned) and their runs: each route is one command or query to the sales-automation service. */
@Controller('api/v1/workflow-rules')
@VersionEtag()
export class WorkflowRulesController {
  constructor(private readonly bus: ServiceBus) {}

  @ApiOperation({
    operationId: 'createWorkflowRule',
    summary: 'Create a workflow rule (400 naming the field: unknown event type, invalid cron, unknown operator)',
  })
  @ApiZodResponse(201, createWorkflowRule.response)
  @Post()
  @RequirePermission('workflow-rules', 'create')
  async create(
    @Body(new ZodValidationPipe(createWorkflowRuleBodySchema)) rule: CreateWorkflowRuleBody,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const created = await this.bus.call(createWorkflowRule, { rule }, actor, { bodyAt: 'rule' });
    void reply.status(201).header('location', `/api/v1/workflow-rules/${created.id}`);
    return created;
  }

  @ApiOperation({ operationId: 'listWorkflowRules', summary: 'List workflow rules (oldest first)' })
  @ApiZodResponse(200, listWorkflowRules.response)
  @Get()
  @RequirePermission('workflow-rules', 'read')
  list(@Query(new ZodValidationPipe(pageQuerySchema)) query: PageQuery, @CurrentActor() actor: Actor) {
    return this.bus.relay(listWorkflowRules, query, actor);
  }

  @ApiOperation({ operationId: 'getWorkflowRule', summary: 'Get a workflow rule (ETag: its version)' })
  @ApiZodResponse(200, getWorkflowRule.response)
  @Get(':id')
  @RequirePermission('workflow-rules', 'read')
  get(@Param('id', new UuidParamPipe()) id: string, @CurrentActor() actor: Actor) {
    return this.bus.relay(getWorkflowRule, { id }, actor);
  }

  /** `If-Match: "<version>"` makes it conditional (412 when stale). */
  @ApiOperation({ operationId: 'updateWorkflowRule', summary: 'Update a workflow rule (If-Match: conditional; a new definition version for new runs)' })
  @ApiZodResponse(200, updateWorkflowRule.response)
  @Patch(':id')
  @RequirePermission('workflow-rules', 'update')
  update(
    @Param('id', new UuidParamPipe()) id: string,
    @Body(new ZodValidationPipe(updateWorkflowRuleBodySchema)) patch: UpdateWorkflowRuleBody,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentActor() actor: Actor,
  ) {
    return this.bus.call(updateWorkflowRule, { id, patch, expectedVersion: versionFromIfMatch(ifMatch) }, actor, { bodyAt: 'patch' });
  }

  @ApiOperation({ operationId: 'enableWorkflowRule', summary: 'Enable a workflow rule (If-Match: conditional)' })
  @ApiZodResponse(200, enableWorkflowRule.response)
  @Post(':id/enable')
  @HttpCode(200)
  @RequirePermission('workflow-rules', 'update')
  enable(@Param('id', new UuidParamPipe()) id: string, @Headers('if-match') ifMatch: string | undefined, @CurrentActor() actor: Actor) {
    return this.bus.call(enableWorkflowRule, { id, expectedVersion: versionFromIfMatch(ifMatch) }, actor);
  }

  @ApiOperation({ operationId: 'disableWorkflowRule', summary: 'Disable a workflow rule: it no longer runs (If-Match: conditional)' })
  @ApiZodResponse(200, disableWorkflowRule.response)
  @Post(':id/disable')
  @HttpCode(200)
  @RequirePermission('workflow-rules', 'update')
  disable(@Param('id', new UuidParamPipe()) id: string, @Headers('if-match') ifMatch: string | undefined, @CurrentActor() actor: Actor) {
    return this.bus.call(disableWorkflowRule, { id, expectedVersion: versionFromIfMatch(ifMatch) }, actor);
  }

  @ApiOperation({ operationId: 'listWorkflowRuleRuns', summary: "A workflow rule's runs, newest first, with each action's step and errors" })
  @ApiZodResponse(200, listWorkflowRuleRuns.response)
  @Get(':id/runs')
  @RequirePermission('workflow-rules', 'read')
  runs(@Param('id', new UuidParamPipe()) id: string, @Query(new ZodValidationPipe(pageQuerySchema)) query: PageQuery, @CurrentActor() actor: Actor) {
    return this.bus.relay(listWorkflowRuleRuns, { id, ...query }, actor);
  }

  /** Writes nothing: the condition evaluated on the sample and the actions the rule would take (for those who design rules). */
  @ApiOperation({ operationId: 'testWorkflowRule', summary: 'Dry-run a workflow rule against a sample event' })
  @ApiZodResponse(200, testWorkflowRule.response)
  @Post(':id/test')
  @HttpCode(200)
  @RequirePermission('workflow-rules', 'update')
  test(
    @Param('id', new UuidParamPipe()) id: string,
    @Body(new ZodValidationPipe(testWorkflowRuleBodySchema)) event: TestWorkflowRuleBody,
    @CurrentActor() actor: Actor,
  ) {
    return this.bus.call(testWorkflowRule, { id, event }, actor, { bodyAt: 'event' });
  }

  @ApiOperation({ operationId: 'deleteWorkflowRule', summary: 'Delete a workflow rule (its runs stay; If-Match: conditional)' })
  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('workflow-rules', 'delete')
  async delete(@Param('id', new UuidParamPipe()) id: string, @Headers('if-match') ifMatch: string | undefined, @CurrentActor() actor: Actor) {
    await this.bus.call(deleteWorkflowRule, { id, expectedVersion: versionFromIfMatch(ifMatch) }, actor);
  }
}
