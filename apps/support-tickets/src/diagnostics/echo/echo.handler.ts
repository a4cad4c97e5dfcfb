import { Controller } from '@nestjs/common';
import { supportTicketsEcho } from '@crm/contracts';
import { OnRpc } from '@crm/messaging';
import { SERVICE_NAME } from '../../app.config';

/** Answers `support-tickets.diagnostics.echo.v1`: proves the request/reply path end to end (probes, benchmarks). */
@Controller()
export class EchoHandler {
  @OnRpc(supportTicketsEcho, { scope: 'public', why: 'diagnostics: answers the payload it got, reads and writes no data' })
  async echo(request: { payload: string }) {
    return { payload: request.payload, service: SERVICE_NAME };
  }
}
