import { testEnv } from '@crm/testing';
import { alive, LocalSystem } from '../support/local-system';

// `npm run start:all` as a developer runs it, isolated: its own ports, throwaway databases (the
// script creates and migrates them) and bus prefix, so it runs beside anything else on this machine.
const READY_WAIT_MS = 150_000;

describe('npm run start:all (tools/start-all.sh)', () => {
  let system: LocalSystem;

  beforeAll(async () => {
    system = new LocalSystem(await testEnv(), 'sc');
  });

  afterAll(async () => {
    await system.cleanup();
  }, 180_000);

  it(
    'starts every app until ready; Ctrl-C stops them all and exits 0',
    async () => {
      await system.start();
      await system.waitUntilReady(READY_WAIT_MS);

      const pids = system.pids();
      expect(Object.keys(pids).sort()).toEqual(system.apps);

      system.interrupt();
      const code = await system.exited;

      expect({ code, output: code === 0 ? '' : system.output }).toEqual({
        code: 0,
        output: '',
      });
      expect(system.apps.filter((app) => alive(pids[app]))).toEqual([]);
      for (const app of system.apps)
        expect(system.output).toContain(
          `[start-all] stopped ${app} (pid ${pids[app]})`,
        );
      expect(system.output).not.toContain('did not stop in time');
    },
    READY_WAIT_MS + 90_000,
  );
});
