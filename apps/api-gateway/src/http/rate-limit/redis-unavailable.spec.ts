import { HoldingProxy, testEnv } from '@crm/testing';
import { expectProblem, GatewayTestContext } from '../../testing/gateway-test-app';

/**
 * The gateway's Redis stops answering with its connection open (its answers held back by a
 * proxy): a signed-in request cannot have its token's revocation checked, so it is refused with
 * 503 and Retry-After at GATEWAY_REDIS_DEADLINE_MS, instead of waiting forever or answering 500.
 */
describe('Gateway when Redis hangs', () => {
  let proxy: HoldingProxy;
  let ctx: GatewayTestContext;

  beforeAll(async () => {
    proxy = new HoldingProxy(new URL((await testEnv()).redisUrl));
    ctx = await GatewayTestContext.start({ REDIS_URL: await proxy.listen(), GATEWAY_REDIS_DEADLINE_MS: '300' });
  });

  afterAll(async () => {
    proxy?.release();
    await ctx?.close();
    await proxy?.close();
  });

  it('answers 503 with Retry-After while Redis does not answer, and serves again once it does', async () => {
    const { accessToken } = await ctx.signup();
    expect((await ctx.get('/api/v1/auth/me', accessToken)).status).toBe(200);

    proxy.hold();
    const refused = await ctx.get('/api/v1/auth/me', accessToken);
    const body = await expectProblem(refused, 503);
    expect(body['type']).toBe('urn:crm:problem:service-unavailable');
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(JSON.stringify(body)).not.toMatch(/redis/i);

    proxy.release();
    expect((await ctx.get('/api/v1/auth/me', accessToken)).status).toBe(200);
  });
});
