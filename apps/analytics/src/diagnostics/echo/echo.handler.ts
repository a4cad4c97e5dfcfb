import { Controller } from '@nestjs/common';
import { diagnosticsEcho, RpcRequest } from '@crm/contracts';
import { OnRpc } from '@crm/messaging';
import { SERVICE_NAME } from '../../app.config';

/** Answers `analytics.diagnostics.echo.v1`: proves the request/reply path end to end (probes, benchmarks). */
@Controller()
export class EchoHandler {
  @OnRpc(diagnosticsEcho(SERVICE_NAME), { scope: 'public', why: 'diagnostics: answers the payload it got, reads and writes no data' })
  async echo({ payload }: RpcRequest<ReturnType<typeof diagnosticsEcho>>) {
    return { payload, service: SERVICE_NAME };
  }
}
