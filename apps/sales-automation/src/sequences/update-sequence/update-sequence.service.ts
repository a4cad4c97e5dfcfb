import { isDeepStrictEqual } from 'node:util';
import { Injectable } from '@nestjs/common';
import { RpcRequest, Sequence, sequenceUpdated, updateSequence } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { definitionProblems, templateIdsOf } from '../definition/sequence-definition.check';
import { changedMeanwhile, checkVersion, sequenceNotFound, validationFailed } from '../sequence-errors';
import { SequenceWithDefinition, toSequence } from '../sequence.mapper';
import { SequenceRepository } from '../sequence.repository';

const DEFINITION = ['steps', 'exitOn'] as const;

/**
 * Patch semantics (absent fields stay). Changed steps or exit conditions make the next definition
 * version, which new enrolments get; running enrolments keep theirs (their step indexes stay
 * meaningful). A patch that changes nothing answers the sequence as it is (no event).
 */
@Injectable()
export class UpdateSequenceService {
  constructor(
    private readonly repository: SequenceRepository,
    private readonly events: EventPublisher,
  ) {}

  @Transactional()
  async update(tenantId: string, { id, expectedVersion, patch }: RpcRequest<typeof updateSequence>): Promise<Sequence> {
    const row = await this.repository.findLive(tenantId, id);
    if (!row) throw sequenceNotFound(id);
    const before = toSequence(row);
    checkVersion(expectedVersion, before.version);
    const missing = await this.repository.missingTemplates(tenantId, templateIdsOf(patch.steps));
    const problems = definitionProblems(patch, missing, 'patch.');
    if (problems.length) throw validationFailed(problems);
    const next = { ...before, ...Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) } as Sequence;
    const changed = (['name', 'enabled', 'timeZone', ...DEFINITION] as const).filter((field) => !isDeepStrictEqual(next[field], before[field]));
    if (!changed.length) return before;
    const newDefinition = changed.some((field) => (DEFINITION as readonly string[]).includes(field));
    const currentVersion = newDefinition ? before.currentVersion + 1 : before.currentVersion;
    if (newDefinition) await this.repository.insertVersion(tenantId, id, currentVersion, { steps: next.steps, exitOn: next.exitOn });
    const updated = await this.repository.update(tenantId, id, before.version, {
      name: next.name,
      enabled: next.enabled,
      time_zone: next.timeZone,
      current_version: currentVersion,
    });
    if (!updated) throw changedMeanwhile();
    const sequence = toSequence({ ...updated, steps: next.steps, exit_on: next.exitOn } as SequenceWithDefinition);
    await this.events.publish(sequenceUpdated, { sequence, changed }, { tenantId, subject: id, entityVersion: sequence.version });
    return sequence;
  }
}
