import type { Actor, EventEnvelope, RpcContract, RpcRequest, RpcResponse } from '@crm/contracts';
import { RpcClient } from '@crm/messaging';
import { deleteTestBus, startTestService, TestEventBus, testBusPrefix, testEnv, TestService, testTokenFor } from '@crm/testing';
import { AppConfig, SERVICE_NAME } from '../app.config';
import { AppModule } from '../app.module';
import { PrismaService } from '../infrastructure/database/prisma.service';

/**
 * The analytics service as main.ts starts it, on bus names of its own, with the shared
 * TestEventBus standing in for the services whose events it projects.
 */
export class AnalyticsTestContext {
  private constructor(
    readonly service: TestService,
    readonly prefix: string,
    readonly bus: TestEventBus,
  ) {}

  static async start(): Promise<AnalyticsTestContext> {
    const prefix = testBusPrefix();
    const service = await startTestService({
      service: SERVICE_NAME,
      loadConfig: (env) => AppConfig.load(env),
      module: (config) => AppModule.register(config),
      env: { BUS_NAME_PREFIX: prefix },
    });
    const bus = await TestEventBus.connect({ rabbitmqUrl: (await testEnv()).rabbitmqUrl, prefix, service: SERVICE_NAME });
    return new AnalyticsTestContext(service, prefix, bus);
  }

  get prisma(): PrismaService {
    return this.service.app.get(PrismaService);
  }

  /** Calls as the gateway does: with a token for `actor` signed by the test key pair the service trusts (none without actor). */
  call<C extends RpcContract>(contract: C, payload: RpcRequest<C>, actor?: Actor): Promise<RpcResponse<C>> {
    return this.service.app.get(RpcClient).call(contract, payload, { token: actor && testTokenFor(actor), timeoutMs: 10_000 });
  }

  /** Publishes the envelopes (in this order, with confirms) and waits until the service has handled each. */
  deliver(...envelopes: EventEnvelope[]): Promise<void> {
    return this.bus.deliver(...envelopes);
  }

  async close(): Promise<void> {
    await this.service.close();
    await this.bus.close();
    await deleteTestBus(this.prefix);
  }
}
