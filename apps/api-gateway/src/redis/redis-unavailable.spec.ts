import { HoldingProxy, testEnv } from '@crm/testing';
import { expectProblem, GatewayTestContext } from '../testing/gateway-test-app';

/**
 * The gateway's Redis stops answering with its connection open (its answers held back by a
 * proxy): a signed-in request cannot have its token's revocation checked, nor a sign-in attempt be
 * counted, so both are refused with 503 and Retry-After at GATEWAY_REDIS_DEADLINE_MS, instead of
 * waiting forever or answering 500.
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

  it('refuses a sign-in with 503 while Redis does not answer (its attempt cannot be counted), and signs in once it does', async () => {
    const { email, password } = await ctx.signup();

    proxy.hold();
    const refused = await ctx.post('/api/v1/auth/login', { email, password });
    proxy.release();
    const body = await expectProblem(refused, 503);
    expect(body['type']).toBe('urn:crm:problem:service-unavailable');
    expect(refused.headers.get('retry-after')).toBe('5');

    expect((await ctx.post('/api/v1/auth/login', { email, password })).status).toBe(200);
  });
});
