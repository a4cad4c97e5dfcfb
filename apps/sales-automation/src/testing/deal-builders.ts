import { randomUUID } from 'node:crypto';
import { Actor, createDeal, createPipeline, Deal, DealInput, fieldErrorsOf, Pipeline, PipelineInput, RpcContract, RpcResponse } from '@crm/contracts';
import { RemoteError } from '@crm/messaging';
import type { z } from 'zod';
import { SalesAutomationTestContext } from './sales-automation-test-context';

/** Builders of pipelines and deals over the bus, as the gateway calls (each actor an admin of a fresh tenant unless told). */
export class DealBuilders {
  constructor(private readonly ctx: SalesAutomationTestContext) {}

  newActor(tenantId: string = randomUUID(), roles: Actor['roles'] = ['admin']): Actor {
    return { tenantId, userId: randomUUID(), roles };
  }

  call<C extends RpcContract>(contract: C, payload: z.input<C['request']>, actor: Actor): Promise<RpcResponse<C>> {
    return this.ctx.call(contract, payload as never, actor);
  }

  newPipeline(actor: Actor, input: Partial<PipelineInput> = {}): Promise<Pipeline> {
    return this.call(
      createPipeline,
      {
        pipeline: {
          name: 'Sales',
          stages: [
            { name: 'Qualified', winProbability: 10 },
            { name: 'Proposal', winProbability: 50 },
            { name: 'Negotiation', winProbability: 80 },
          ],
          ...input,
        },
      },
      actor,
    );
  }

  newDeal(actor: Actor, input: Partial<DealInput> = {}): Promise<Deal> {
    return this.call(createDeal, { deal: { title: 'Big deal', currency: 'EUR', amountMinor: 100_00, ...input } }, actor);
  }

  /** The events of a type about a subject, as the service wrote them to its outbox (in order). */
  async outboxEvents(type: string, subject: string): Promise<{ data: unknown }[]> {
    const rows = await this.ctx.database
      .selectFrom('outbox_message')
      .select('envelope')
      .where('type', '=', type)
      .where('subject', '=', subject)
      .orderBy('seq')
      .execute();
    return rows.map((r) => r.envelope as { data: unknown });
  }
}

/** The RemoteError with `code` the call fails with (throws otherwise; no `expect` here: the app's tsconfig compiles this folder too). */
export async function expectRemoteError(call: Promise<unknown>, code: string): Promise<RemoteError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof RemoteError)) throw new Error(`expected a ${code} RemoteError, got ${error === undefined ? 'success' : String(error)}`);
  if (error.code !== code) throw new Error(`expected ${code}, got ${error.code}: ${error.message}`);
  return error;
}

/** The fields a VALIDATION_FAILED reply names. */
export function failedPaths(error: RemoteError): string[] {
  return fieldErrorsOf(error.details).map((issue) => issue.field);
}
