#!/usr/bin/env node
// npm run prisma:generate: generates every app's Prisma client (offline, in parallel).
'use strict';
const { listServices, appDir, prismaAsync } = require('./lib');

(async () => {
  const services = listServices();
  const started = Date.now();
  const results = await Promise.all(
    services.map(async (svc) => ({ svc, ...(await prismaAsync(['generate'], { cwd: appDir(svc) })) })),
  );
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
