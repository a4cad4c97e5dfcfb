import { TransactionHost } from '@nestjs-cls/transactional';
import { Kysely } from 'kysely';
import { testKysely } from '@crm/testing';
import type { DB } from '../generated/kysely/database';
import { GatewayTestContext } from '../testing/gateway-test-app';
import { UsersRepository } from './users.repository';

/**
 * The tenant lock goes through the gateway's Kysely Database; it must join the transaction
 * of the admin change, or two admins demoting each other could both win (a race the HTTP spec
 * cannot force every time).
 */
describe('UsersRepository.lockTenant', () => {
  let ctx: GatewayTestContext;
  let observer: Kysely<DB>;

  beforeAll(async () => {
    ctx = await GatewayTestContext.start();
    observer = testKysely<DB>(ctx.config.API_GATEWAY_DATABASE_URL);
  });
  afterAll(async () => {
    await observer?.destroy();
    await ctx?.close();
  });

  /** What another connection meets when it asks for the tenant row's lock without waiting. */
  const tenantRow = (tenantId: string) =>
    observer
      .selectFrom('tenant')
      .select('id')
      .where('id', '=', tenantId)
      .forNoKeyUpdate()
      .noWait()
      .execute()
      .then(
        () => 'free',
        (error: { code?: string }) => (error.code === '55P03' ? 'locked' : Promise.reject(error)),
      );

  it('holds the tenant row until the transaction that took it ends', async () => {
    const { tenant } = await ctx.signup();
    const users = ctx.app.get(UsersRepository);
    let during: string | undefined;

    await ctx.app.get(TransactionHost).withTransaction(async () => {
      await users.lockTenant(tenant.id);
      during = await tenantRow(tenant.id);
    });

    expect({ during, after: await tenantRow(tenant.id) }).toEqual({ during: 'locked', after: 'free' });
  });
});
