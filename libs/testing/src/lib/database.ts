import { createHash, randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { Client } from 'pg';
import { testEnv } from './env';
import { workspaceRoot } from './workspace';

export interface TestDatabase {
  /** Connection URL of the new database (same server and credentials as the admin URL). */
  url: string;
  name: string;
  /** Drops the database (terminating any connection still open to it). */
  drop(): Promise<void>;
}

export interface TestDatabaseOptions {
  /** Admin connection URL; default: testEnv().postgresUrl (TEST_POSTGRES_URL). */
  adminUrl?: string;
}

export interface PrismaFolder {
  /** Short name used in database names (the service, or the folder's parent name). */
  key: string;
  /** Absolute path of the prisma folder. */
  dir: string;
  /** Absolute path of the schema file (schema.prisma, or the folder's only .prisma file). */
  schema: string;
  /** migration.sql files in the order `prisma migrate deploy` applies them (may be empty). */
  migrations: string[];
}

/**
 * `contacts` -> apps/contacts/prisma. Anything with a slash (absolute, or relative to the
 * workspace root or the current directory) is taken as a prisma folder or a schema file.
 */
export function resolvePrismaFolder(serviceOrPath: string): PrismaFolder {
  const root = workspaceRoot();
  let dir: string;
  let key: string;
  if (/[\\/]/.test(serviceOrPath) || serviceOrPath.endsWith('.prisma')) {
    const candidates = isAbsolute(serviceOrPath) ? [serviceOrPath] : [resolve(root, serviceOrPath), resolve(process.cwd(), serviceOrPath)];
    const found = candidates.find((p) => existsSync(p));
    if (!found) throw new Error(`@crm/testing: no prisma folder or schema at ${serviceOrPath}`);
    dir = statSync(found).isDirectory() ? found : dirname(found);
    key = basename(dir) === 'prisma' ? basename(dirname(dir)) : basename(dir);
  } else {
    dir = join(root, 'apps', serviceOrPath, 'prisma');
    key = serviceOrPath;
    if (!existsSync(dir)) throw new Error(`@crm/testing: service "${serviceOrPath}" has no ${relative(root, dir)}`);
  }
  let schema = join(dir, 'schema.prisma');
  if (!existsSync(schema)) {
    const files = readdirSync(dir).filter((f) => f.endsWith('.prisma'));
    if (files.length !== 1) throw new Error(`@crm/testing: ${dir} has no schema.prisma (and not exactly one .prisma file)`);
    schema = join(dir, files[0]);
  }
  const migrationsDir = join(dir, 'migrations');
  const migrations = existsSync(migrationsDir)
    ? readdirSync(migrationsDir)
        .sort()
        .map((m) => join(migrationsDir, m, 'migration.sql'))
        .filter((f) => existsSync(f))
    : [];
  return {
    key: key
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .slice(0, 24),
    dir,
    schema,
    migrations,
  };
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

async function admin<T>(adminUrl: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (err) {
    const u = new URL(adminUrl);
    throw new Error(
      `@crm/testing: PostgreSQL is not reachable at ${u.hostname}:${u.port || 5432} (${(err as Error).message}). ` +
        'Start it (bash tools/ensure-services.sh, or docker compose up -d postgres) or set TEST_POSTGRES_URL.',
    );
  }
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    execFile(cmd, args, { env, cwd, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')} failed:\n${stdout}\n${stderr}`));
      else resolvePromise(stdout);
    });
  });
}

/** Runs the Prisma CLI with a throw-away prisma.config.ts for `folder`, connected to `url`. */
export async function prismaCli(folder: PrismaFolder, url: string, args: string[]): Promise<string> {
  const root = workspaceRoot();
  const tmp = join(root, 'tmp', 'crm-testing');
  mkdirSync(tmp, { recursive: true });
  const config = join(tmp, `prisma.config.${createHash('sha1').update(folder.schema).digest('hex').slice(0, 10)}.ts`);
  const text = [
    "import { defineConfig } from 'prisma/config';",
    "import { PrismaPg } from '@prisma/adapter-pg';",
    'export default defineConfig({',
    "  experimental: { adapter: true }, engine: 'js',",
    `  schema: ${JSON.stringify(folder.schema)},`,
    '  adapter: async () => new PrismaPg({ connectionString: process.env.CRM_TESTING_DATABASE_URL as string, allowExitOnIdle: true }),',
    '});',
    '',
  ].join('\n');
  if (!existsSync(config) || readFileSync(config, 'utf8') !== text) writeFileSync(config, text);
  // The schema's datasource may read env("X"): the CLI insists it be set.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CRM_TESTING_DATABASE_URL: url,
    PRISMA_CLIENT_ENGINE_TYPE: 'client',
    CHECKPOINT_DISABLE: '1',
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
  };
  for (const m of readFileSync(folder.schema, 'utf8').matchAll(/env\(\s*"([^"]+)"\s*\)/g)) env[m[1]] = url;
  const preload = join(root, 'tools', 'db', 'prisma-preload.js');
  if (existsSync(preload)) env['NODE_OPTIONS'] = [process.env['NODE_OPTIONS'], `--require ${preload}`].filter(Boolean).join(' ');
  const cli = join(root, 'node_modules', 'prisma', 'build', 'index.js');
  return run(process.execPath, [cli, ...args, '--config', config], env, root);
}

/** SQL that creates the schema from nothing (`prisma migrate diff --from-empty`). */
/**
 * The SQL that makes a database from schema.prisma alone, followed by the folder's
 * `schema-extras.sql` when it has one: what the schema cannot say (e.g. a column's collation).
 */
export async function schemaScript(folder: PrismaFolder, adminUrl: string): Promise<string> {
  const script = await prismaCli(folder, adminUrl, ['migrate', 'diff', '--from-empty', '--to-schema-datamodel', folder.schema, '--script']);
  const extras = join(folder.dir, 'schema-extras.sql');
  return existsSync(extras) ? `${script}\n${readFileSync(extras, 'utf8')}` : script;
}

function fingerprint(folder: PrismaFolder): string {
  const h = createHash('sha256').update(folder.dir);
  if (folder.migrations.length) {
    for (const m of folder.migrations) h.update(relative(folder.dir, m)).update(readFileSync(m));
  } else {
    h.update(readFileSync(folder.schema));
  }
  return h.digest('hex');
}

const templates = new Map<string, Promise<string>>();

/**
 * One migrated template database per prisma folder and content: built once (the name carries a
 * hash of the migrations, so it is rebuilt only when they change), guarded by an advisory lock
 * so parallel jest workers wait for each other instead of building it twice.
 */
function ensureTemplate(folder: PrismaFolder, adminUrl: string): Promise<string> {
  const hash = fingerprint(folder);
  const name = `tmpl_${folder.key}_${hash.slice(0, 12)}`;
  const cacheKey = `${adminUrl}|${name}`;
  let p = templates.get(cacheKey);
  if (!p) {
    p = buildTemplate(folder, adminUrl, name, hash).catch((err) => {
      templates.delete(cacheKey);
      throw err;
    });
    templates.set(cacheKey, p);
  }
  return p;
}

async function buildTemplate(folder: PrismaFolder, adminUrl: string, name: string, hash: string): Promise<string> {
  return admin(adminUrl, async (c) => {
    const lockKey = BigInt.asIntN(64, BigInt(`0x${hash.slice(0, 16)}`)).toString();
    await c.query('SELECT pg_advisory_lock($1::bigint)', [lockKey]);
    try {
      const exists = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (exists.rowCount) return name;
      const building = `${name}_build`;
      await c.query(`DROP DATABASE IF EXISTS ${ident(building)} WITH (FORCE)`);
      await c.query(`CREATE DATABASE ${ident(building)}`);
      const url = withDatabase(adminUrl, building);
      if (folder.migrations.length) {
        await prismaCli(folder, url, ['migrate', 'deploy']);
      } else {
        const sql = await schemaScript(folder, adminUrl);
        const db = new Client({ connectionString: url });
        await db.connect();
        try {
          await db.query(sql);
        } finally {
          await db.end();
        }
      }
      await c.query(`ALTER DATABASE ${ident(building)} RENAME TO ${ident(name)}`);
      // Templates of older migrations of the same folder are no longer needed.
      const stale = await c.query<{ datname: string }>(
        `SELECT datname FROM pg_database WHERE datname LIKE $1 AND datname <> $2 AND datname NOT LIKE '%\\_build'`,
        [`tmpl\\_${folder.key}\\_%`, name],
      );
      for (const { datname } of stale.rows) {
        if (/^tmpl_.+_[0-9a-f]{12}$/.test(datname) && datname.length === name.length) {
          await c.query(`DROP DATABASE IF EXISTS ${ident(datname)}`).catch(() => undefined);
        }
      }
      return name;
    } finally {
      await c.query('SELECT pg_advisory_unlock($1::bigint)', [lockKey]).catch(() => undefined);
    }
  });
}

function uniqueName(key: string): string {
  return `t_${key.slice(0, 24)}_${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
}

function handle(adminUrl: string, name: string): TestDatabase {
  return {
    name,
    url: withDatabase(adminUrl, name),
    drop: () => admin(adminUrl, async (c) => void (await c.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`))),
  };
}

/**
 * A fresh, uniquely named database migrated with a service's migrations (`contacts`) or with
 * any prisma folder's (`libs/messaging/test/lab/prisma`; a folder without migrations gets its
 * schema as `prisma migrate diff --from-empty` writes it). Copied from a per-folder template
 * database, so each call costs one `CREATE DATABASE ... TEMPLATE` (tens of milliseconds).
 */
export async function createTestDatabase(serviceOrPrismaPath: string, opts: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const adminUrl = opts.adminUrl ?? (await testEnv()).postgresUrl;
  const folder = resolvePrismaFolder(serviceOrPrismaPath);
  const name = uniqueName(folder.key);
  let template = await ensureTemplate(folder, adminUrl);
  await admin(adminUrl, async (c) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await c.query(`CREATE DATABASE ${ident(name)} TEMPLATE ${ident(template)}`);
        return;
      } catch (err) {
        const code = (err as { code?: string }).code;
        // 3D000: the template was dropped as stale by a run on other migrations of the same
        // folder name (another checkout of the repository on this server): build it again.
        if (code === '3D000' && attempt < 3) {
          templates.delete(`${adminUrl}|${template}`);
          template = await ensureTemplate(folder, adminUrl);
          continue;
        }
        // 55006: the template is briefly in use (another worker copying it); try again.
        if (code !== '55006' || attempt >= 20) throw err;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  });
  return handle(adminUrl, name);
}

/** A fresh, empty, uniquely named database. */
export async function createEmptyTestDatabase(opts: TestDatabaseOptions & { key?: string } = {}): Promise<TestDatabase> {
  const adminUrl = opts.adminUrl ?? (await testEnv()).postgresUrl;
  const name = uniqueName(opts.key ?? 'empty');
  await admin(adminUrl, async (c) => void (await c.query(`CREATE DATABASE ${ident(name)}`)));
  return handle(adminUrl, name);
}
