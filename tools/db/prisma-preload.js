// Preloaded into the Prisma CLI (NODE_OPTIONS=--require) by the db scripts and @crm/testing.
// The WebAssembly schema engine arms a 10 s timer that it never clears, so `prisma migrate
// deploy` through a driver adapter would sit idle for 10 s after finishing. Timers armed from
// WebAssembly are unref'd: they still fire if the process is busy, but no longer keep it alive.
'use strict';
const originalSetTimeout = global.setTimeout;
global.setTimeout = function patchedSetTimeout(fn, ms, ...args) {
  const timer = originalSetTimeout(fn, ms, ...args);
  if (ms >= 1000 && /wasm-function/.test(new Error().stack || '')) timer.unref();
  return timer;
};
