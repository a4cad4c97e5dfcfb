import { Client } from 'pg';
import { createTestDatabase, TestDatabase } from '@crm/testing';
import type { AppConfig } from '../../app.config';
import { JobScheduler } from './job-scheduler';

jest.setTimeout(90_000);

/** Replicas start together: each sets up pg-boss's queues and schedules in the same database. */
describe('job scheduler, replicas starting at once', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('contacts');
  });
  afterAll(() => db?.drop());

  const schedulerFor = (schema: string) => {
    const config = {
      CONTACTS_DATABASE_URL: db.url,
      CONTACTS_JOBS_ENABLED: true,
      CONTACTS_JOBS_SCHEMA: schema,
      CONTACTS_JOBS_POLL_SECONDS: 30,
      SHUTDOWN_TIMEOUT_MS: 5_000,
    } as unknown as AppConfig;
    const scheduler = new JobScheduler(config);
    for (const name of ['first-job', 'second-job', 'third-job']) scheduler.register({ name, cron: '0 3 * * *', run: async () => undefined });
    return scheduler;
  };

  it('starts every replica, each queue and schedule once, however their set-ups interleave', async () => {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      // Several fresh schemas, three replicas each: before the set-up lock, concurrent
      // create_queue calls deadlocked and a replica died at start.
      for (const schema of ['jobs_race_a', 'jobs_race_b', 'jobs_race_c']) {
        const replicas = [schedulerFor(schema), schedulerFor(schema), schedulerFor(schema)];
        const started = await Promise.allSettled(replicas.map((replica) => replica.onApplicationBootstrap()));
        await Promise.all(replicas.map((replica) => replica.onModuleDestroy()));
        expect(started.map((result) => (result.status === 'rejected' ? String(result.reason) : 'started'))).toEqual(['started', 'started', 'started']);
        const queues = await client.query(`SELECT name FROM ${schema}.queue WHERE left(name, 9) <> '__pgboss_' ORDER BY name`);
        const schedules = await client.query(`SELECT name FROM ${schema}.schedule ORDER BY name`);
        expect(queues.rows.map((row) => row.name)).toEqual(['first-job', 'second-job', 'third-job']);
        expect(schedules.rows.map((row) => row.name)).toEqual(['first-job', 'second-job', 'third-job']);
      }
    } finally {
      await client.end();
    }
  });
});
