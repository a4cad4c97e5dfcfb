// Shared helpers for the database scripts (plain CommonJS: runs with `node`, no build step).
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
// The services' naming and default database URLs, from the one place they are written (Node 24
// runs the TypeScript file as it is).
const { databaseUrlVariable, defaultDatabaseUrl } = require('../../libs/config/src/lib/database-url.ts');

const ROOT = path.resolve(__dirname, '..', '..');
const PRISMA_BIN = path.join(ROOT, 'node_modules', '.bin', 'prisma');
const PRISMA_PRELOAD = path.join(__dirname, 'prisma-preload.js');

function prismaEnv(env) {
  const nodeOptions = [process.env.NODE_OPTIONS, `--require ${PRISMA_PRELOAD}`].filter(Boolean).join(' ');
  return { ...process.env, ...env, NODE_OPTIONS: nodeOptions, PRISMA_CLIENT_ENGINE_TYPE: 'client', PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' };
}

/** Every app with its own Prisma schema: apps/<svc>/prisma/schema.prisma. */
function listServices() {
  const appsDir = path.join(ROOT, 'apps');
  return fs
    .readdirSync(appsDir)
    .filter((svc) => fs.existsSync(path.join(appsDir, svc, 'prisma', 'schema.prisma')))
    .sort();
}

function appDir(svc) {
  return path.join(ROOT, 'apps', svc);
}

/** contacts -> CONTACTS_DATABASE_URL, api-gateway -> API_GATEWAY_DATABASE_URL */
function envVarFor(svc) {
  return databaseUrlVariable(svc);
}

/** The service's variable when set, else its development database (the default the service's config has). */
function databaseUrlFor(svc) {
  return process.env[envVarFor(svc)] || defaultDatabaseUrl(svc);
}

/** Same server and credentials, another database. */
function withDatabase(url, db) {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

function databaseName(url) {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}

function serverOf(url) {
  const u = new URL(url);
  return `${u.hostname}:${u.port || 5432}`;
}

/** Runs the Prisma CLI in an app's folder (so its prisma.config.ts is used). */
function prisma(args, { cwd, env = {}, capture = false } = {}) {
  const res = spawnSync(PRISMA_BIN, args, {
    cwd,
    env: prismaEnv(env),
    encoding: 'utf8',
    stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit',
  });
  return res;
}

function prismaAsync(args, { cwd, env = {} } = {}) {
  return new Promise((resolve) => {
    const child = spawn(PRISMA_BIN, args, {
      cwd,
      env: prismaEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (status) => resolve({ status, out }));
  });
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'ECONNRESET', 'EAI_AGAIN']);

function postgresHelp(url) {
  return [
    `PostgreSQL is not reachable at ${serverOf(url)}.`,
    'Start it with one of:',
    '  bash tools/ensure-services.sh                      (starts the local servers if installed)',
    "  docker compose up -d postgres                      (the project's compose file)",
    `  pg_ctlcluster --skip-systemctl-redirect <version> main start`,
    'or point the *_DATABASE_URL variables at a running server.',
  ].join('\n');
}

function fail(message) {
  process.stderr.write(`\n${message}\n`);
  process.exit(1);
}

function timestamp(d = new Date()) {
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

module.exports = {
  ROOT,
  PRISMA_BIN,
  PRISMA_PRELOAD,
  listServices,
  appDir,
  envVarFor,
  databaseUrlFor,
  withDatabase,
  databaseName,
  serverOf,
  prisma,
  prismaAsync,
  UNREACHABLE,
  postgresHelp,
  fail,
  timestamp,
};
