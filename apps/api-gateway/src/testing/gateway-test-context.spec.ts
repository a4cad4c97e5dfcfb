import { defaultDatabaseUrl } from '@crm/config';
import { testKysely } from '@crm/testing';
import { SERVICE_NAME } from '../app.config';
import type { DB } from '../generated/kysely/database';
import { GatewayTestContext } from './gateway-test-app';

/** Users with this email in the database at `url` (none when the database does not exist, as on a fresh CI server). */
async function usersWithEmail(url: string, email: string): Promise<number> {
  const db = testKysely<DB>(url);
  try {
    return (await db.selectFrom('app_user').select('id').where('email', '=', email).execute()).length;
  } catch (error) {
    if ((error as { code?: string }).code === '3D000') return 0;
    throw error;
  } finally {
    await db.destroy();
  }
}

/**
 * The gateway's specs once wrote their users into the development database: its Prisma client
 * read the environment while the test context gave its throwaway database to the config only.
 */
describe('GatewayTestContext', () => {
  it('writes what a spec does into its own database, and nothing into the development database', async () => {
    const ctx = await GatewayTestContext.start();
    try {
      const { email } = await ctx.signup();
      expect(ctx.config.API_GATEWAY_DATABASE_URL).not.toBe(defaultDatabaseUrl(SERVICE_NAME));
      expect(await usersWithEmail(ctx.config.API_GATEWAY_DATABASE_URL, email)).toBe(1);
      expect(await usersWithEmail(defaultDatabaseUrl(SERVICE_NAME), email)).toBe(0);
    } finally {
      await ctx.close();
    }
  });

  it('refuses to start on the development database', async () => {
    await expect(GatewayTestContext.start({ API_GATEWAY_DATABASE_URL: defaultDatabaseUrl(SERVICE_NAME) })).rejects.toThrow(
      /development database crm_api_gateway/,
    );
  });
});
