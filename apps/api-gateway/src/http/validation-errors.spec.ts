import { Body, Controller, Module, Post } from '@nestjs/common';
import { Actor, defineCommand, parseRequest, validationFailed } from '@crm/contracts';
import { deleteTestBus, startTestResponder, testBusPrefix } from '@crm/testing';
import { z } from 'zod';
import { CurrentActor } from '../authz/current-actor.decorator';
import { RequirePermission } from '../authz/require-permission.decorator';
import { ServiceBus } from '../edge/service-bus';
import { expectProblem, GatewayTestContext, Json, SignedUp } from '../testing/gateway-test-app';
import { ZodValidationPipe } from '@crm/service-kit';

// A record as the HTTP body gives it (the gateway's check) and as the service's contract takes it,
// under `record`, with a rule of its own (a name of at most 8 characters).
const recordBody = z.object({ name: z.string().min(1), emails: z.array(z.object({ address: z.email() })).default([]) });
const saveRecord = defineCommand('contacts.validation-probe.save', 1, {
  request: z.object({ record: recordBody.extend({ name: z.string().max(8) }) }),
  response: z.object({ saved: z.literal(true) }),
});

/** Contacts' side: the contract check at the bus edge, then a rule of the service's own. */
const contactsStandIn = {
  [saveRecord.name]: (payload: unknown) => {
    const { record } = parseRequest(saveRecord, payload);
    if (record.emails.some((email) => email.address.startsWith('taken@'))) {
      throw validationFailed([{ path: 'record.emails.0.address', message: 'is already taken' }]);
    }
    return { saved: true };
  },
};

@Controller('test/validation-probe')
class ValidationProbeController {
  constructor(private readonly bus: ServiceBus) {}

  @Post()
  @RequirePermission('contacts', 'create')
  save(@Body(new ZodValidationPipe(recordBody)) record: z.infer<typeof recordBody>, @CurrentActor() actor: Actor) {
    return this.bus.call(saveRecord, { record }, actor, { bodyAt: 'record' });
  }
}
@Module({ controllers: [ValidationProbeController] })
class ValidationProbeModule {}

/** The members of a 400 and of each invalid field: what a client codes against. */
function shapeOf(problem: Json) {
  return {
    members: Object.keys(problem).sort(),
    type: problem.type,
    detail: problem.detail,
    fields: (problem.errors as Json[]).map((error) => Object.keys(error).filter((key) => key !== 'code')),
    codes: (problem.errors as Json[]).map((error) => typeof (error.code ?? '')),
  };
}

describe('one validation error, whichever edge finds it', () => {
  const prefix = testBusPrefix();
  let ctx: GatewayTestContext;
  let admin: SignedUp;
  let contacts: Awaited<ReturnType<typeof startTestResponder>>;

  beforeAll(async () => {
    ctx = await GatewayTestContext.start({ BUS_NAME_PREFIX: prefix }, [ValidationProbeModule]);
    admin = await ctx.signup();
    contacts = await startTestResponder({ service: 'contacts', busPrefix: prefix, handlers: contactsStandIn });
  });

  afterAll(async () => {
    await contacts?.close();
    await ctx?.close();
    await deleteTestBus(prefix);
  });

  const save = (body: unknown) => ctx.post('/test/validation-probe', body, admin.accessToken);

  it('answers the same problem+json from the gateway, the service contract and a service rule, fields named in the body', async () => {
    const atGateway = await expectProblem(await save({ name: 'Ada', emails: [{ address: 'not an email' }] }), 400);
    const atServiceContract = await expectProblem(await save({ name: 'Ada Lovelace', emails: [] }), 400);
    const byServiceRule = await expectProblem(await save({ name: 'Ada', emails: [{ address: 'taken@example.com' }] }), 400);

    expect(atGateway.errors).toEqual([{ field: 'emails.0.address', message: expect.any(String), code: 'invalid_format' }]);
    expect(atServiceContract.errors).toEqual([{ field: 'name', message: expect.any(String), code: 'too_big' }]);
    expect(byServiceRule.errors).toEqual([{ field: 'emails.0.address', message: 'is already taken' }]);
    expect(shapeOf(atServiceContract)).toEqual(shapeOf(atGateway));
    expect(shapeOf(byServiceRule)).toEqual(shapeOf(atGateway));
    expect(shapeOf(atGateway)).toMatchObject({ type: 'urn:crm:problem:validation-failed', detail: 'The request is invalid.' });
  });

  it('still answers a valid request', async () => {
    const response = await save({ name: 'Ada' });
    expect(response.status).toBe(201);
    await expect(response.json()).resolves.toEqual({ saved: true });
  });
});
