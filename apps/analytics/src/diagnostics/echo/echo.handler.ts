import { Controller } from '@nestjs/common';
import { diagnosticsEcho } from '@crm/contracts';
import { OnRpc } from '@crm/messaging';
import { SERVICE_NAME } from '../../app.config';

/** Answers `analytics.diagnostics.echo.v1`: proves the request/reply path end to end (probes, benchmarks). */
@Controller()
export class EchoHandler {
  @OnRpc(diagnosticsEcho(SERVICE_NAME))
  async echo(request: { payload: string }) {
    return { payload: request.payload, service: SERVICE_NAME };
  }
}
