import './workspace-paths';
import { startSharedSystem } from './shared-system';

/** Jest global set-up (see jest.config.cts): one system for the CRM end-to-end files, kept for the tear-down. */
export default async function globalSetup(): Promise<void> {
  (globalThis as { crmE2eSystem?: unknown }).crmE2eSystem = await startSharedSystem();
}
