#!/usr/bin/env node
// npm run prisma:generate: generates every app's Prisma client, and those of the libraries'
// test services (offline, in parallel).
'use strict';
const path = require('path');
const { listServices, appDir, prismaAsync } = require('./lib');

// Test-only Prisma projects (each folder has its own prisma.config.ts).
const TEST_PROJECTS = { 'messaging-lab': path.join(__dirname, '../../libs/messaging/test/lab') };

(async () => {
  const projects = [...listServices().map((svc) => ({ svc, cwd: appDir(svc) })), ...Object.entries(TEST_PROJECTS).map(([svc, cwd]) => ({ svc, cwd }))];
  const services = projects.map((p) => p.svc);
  const started = Date.now();
  const results = await Promise.all(projects.map(async ({ svc, cwd }) => ({ svc, ...(await prismaAsync(['generate'], { cwd })) })));
  let failed = 0;
  for (const r of results) {
    if (r.status === 0) {
      console.log(`prisma generate ${r.svc}: ok`);
    } else {
      failed++;
      console.error(`prisma generate ${r.svc}: FAILED\n${r.out}`);
    }
  }
  console.log(`generated ${services.length - failed}/${services.length} clients in ${Date.now() - started} ms`);
  process.exit(failed ? 1 : 0);
})();
