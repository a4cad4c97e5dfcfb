import {
  Actor,
  deletePipeline,
  getPipeline,
  listPipelines,
  moveDeal,
  pipelineCreated,
  pipelineDeleted,
  pipelineUpdated,
  updatePipeline,
  winDeal,
} from '@crm/contracts';
import { DealBuilders, expectRemoteError, failedPaths } from '../testing/deal-builders';
import { SalesAutomationTestContext } from '../testing/sales-automation-test-context';

describe('pipelines', () => {
  let ctx: SalesAutomationTestContext;
  let build: DealBuilders;
  let actor: Actor;

  beforeAll(async () => {
    ctx = await SalesAutomationTestContext.start();
    build = new DealBuilders(ctx);
  });
  afterAll(() => ctx?.close());
  beforeEach(() => {
    actor = build.newActor();
  });

  it("creates pipelines with ordered stages; the tenant's first is the default", async () => {
    const first = await build.newPipeline(actor);
    const second = await build.newPipeline(actor, { name: 'Renewals', stages: [{ name: 'Due', winProbability: 90 }] });
    expect(first).toMatchObject({ name: 'Sales', isDefault: true, version: 1 });
    expect(first.stages.map((s) => [s.name, s.position, s.winProbability])).toEqual([
      ['Qualified', 0, 10],
      ['Proposal', 1, 50],
      ['Negotiation', 2, 80],
    ]);
    expect(second.isDefault).toBe(false);
    expect(await build.call(getPipeline, { id: second.id }, actor)).toEqual(second);

    const page1 = await build.call(listPipelines, { limit: 1 }, actor);
    expect(page1.data.map((p) => p.id)).toEqual([first.id]);
    const page2 = await build.call(listPipelines, { limit: 1, cursor: page1.nextCursor ?? undefined }, actor);
    expect(page2).toEqual({ data: [second], nextCursor: null });
  });

  it('refuses a bad stage naming the field', async () => {
    const error = await expectRemoteError(build.newPipeline(actor, { stages: [{ name: '', winProbability: 101 }] }), 'VALIDATION_FAILED');
    expect(failedPaths(error).sort()).toEqual(['pipeline.stages.0.name', 'pipeline.stages.0.winProbability']);
  });

  it('adds, renames, reorders and removes stages; a stage with deals is removed only once they are moved', async () => {
    const pipeline = await build.newPipeline(actor);
    const [qualified, proposal, negotiation] = pipeline.stages;
    const deal = await build.newDeal(actor, { stageId: proposal.id });

    const conflict = await expectRemoteError(
      build.call(
        updatePipeline,
        {
          id: pipeline.id,
          patch: { stages: [qualified, { ...negotiation, name: 'Negotiating' }].map(({ id, name, winProbability }) => ({ id, name, winProbability })) },
        },
        actor,
      ),
      'CONFLICT',
    );
    expect(conflict.message).toContain('Proposal');
    expect(conflict.message).toContain('move its deals first');

    await build.call(moveDeal, { id: deal.id, stageId: qualified.id }, actor);
    const updated = await build.call(
      updatePipeline,
      {
        id: pipeline.id,
        expectedVersion: 1,
        patch: {
          name: 'New business',
          stages: [
            { id: negotiation.id, name: 'Negotiating', winProbability: 75 },
            { name: 'Contract sent', winProbability: 90 },
            { id: qualified.id, name: 'Qualified', winProbability: 10 },
          ],
        },
      },
      actor,
    );
    expect(updated).toMatchObject({ name: 'New business', version: 2 });
    expect(updated.stages.map((s) => [s.name, s.position])).toEqual([
      ['Negotiating', 0],
      ['Contract sent', 1],
      ['Qualified', 2],
    ]);
    expect(updated.stages[0].id).toBe(negotiation.id);
    await expectRemoteError(build.call(updatePipeline, { id: pipeline.id, expectedVersion: 1, patch: { name: 'x' } }, actor), 'PRECONDITION_FAILED');
    const foreign = await expectRemoteError(
      build.call(updatePipeline, { id: pipeline.id, patch: { stages: [{ id: proposal.id, name: 'Back', winProbability: 1 }] } }, actor),
      'VALIDATION_FAILED',
    );
    expect(failedPaths(foreign)).toEqual(['patch.stages.0.id']);
  });

  it('deletes only a pipeline without open deals, and the default passes on', async () => {
    const first = await build.newPipeline(actor);
    const second = await build.newPipeline(actor, { name: 'Other' });
    const deal = await build.newDeal(actor);
    await expectRemoteError(build.call(deletePipeline, { id: first.id }, actor), 'CONFLICT');
    await build.call(winDeal, { id: deal.id }, actor);
    expect(await build.call(deletePipeline, { id: first.id }, actor)).toEqual({ id: first.id, deleted: true });
    await expectRemoteError(build.call(getPipeline, { id: first.id }, actor), 'NOT_FOUND');
    expect((await build.call(getPipeline, { id: second.id }, actor)).isDefault).toBe(true);
  });

  it('publishes pipeline.created, pipeline.updated and pipeline.deleted; the pipeline that becomes the default is updated too', async () => {
    const first = await build.newPipeline(actor);
    const second = await build.newPipeline(actor, { name: 'Other' });
    expect(await build.outboxEvents(pipelineCreated.name, first.id)).toEqual([expect.objectContaining({ data: { pipeline: first }, entityversion: 1 })]);
    const renamed = await build.call(updatePipeline, { id: first.id, patch: { name: 'Renamed' } }, actor);
    expect(await build.outboxEvents(pipelineUpdated.name, first.id)).toEqual([
      expect.objectContaining({ data: { pipeline: renamed, changed: ['name'] }, entityversion: 2 }),
    ]);
    await build.call(deletePipeline, { id: first.id, expectedVersion: 2 }, actor);
    expect(await build.outboxEvents(pipelineDeleted.name, first.id)).toEqual([
      expect.objectContaining({ data: { pipelineId: first.id, deletedAt: expect.any(String) }, entityversion: 3 }),
    ]);
    const newDefault = await build.call(getPipeline, { id: second.id }, actor);
    expect(newDefault).toMatchObject({ isDefault: true, version: 2 });
    expect(await build.outboxEvents(pipelineUpdated.name, second.id)).toEqual([
      expect.objectContaining({ data: { pipeline: newDefault, changed: ['isDefault'] }, entityversion: 2 }),
    ]);
  });

  it("answers another tenant's pipeline as not found", async () => {
    const pipeline = await build.newPipeline(actor);
    const other = build.newActor();
    await expectRemoteError(build.call(getPipeline, { id: pipeline.id }, other), 'NOT_FOUND');
    await expectRemoteError(build.call(updatePipeline, { id: pipeline.id, patch: { name: 'Mine' } }, other), 'NOT_FOUND');
    expect((await build.call(listPipelines, {}, other)).data).toEqual([]);
  });
});
