import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { createSequence, RpcRequest, Sequence, sequenceCreated } from '@crm/contracts';
import { EventPublisher } from '@crm/messaging';
import { Transactional } from '@nestjs-cls/transactional';
import { definitionProblems, templateIdsOf } from '../definition/sequence-definition.check';
import { validationFailed } from '../sequence-errors';
import { toSequence } from '../sequence.mapper';
import { SequenceRepository } from '../sequence.repository';

/** A new sequence at definition version 1, checked beyond its shape (time zone, branches, templates), naming `sequence.<path>`. */
@Injectable()
export class CreateSequenceService {
  constructor(
    private readonly repository: SequenceRepository,
    private readonly events: EventPublisher,
  ) {}

  @Transactional()
  async create(tenantId: string, { sequence: input }: RpcRequest<typeof createSequence>): Promise<Sequence> {
    const missing = await this.repository.missingTemplates(tenantId, templateIdsOf(input.steps));
    const problems = definitionProblems(input, missing, 'sequence.');
    if (problems.length) throw validationFailed(problems);
    const id = randomUUID();
    await this.repository.insert(
      tenantId,
      { id, name: input.name, enabled: input.enabled, timeZone: input.timeZone },
      { steps: input.steps, exitOn: input.exitOn },
    );
    const sequence = toSequence((await this.repository.findLive(tenantId, id))!);
    await this.events.publish(sequenceCreated, { sequence }, { tenantId, subject: id, entityVersion: sequence.version });
    return sequence;
  }
}
