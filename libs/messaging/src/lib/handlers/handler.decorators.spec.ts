import { Controller, Module } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { z } from 'zod';
import { defineCommand, defineEvent, defineQuery, EventEnvelope, RpcRequest } from '@crm/contracts';
import { handlerGuardingProblems, messageHandlersOf } from './handler-catalog';
import { OnEvent, OnRpc } from './handler.decorators';
import { RpcCallContext, TenantCallContext } from './rpc-call-context';

// Contracts of a made-up `typed` service. The @ts-expect-error cases below are checked by tsc
// (the typecheck target compiles specs): each fails to compile if the mismatch is ever allowed.
const renameThing = defineCommand('typed.thing.rename', 1, {
  request: z.object({ id: z.string(), name: z.string() }),
  response: z.object({ id: z.string(), version: z.number() }),
});
const countThings = defineQuery('typed.thing.count', 1, { request: z.object({}), response: z.object({ count: z.number() }) });
const thingRenamed = defineEvent('typed.thing.renamed', 1, z.object({ id: z.string(), name: z.string() }));

@Controller()
class WellTypedHandlers {
  @OnRpc(renameThing, { scope: 'tenant' })
  rename(request: RpcRequest<typeof renameThing>, { tenantId }: TenantCallContext) {
    return Promise.resolve({ id: `${tenantId}/${request.id}`, version: 1 });
  }

  // Taking less than the contract gives is fine (a handler may ignore the request).
  @OnRpc(countThings, { scope: 'public', why: 'counts nothing of a tenant' })
  count() {
    return { count: 0 };
  }

  @OnEvent(thingRenamed, { scope: 'tenant' })
  async onRenamed(data: { id: string }, envelope: EventEnvelope) {
    void data.id;
    void envelope.tenantid;
  }
}

@Controller()
class MistypedHandlers {
  // @ts-expect-error the request is another contract's
  @OnRpc(renameThing, { scope: 'tenant' })
  wrongRequest(request: { count: number }) {
    return { id: String(request.count), version: 1 };
  }

  // @ts-expect-error the response misses `version`
  @OnRpc(renameThing, { scope: 'tenant' })
  wrongResponse(request: RpcRequest<typeof renameThing>) {
    return Promise.resolve({ id: request.id });
  }

  // @ts-expect-error a public handler gets no tenant: it cannot ask for a TenantCallContext
  @OnRpc(countThings, { scope: 'public', why: 'diagnostics' })
  publicWantsTenant(_request: unknown, { tenantId }: TenantCallContext) {
    return { count: tenantId.length };
  }

  // @ts-expect-error the event's data has no `count`
  @OnEvent(thingRenamed, { scope: 'tenant' })
  async wrongEventData(data: { count: number }) {
    void data.count;
  }

  // @ts-expect-error an event handler returns nothing
  @OnEvent(thingRenamed, { scope: 'tenant' })
  async eventReturnsValue() {
    return 42;
  }

  // @ts-expect-error every handler declares its scope
  @OnRpc(countThings)
  noScope(_request: unknown, context: RpcCallContext) {
    return { count: context.type.length };
  }
}

@Controller()
class BarePattern {
  @MessagePattern('typed.thing.bare.v1')
  bare() {
    return {};
  }
}

@Module({ controllers: [WellTypedHandlers] })
class FeatureModule {}
@Module({ imports: [FeatureModule] })
class TypedApp {}

const contracts = [renameThing, countThings, thingRenamed];

describe('message handler decorators', () => {
  it('record each handler with its contract and scope, found through the module tree', () => {
    expect(messageHandlersOf(TypedApp)).toEqual([
      { handler: 'WellTypedHandlers.rename', kind: 'rpc', contract: renameThing, scope: { scope: 'tenant' } },
      { handler: 'WellTypedHandlers.count', kind: 'rpc', contract: countThings, scope: { scope: 'public', why: 'counts nothing of a tenant' } },
      { handler: 'WellTypedHandlers.onRenamed', kind: 'event', contract: thingRenamed, scope: { scope: 'tenant' } },
    ]);
  });

  it('pass the guarding rules when every owned contract has one handler and only the allow-listed one is public', () => {
    const publicHandlers = { [countThings.name]: 'counts nothing of a tenant' };
    expect(handlerGuardingProblems(messageHandlersOf(TypedApp), { service: 'typed', contracts, publicHandlers })).toEqual([]);
  });

  it('fail the guarding rules on a missing or doubled handler, an unlisted public one, no scope, or a bare pattern', () => {
    const handlers = messageHandlersOf({ module: TypedApp, controllers: [MistypedHandlers, BarePattern] });
    const problems = handlerGuardingProblems(handlers, { service: 'typed', contracts, publicHandlers: {} });
    expect(problems).toEqual(
      expect.arrayContaining([
        'typed.thing.rename.v1: 3 handlers (a contract typed owns needs exactly one)',
        'WellTypedHandlers.count: is public (counts nothing of a tenant) but not allow-listed',
        'MistypedHandlers.noScope: declares no scope',
        'MistypedHandlers.wrongEventData: typed.thing.renamed.v1 is handled more than once',
        'BarePattern.bare: a message pattern without @OnRpc / @OnEvent (no contract, no scope)',
      ]),
    );
    const withoutCount = handlers.filter((h) => h.contract !== countThings);
    expect(handlerGuardingProblems(withoutCount, { service: 'typed', contracts, publicHandlers: {} })).toContain(
      'typed.thing.count.v1: 0 handlers (a contract typed owns needs exactly one)',
    );
  });
});
