import { randomUUID } from 'node:crypto';
import { Actor, createProduct, fieldErrorsOf, Order, OrderInput, Product, ProductInput, recordOrder, RpcContract, RpcResponse } from '@crm/contracts';
import { RemoteError, RpcClient } from '@crm/messaging';
import { testTokenFor } from '@crm/testing';
import { z } from 'zod';
import { SalesAutomationTestContext } from './sales-automation-test-context';

/** Builders of products and orders over the bus, as the gateway calls (each actor an admin of a fresh tenant unless told). */
export class OrderBuilders {
  private counter = 0;

  constructor(private readonly ctx: SalesAutomationTestContext) {}

  newActor(tenantId: string = randomUUID(), roles: Actor['roles'] = ['admin']): Actor {
    return { tenantId, userId: randomUUID(), roles };
  }

  call<C extends RpcContract>(contract: C, payload: z.input<C['request']>, actor: Actor): Promise<RpcResponse<C>> {
    return this.ctx.call(contract, payload as never, actor);
  }

  /** Sends a payload as is: the client's own contract check is skipped, so the service's is what answers. */
  callUnchecked(contract: RpcContract, payload: unknown, actor: Actor): Promise<unknown> {
    return this.ctx.service.app.get(RpcClient).call({ ...contract, request: z.unknown() }, payload, { token: testTokenFor(actor), timeoutMs: 10_000 });
  }

  newProduct(actor: Actor, input: Partial<ProductInput> = {}): Promise<Product> {
    const n = ++this.counter;
    return this.call(createProduct, { product: { sku: `SKU-${n}`, name: `Product ${n}`, unitPriceMinor: 10_00, currency: 'EUR', ...input } }, actor);
  }

  /** An order of a new contact with one free line unless told otherwise. */
  newOrder(actor: Actor, input: Partial<OrderInput> = {}): Promise<Order> {
    return this.call(
      recordOrder,
      {
        order: {
          contactId: randomUUID(),
          currency: 'EUR',
          purchasedAt: '2026-11-20T10:00:00.000Z',
          lines: [{ name: 'Service hour', quantity: 1, unitPriceMinor: 50_00 }],
          ...input,
        },
      },
      actor,
    );
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

export async function expectOrderError(call: Promise<unknown>, code: string): Promise<RemoteError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RemoteError);
  expect((error as RemoteError).code).toBe(code);
  return error as RemoteError;
}

/** The fields an error reply names (VALIDATION_FAILED, or a 409 naming its field). */
export function namedFields(error: RemoteError): string[] {
  return [...new Set(fieldErrorsOf(error.details).map((issue) => issue.field))];
}
