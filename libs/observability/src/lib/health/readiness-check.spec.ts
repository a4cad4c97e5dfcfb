import { Pool } from 'pg';
import { createClient } from 'redis';
import { brokerCheck, postgresCheck, redisCheck } from './readiness-check';

// Real servers on their default local ports (see the README's "Run" section).
const POSTGRES_URL = process.env['TEST_POSTGRES_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

describe('postgresCheck', () => {
  it('passes against a running Postgres', async () => {
    const pool = new Pool({ connectionString: POSTGRES_URL });
    try {
      await expect(postgresCheck(() => pool.query('SELECT 1')).check()).resolves.toBeUndefined();
    } finally {
      await pool.end();
    }
  });

  it('fails when Postgres is unreachable', async () => {
    const pool = new Pool({
      connectionString: 'postgresql://postgres@127.0.0.1:1/postgres',
      connectionTimeoutMillis: 1000,
    });
    try {
      await expect(postgresCheck(() => pool.query('SELECT 1')).check()).rejects.toThrow();
    } finally {
      await pool.end();
    }
  });
});

describe('redisCheck', () => {
  it('passes against a running Redis', async () => {
    const redis = await createClient({ url: REDIS_URL }).connect();
    try {
      await expect(redisCheck(redis).check()).resolves.toBeUndefined();
    } finally {
      redis.destroy();
    }
  });

  it('fails at once when there is no connection', async () => {
    // Never connected (nothing listens on port 1): no command is sent at all.
    const redis = createClient({ url: 'redis://127.0.0.1:1' });
    await expect(redisCheck(redis).check()).rejects.toThrow('connection is not ready');
  });
});

describe('brokerCheck', () => {
  it('follows the connection flag', async () => {
    await expect(brokerCheck(() => true).check()).resolves.toBeUndefined();
    await expect(brokerCheck(() => false).check()).rejects.toThrow('not connected');
  });
});
