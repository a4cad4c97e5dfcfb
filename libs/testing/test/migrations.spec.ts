import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { createEmptyTestDatabase, createTestDatabase, resolvePrismaFolder, schemaScript, testEnv, workspaceRoot, type TestDatabase } from '../src';

const root = workspaceRoot();
const services = readdirSync(join(root, 'apps')).filter((s) => existsSync(join(root, 'apps', s, 'prisma', 'schema.prisma')));

function pgDumpSchema(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'pg_dump',
      ['--schema-only', '--no-owner', '--no-privileges', '--exclude-table=public._prisma_migrations', '-d', url],
      { maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => (err ? reject(new Error(`pg_dump failed: ${stderr}`)) : resolve(stdout)),
    );
  });
}

/** pg_dump output without comments, blank lines and session settings that name the database. */
const normalise = (dump: string) =>
  dump
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('--') && !/^\\(un)?restrict /.test(l))
    .join('\n');

describe('migrations give exactly the schema of schema.prisma', () => {
  const made: TestDatabase[] = [];
  afterAll(async () => Promise.all(made.map((d) => d.drop())));

  it('finds the services', () => {
    expect(services).toEqual(expect.arrayContaining(['api-gateway', 'contacts', 'analytics']));
  });

  it.each(services)('%s', async (svc) => {
    const folder = resolvePrismaFolder(svc);
    expect(folder.migrations.length).toBeGreaterThan(0);
    const fromMigrations = await createTestDatabase(svc);
    made.push(fromMigrations);
    const fromSchema = await createEmptyTestDatabase({ key: `${folder.key}_schema` });
    made.push(fromSchema);
    const sql = await schemaScript(folder, (await testEnv()).postgresUrl);
    const c = new Client({ connectionString: fromSchema.url });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
    const [a, b] = await Promise.all([pgDumpSchema(fromMigrations.url), pgDumpSchema(fromSchema.url)]);
    expect(normalise(a)).toEqual(normalise(b));
  });
});

/** `model X { ... }` blocks of a schema, by name, whitespace-normalised. */
function models(schema: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of schema.matchAll(/^model\s+(\w+)\s*\{[\s\S]*?^\}/gm)) {
    const body = m[0]
      .split('\n')
      .map((l) =>
        l
          .replace(/\/\/.*$/, '')
          .trim()
          .replace(/\s+/g, ' '),
      )
      .filter(Boolean)
      .join('\n');
    out.set(m[1], body);
  }
  return out;
}

describe('messaging tables are verbatim copies of libs/messaging/prisma/messaging.prisma', () => {
  const reference = models(readFileSync(join(root, 'libs/messaging/prisma/messaging.prisma'), 'utf8'));

  it('reference has OutboxMessage, InboxMessage and CommandInbox', () => {
    expect([...reference.keys()].sort()).toEqual(['CommandInbox', 'InboxMessage', 'OutboxMessage']);
  });

  const schemas = [
    ...services.map((s) => `apps/${s}/prisma/schema.prisma`),
    ...['libs'].flatMap((d) =>
      readdirSync(join(root, d)).flatMap((lib) => {
        const p = `${d}/${lib}/prisma/schema.prisma`;
        return existsSync(join(root, p)) ? [p] : [];
      }),
    ),
  ];

  it.each(schemas)('%s', (path) => {
    const mine = models(readFileSync(join(root, path), 'utf8'));
    for (const [name, body] of reference) {
      if (mine.has(name)) expect(mine.get(name)).toEqual(body);
    }
    // The three services publish and consume events: both tables must be there.
    if (path.startsWith('apps/')) expect(['CommandInbox', 'InboxMessage', 'OutboxMessage'].filter((n) => !mine.has(n))).toEqual([]);
  });
});
