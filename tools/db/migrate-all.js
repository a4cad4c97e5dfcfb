#!/usr/bin/env node
// npm run db:migrate [-- <svc>...]: for every app (or the ones named), creates its database if
// missing and applies its migrations with `prisma migrate deploy` (through the app's prisma.config.ts).
'use strict';
const { Client } = require('pg');
const lib = require('./lib');

async function ensureDatabase(url) {
  const name = lib.databaseName(url);
  const admin = new Client({ connectionString: lib.withDatabase(url, 'postgres'), connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (err) {
    if (lib.UNREACHABLE.has(err.code) || /timeout/i.test(String(err.message))) lib.fail(lib.postgresHelp(url));
    lib.fail(`Cannot connect to PostgreSQL at ${lib.serverOf(url)}: ${err.message}`);
  }
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) {
      await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      console.log(`  created database ${name}`);
    }
  } catch (err) {
    if (err.code !== '42P04') lib.fail(`Cannot create database ${name} on ${lib.serverOf(url)}: ${err.message}`);
  } finally {
    await admin.end().catch(() => undefined);
  }
}

(async () => {
  const wanted = process.argv.slice(2);
  const all = lib.listServices();
  const unknown = wanted.filter((s) => !all.includes(s));
  if (unknown.length) lib.fail(`Unknown service(s): ${unknown.join(', ')}. Known: ${all.join(', ')}`);
  const services = wanted.length ? wanted : all;
  for (const svc of services) {
    const url = lib.databaseUrlFor(svc);
    console.log(`${svc}: database ${lib.databaseName(url)} on ${lib.serverOf(url)} (${lib.envVarFor(svc)})`);
    await ensureDatabase(url);
    const res = lib.prisma(['migrate', 'deploy'], { cwd: lib.appDir(svc), env: { [lib.envVarFor(svc)]: url }, capture: true });
    const out = `${res.stdout || ''}${res.stderr || ''}`.replace(/^npm warn.*\n/gm, '');
    if (res.status !== 0) lib.fail(`${svc}: prisma migrate deploy failed\n${out.trim()}`);
    const summary = out.split('\n').filter((l) => /migration|applied|No pending/i.test(l));
    console.log(summary.map((l) => `  ${l.trim()}`).join('\n'));
  }
  console.log(`migrated ${services.length} database(s)`);
})().catch((err) => lib.fail(`db:migrate failed: ${err && err.message ? err.message : err}`));
