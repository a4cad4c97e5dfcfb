import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { createTestDatabase, testBusPrefix, testEnv, testRedis, workspaceRoot, type TestDatabase } from '../src';

async function query<T = Record<string, unknown>>(url: string, sql: string): Promise<T[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows as T[];
  } finally {
    await c.end();
  }
}

const tablesOf = async (url: string) =>
  (await query<{ t: string }>(url, "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")).map((r) => r.t);

describe('testEnv', () => {
  it('reads the server URLs (env or local defaults)', async () => {
    const env = await testEnv();
    expect(env.postgresUrl).toMatch(/^postgres(ql)?:\/\//);
    expect(env.rabbitmqUrl).toMatch(/^amqps?:\/\//);
    expect(env.redisUrl).toMatch(/^rediss?:\/\//);
    expect(await testEnv()).toBe(env);
  });
});

describe('createTestDatabase', () => {
  const made: TestDatabase[] = [];
  afterAll(async () => Promise.all(made.map((d) => d.drop())));

  it('gives each caller a fresh database migrated with the service migrations', async () => {
    const [a, b] = await Promise.all([createTestDatabase('contacts'), createTestDatabase('contacts')]);
    made.push(a, b);
    expect(a.name).not.toBe(b.name);
    expect(a.url).toContain(`/${a.name}`);
    // The service's own tables and the messaging tables every service has.
    expect(await tablesOf(a.url)).toEqual(expect.arrayContaining(['_prisma_migrations', 'contact', 'inbox_message', 'outbox_message']));
    const applied = await query<{ migration_name: string; finished_at: Date | null }>(a.url, 'SELECT migration_name, finished_at FROM _prisma_migrations');
    expect(applied.length).toBeGreaterThan(0);
    expect(applied.every((m) => m.finished_at)).toBe(true);
    // Isolation: a row in one database is not in the other.
    await query(a.url, "INSERT INTO inbox_message (consumer, event_id, type) VALUES ('c', gen_random_uuid(), 't')");
    expect(await query(b.url, 'SELECT * FROM inbox_message')).toHaveLength(0);
  });

  it('is cheap after the first call (template copy)', async () => {
    await createTestDatabase('analytics').then((d) => made.push(d));
    const started = Date.now();
    const dbs = await Promise.all(Array.from({ length: 5 }, () => createTestDatabase('analytics')));
    made.push(...dbs);
    expect(new Set(dbs.map((d) => d.name)).size).toBe(5);
    // Not a timing assertion of the product: just proof no migrate run happened per copy.
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('accepts a prisma folder path (relative to the workspace, or absolute)', async () => {
    const rel = await createTestDatabase('apps/api-gateway/prisma');
    const abs = await createTestDatabase(join(workspaceRoot(), 'apps/api-gateway/prisma/schema.prisma'));
    made.push(rel, abs);
    expect(await tablesOf(rel.url)).toContain('outbox_message');
    expect(await tablesOf(abs.url)).toContain('inbox_message');
  });

  it('builds a folder without migrations from its schema', async () => {
    const base = join(workspaceRoot(), 'tmp');
    mkdirSync(base, { recursive: true });
    const dir = mkdtempSync(join(base, 'schema-only-'));
    const prismaDir = join(dir, 'prisma');
    mkdirSync(prismaDir);
    writeFileSync(
      join(prismaDir, 'schema.prisma'),
      'datasource db {\n  provider = "postgresql"\n  url      = env("LAB_DATABASE_URL")\n}\n\nmodel Widget {\n  id   Int    @id\n  name String\n\n  @@map("widget")\n}\n',
    );
    try {
      const db = await createTestDatabase(prismaDir);
      made.push(db);
      expect(await tablesOf(db.url)).toEqual(['widget']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('drop() removes the database even with open connections', async () => {
    const db = await createTestDatabase('contacts');
    const open = new Client({ connectionString: db.url });
    await open.connect();
    open.on('error', () => undefined);
    await db.drop();
    const { postgresUrl } = await testEnv();
    expect(await query(postgresUrl, `SELECT 1 FROM pg_database WHERE datname = '${db.name}'`)).toHaveLength(0);
    await open.end().catch(() => undefined);
  });

  it('names an unknown service clearly', async () => {
    await expect(createTestDatabase('no-such-service')).rejects.toThrow(/no-such-service/);
  });
});

describe('testBusPrefix', () => {
  it('is unique and safe for queue and exchange names', () => {
    const prefixes = Array.from({ length: 100 }, () => testBusPrefix());
    expect(new Set(prefixes).size).toBe(100);
    for (const p of prefixes) expect(p).toMatch(/^t[0-9a-f]+\.$/);
  });
});

describe('testRedis', () => {
  it('keeps keys under its own prefix and removes them on cleanup', async () => {
    const a = await testRedis();
    const b = await testRedis();
    expect(a.prefix).not.toBe(b.prefix);
    await a.set('k', 'from-a');
    await b.set('k', 'from-b');
    expect(await a.get('k')).toBe('from-a');
    expect(await b.get('k')).toBe('from-b');
    expect(await a.keys()).toEqual([`${a.prefix}k`]);
    const raw = await a.raw();
    try {
      expect(await raw.get(`${a.prefix}k`)).toBe('from-a');
      await a.cleanup();
      await b.cleanup();
      expect(await raw.exists([`${a.prefix}k`, `${b.prefix}k`])).toBe(0);
    } finally {
      raw.destroy();
    }
  });
});
