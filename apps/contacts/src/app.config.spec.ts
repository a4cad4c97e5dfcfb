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
});
