import { generateKeyPairSync } from 'node:crypto';
import { AppConfig } from './app.config';

const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = {
  AUTH_JWT_PRIVATE_KEY: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  AUTH_JWT_PUBLIC_KEY: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
};

function loadError(env: Record<string, string>): string {
  try {
    AppConfig.load(env);
  } catch (error) {
    return (error as Error).message;
  }
  return '';
}

describe('api-gateway configuration', () => {
  it('refuses to start in production without a configured key pair', () => {
    expect(loadError({ NODE_ENV: 'production' })).toMatch(/AUTH_JWT_PRIVATE_KEY: is required/);
  });

  it('accepts production with both keys, and development without any (a generated pair)', () => {
    expect(AppConfig.load({ NODE_ENV: 'production', ...pem }).AUTH_JWT_PUBLIC_KEY).toContain('BEGIN PUBLIC KEY');
    expect(AppConfig.load({ NODE_ENV: 'development' }).AUTH_JWT_PRIVATE_KEY).toBeUndefined();
  });

  it('refuses one key without the other', () => {
    expect(loadError({ AUTH_JWT_PRIVATE_KEY: pem.AUTH_JWT_PRIVATE_KEY })).toMatch(/AUTH_JWT_PUBLIC_KEY: is required/);
  });
});
