import { Injectable } from '@nestjs/common';
import { Actor, diagnosticsEcho, DomainError } from '@crm/contracts';
import { ServiceBus } from '../../edge/service-bus';
import { isKnownService } from '../../edge/services';

@Injectable()
export class EchoService {
  constructor(private readonly bus: ServiceBus) {}

  /** Round trip to one service over the bus: proves the gateway reaches it (probes, benchmarks). */
  echo(service: string, payload: string, actor: Actor) {
    if (!isKnownService(service)) throw new DomainError('NOT_FOUND', `There is no service named "${service}".`);
    return this.bus.call(diagnosticsEcho(service), { payload }, actor);
  }
}
