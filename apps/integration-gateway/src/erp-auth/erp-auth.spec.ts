import { integrationGatewayEcho } from '@crm/contracts';
import { testToken } from '@crm/testing';
import { IntegrationGatewayTestContext } from '../testing/integration-gateway-test-context';
import { ErpBus } from './erp-bus';
import { ErpTokens } from './erp-tokens';

/** The integration gateway's own tokens: access tokens for ERP clients, call tokens services verify. */
describe('ERP client tokens', () => {
  let ctx: IntegrationGatewayTestContext;

  beforeAll(async () => {
    ctx = await IntegrationGatewayTestContext.start();
  });
  afterAll(() => ctx?.close());

  it('publishes its public key at /.well-known/jwks.json without a token', async () => {
    const response = await fetch(`${ctx.url}/.well-known/jwks.json`);
    expect(response.status).toBe(200);
    const { keys } = (await response.json()) as { keys: { kty: string; alg: string; kid: string }[] };
    expect(keys).toEqual([expect.objectContaining({ kty: 'RSA', alg: 'RS256', kid: expect.any(String) })]);
  });

  it('reads back the client and its scopes from an access token, and refuses altered or foreign tokens', async () => {
    const tokens = ctx.service.app.get(ErpTokens);
    const client = ctx.newClient({ scopes: ['contacts:write', 'changes:read'] });
    const { access_token, scope, expires_in } = await tokens.issueAccessToken(client);
    expect({ scope, expires_in }).toEqual({ scope: 'contacts:write changes:read', expires_in: 900 });
    await expect(tokens.verifyAccessToken(access_token)).resolves.toEqual(client);
    const [header, payload, signature] = access_token.split('.');
    const widened = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), scope: 'webhooks:manage' })).toString('base64url');
    await expect(tokens.verifyAccessToken(`${header}.${widened}.${signature}`)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    // A user's access token of the API gateway is no ERP token (another issuer, audience and type).
    await expect(tokens.verifyAccessToken(testToken({ tenantId: client.tenantId, userId: client.clientId, roles: ['admin'] }))).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });

  it("calls services for a client with a call token they verify against the gateway's key", async () => {
    const reply = await ctx.service.app.get(ErpBus).call(integrationGatewayEcho, { payload: 'erp' }, ctx.newClient());
    expect(reply).toEqual({ payload: 'erp', service: 'integration-gateway' });
  });
});
