import { AppConfig } from './app.config';

describe('contacts config', () => {
  it('requires CONTACTS_CURSOR_SECRET in production, of at least 32 characters', () => {
    expect(() => AppConfig.load({ NODE_ENV: 'production' })).toThrow('CONTACTS_CURSOR_SECRET');
    expect(() => AppConfig.load({ NODE_ENV: 'production', CONTACTS_CURSOR_SECRET: 'short' })).toThrow('CONTACTS_CURSOR_SECRET');
    expect(AppConfig.load({ NODE_ENV: 'production', CONTACTS_CURSOR_SECRET: 'x'.repeat(32) }).CONTACTS_CURSOR_SECRET).toBe('x'.repeat(32));
  });

  it('falls back to the development secret elsewhere', () => {
    expect(AppConfig.load({ NODE_ENV: 'development' }).CONTACTS_CURSOR_SECRET).toBeUndefined();
  });

  it('schedules the purge by a five-field cron in a schema of its own, both configurable', () => {
    expect(AppConfig.load({})).toMatchObject({ CONTACTS_PURGE_CRON: '30 3 * * *', CONTACTS_JOBS_SCHEMA: 'pgboss', CONTACTS_JOBS_ENABLED: true });
    expect(AppConfig.load({ CONTACTS_PURGE_CRON: '0 * * * *', CONTACTS_JOBS_SCHEMA: 'jobs' })).toMatchObject({
      CONTACTS_PURGE_CRON: '0 * * * *',
      CONTACTS_JOBS_SCHEMA: 'jobs',
    });
    expect(() => AppConfig.load({ CONTACTS_PURGE_CRON: 'daily' })).toThrow('CONTACTS_PURGE_CRON');
    expect(() => AppConfig.load({ CONTACTS_JOBS_SCHEMA: 'Drop Table' })).toThrow('CONTACTS_JOBS_SCHEMA');
  });
});
