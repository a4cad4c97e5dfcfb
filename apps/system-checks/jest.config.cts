// System-level checks: the compose file, the Dockerfile and `npm run start:all`, seen from outside
// the apps (files, child processes, HTTP), never by importing app code.
const common = { preset: '../../jest.preset.js', testEnvironment: 'node', rootDir: __dirname };

module.exports = {
  displayName: 'system-checks',
  // Each test starts or drives whole systems; on a busy 2-core machine a test can take tens of seconds.
  testTimeout: 90_000,
  coverageDirectory: '../../coverage/apps/system-checks',
  projects: [
    {
      ...common,
      displayName: 'system-checks',
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/src/e2e/crm/'],
    },
    {
      // The CRM end-to-end files share one system, started once for them (and only when one of them runs).
      ...common,
      displayName: 'system-checks:crm-e2e',
      testMatch: ['<rootDir>/src/e2e/crm/**/*.e2e.spec.ts'],
      globalSetup: '<rootDir>/src/e2e/crm/support/global-setup.ts',
      globalTeardown: '<rootDir>/src/e2e/crm/support/global-teardown.ts',
    },
  ],
};
