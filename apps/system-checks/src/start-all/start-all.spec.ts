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

      // Each app on its own internal port (<APP>_INTERNAL_PORT): metrics and readiness details
      // there, never on the client port, whose readiness is the status alone.
      for (const app of system.apps) {
        const metrics = await fetch(`${system.internalUrl(app)}/metrics`);
        expect({ app, status: metrics.status }).toEqual({ app, status: 200 });
        expect(await metrics.text()).toContain(`service="${app}"`);
        expect({ app, status: (await fetch(`${system.url(app)}/metrics`)).status }).toEqual({ app, status: 404 });
        const details = await fetch(`${system.internalUrl(app)}/health/ready`);
        expect(JSON.stringify(await details.json())).toContain('rabbitmq');
        const ready = await fetch(`${system.url(app)}/health/ready`);
        expect({ app, body: await ready.json() }).toEqual({ app, body: { status: 'ok' } });
      }

      // No SMTP server configured: start-all runs maildev, whose inbox (its web API) answers.
      expect(system.output).toContain(`[start-all] mail catcher maildev (pid`);
      expect((await fetch(`http://127.0.0.1:${system.mailPorts.web}/api/email`)).status).toBe(200);

      system.interrupt();
      const code = await system.exited;

      expect({ code, output: code === 0 ? '' : system.output }).toEqual({
        code: 0,
        output: '',
      });
      expect(system.apps.filter((app) => alive(pids[app]))).toEqual([]);
      for (const app of system.apps) expect(system.output).toContain(`[start-all] stopped ${app} (pid ${pids[app]})`);
      expect(system.output).toContain('[start-all] stopped maildev');
      expect(system.output).not.toContain('did not stop in time');
    },
    READY_WAIT_MS + 90_000,
  );
});
