import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { databaseUrlVariable, defaultDatabaseName, defaultDatabaseUrl } from './database-url';
import { envServiceDatabaseUrl } from './service-config';

describe('a service database URL', () => {
  it('defaults to the service development database on the local server', () => {
    expect(defaultDatabaseName('api-gateway')).toBe('crm_api_gateway');
    expect(defaultDatabaseUrl('contacts')).toBe('postgresql://postgres@127.0.0.1:5432/crm_contacts');
  });

  it('is read from <SERVICE>_DATABASE_URL', () => {
    expect(databaseUrlVariable('api-gateway')).toBe('API_GATEWAY_DATABASE_URL');
    expect(databaseUrlVariable('contacts')).toBe('CONTACTS_DATABASE_URL');
  });

  it('is validated with that default when unset, and taken as given when set', () => {
    expect(envServiceDatabaseUrl('analytics').parse(undefined)).toBe('postgresql://postgres@127.0.0.1:5432/crm_analytics');
    expect(envServiceDatabaseUrl('analytics').parse('postgres://db:5432/x')).toBe('postgres://db:5432/x');
    expect(envServiceDatabaseUrl('analytics').safeParse('mysql://db/x').success).toBe(false);
  });

  it('is the same for the database scripts (tools/db, run by plain Node)', () => {
    const env = { ...process.env };
    delete env['API_GATEWAY_DATABASE_URL'];
    const script = "const db = require('./tools/db/lib.js'); console.log(JSON.stringify([db.envVarFor('api-gateway'), db.databaseUrlFor('api-gateway')]))";
    const output = execFileSync(process.execPath, ['-e', script], { cwd: join(__dirname, '../../../..'), env, encoding: 'utf8' });
    expect(JSON.parse(output)).toEqual(['API_GATEWAY_DATABASE_URL', defaultDatabaseUrl('api-gateway')]);
  });
});
