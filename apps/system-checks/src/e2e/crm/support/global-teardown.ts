import './workspace-paths';
import { stopSharedSystem } from './shared-system';

/** Jest global tear-down: stops the system the set-up started, drops its databases and bus objects. */
export default async function globalTeardown(): Promise<void> {
  const running = (globalThis as { crmE2eSystem?: Parameters<typeof stopSharedSystem>[0] }).crmE2eSystem;
  if (running) await stopSharedSystem(running);
}
