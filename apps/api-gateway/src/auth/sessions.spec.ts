import { expectProblem, GatewayTestContext, Json } from '../testing/gateway-test-app';
import { IdentityRepository } from './identity/identity.repository';

/**
 * Defects 4 and 5 of issue 9: a logged-out session stayed renewable for 30 days, and two
 * concurrent refreshes with one token could leave the winner's new token valid after its family
 * was revoked.
 */
describe('sessions end for real', () => {
  let ctx: GatewayTestContext;

  beforeAll(async () => {
    ctx = await GatewayTestContext.start({ AUTH_LOGIN_MAX_FAILURES_PER_IP: '10000' });
  });

  afterAll(() => ctx?.close());

  const refresh = (refreshToken: string) => ctx.post('/api/v1/auth/refresh', { refreshToken });
  const claimsOf = (token: string): Json => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());

  describe('logout (defect 4)', () => {
    it('ends the session: its refresh token is refused, and so is every access token of the session', async () => {
      const { email, password } = await ctx.signup();
      const session = await ctx.login(email, password);
      const other = await ctx.login(email, password);
      expect(claimsOf(session.accessToken).sid).toEqual(expect.any(String));
      expect(claimsOf(session.accessToken).sid).not.toEqual(claimsOf(other.accessToken).sid);
      // A token of the same session issued by a refresh, before the logout.
      const renewed = (await (await refresh(session.refreshToken)).json()) as Json;
      expect(claimsOf(renewed.accessToken).sid).toBe(claimsOf(session.accessToken).sid);

      expect((await ctx.post('/api/v1/auth/logout', undefined, renewed.accessToken)).status).toBe(204);
      await expectProblem(await refresh(renewed.refreshToken), 401);
      await expectProblem(await ctx.get('/api/v1/auth/me', renewed.accessToken), 401);
      await expectProblem(await ctx.get('/api/v1/auth/me', session.accessToken), 401);
      // Another session of the same user lives on.
      expect((await ctx.get('/api/v1/auth/me', other.accessToken)).status).toBe(200);
      expect((await refresh(other.refreshToken)).status).toBe(200);
    });

    it('logout-all from one session kills every session: access and refresh tokens; a new login works', async () => {
      const { email, password } = await ctx.signup();
      const first = await ctx.login(email, password);
      const second = await ctx.login(email, password);
      expect((await ctx.post('/api/v1/auth/logout-all', undefined, first.accessToken)).status).toBe(204);
      for (const session of [first, second]) {
        await expectProblem(await ctx.get('/api/v1/auth/me', session.accessToken), 401);
        await expectProblem(await refresh(session.refreshToken), 401);
      }
      const again = await ctx.login(email, password);
      expect((await ctx.get('/api/v1/auth/me', again.accessToken)).status).toBe(200);
      expect((await refresh(again.refreshToken)).status).toBe(200);
    });

    it("logs out only the caller's own session, never another user's", async () => {
      const alice = await ctx.signup();
      const bob = await ctx.signup();
      expect((await ctx.post('/api/v1/auth/logout-all', undefined, alice.accessToken)).status).toBe(204);
      expect((await ctx.get('/api/v1/auth/me', bob.accessToken)).status).toBe(200);
      expect((await refresh(bob.refreshToken)).status).toBe(200);
    });
  });

  describe('refresh-token reuse under concurrency (defect 5)', () => {
    it('lets at most one of 10 concurrent refreshes with one token succeed, and none of the issued tokens refreshes after the reuse', async () => {
      const { email, password } = await ctx.signup();
      for (let round = 0; round < 8; round++) {
        const session = await ctx.login(email, password);
        const responses = await Promise.all(Array.from({ length: 10 }, () => refresh(session.refreshToken)));
        const winners = responses.filter((r) => r.status === 200);
        expect(winners.length).toBeLessThanOrEqual(1);
        expect(responses.filter((r) => r.status !== 200 && r.status !== 401)).toEqual([]);
        const issued = (await Promise.all(winners.map((r) => r.json()))) as Json[];
        for (const pair of issued) {
          await expectProblem(await refresh(pair.refreshToken), 401);
          await expectProblem(await ctx.get('/api/v1/auth/me', pair.accessToken), 401);
        }
        await expectProblem(await refresh(session.refreshToken), 401);
      }
    });

    it("refuses the winner's new token even when the reuse is detected while the winner is still issuing it", async () => {
      const { email, password } = await ctx.signup();
      const session = await ctx.login(email, password);
      // The winner loads its user after spending the token: hold it there while the others arrive.
      const identity = ctx.app.get(IdentityRepository);
      const findUser = identity.findUser.bind(identity);
      const spy = jest.spyOn(identity, 'findUser').mockImplementationOnce(async (id) => {
        await new Promise((resolve) => setTimeout(resolve, 500));
        return findUser(id);
      });
      try {
        const responses = await Promise.all(Array.from({ length: 10 }, () => refresh(session.refreshToken)));
        const winners = responses.filter((r) => r.status === 200);
        expect(winners.length).toBeLessThanOrEqual(1);
        for (const pair of (await Promise.all(winners.map((r) => r.json()))) as Json[]) {
          await expectProblem(await refresh(pair.refreshToken), 401);
        }
      } finally {
        spy.mockRestore();
      }
    });

    it('refuses an unused token of a family revoked by a reuse', async () => {
      const { email, password } = await ctx.signup();
      const session = await ctx.login(email, password);
      const next = (await (await refresh(session.refreshToken)).json()) as Json;
      await expectProblem(await refresh(session.refreshToken), 401); // reuse: the family is revoked
      await expectProblem(await refresh(next.refreshToken), 401); // unused, but of a revoked family
      await expectProblem(await ctx.get('/api/v1/auth/me', next.accessToken), 401);
    });
  });
});
