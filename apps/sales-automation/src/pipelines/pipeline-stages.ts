import { DomainError, Pipeline, PipelineInput } from '@crm/contracts';
import { validationFailed } from '../deals/deal-errors';

/**
 * What an update's stage list means against the pipeline's stages: listed ids are kept (renamed,
 * reordered), new entries are added, unlisted stages are removed. An id of another pipeline is
 * refused naming its field.
 */
export function stageChanges(current: Pipeline, wanted: PipelineInput['stages']): { removed: Pipeline['stages'] } {
  const known = new Set(current.stages.map((s) => s.id));
  const unknown = wanted.findIndex((s) => s.id && !known.has(s.id));
  if (unknown >= 0) throw validationFailed([{ path: `patch.stages.${unknown}.id`, message: 'not a stage of this pipeline' }]);
  const kept = new Set(wanted.map((s) => s.id).filter(Boolean));
  return { removed: current.stages.filter((s) => !kept.has(s.id)) };
}

/** A removed stage that still holds deals: 409 naming it. */
export function stageStillUsed(stage: { id: string; name: string }, deals: number): DomainError {
  return new DomainError('CONFLICT', `Stage "${stage.name}" still has ${deals} deal(s): move its deals first.`, {
    stageId: stage.id,
    stageName: stage.name,
    deals,
  });
}
