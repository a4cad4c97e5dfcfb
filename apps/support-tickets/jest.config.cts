module.exports = {
  displayName: 'support-tickets',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  coverageDirectory: '../../coverage/apps/support-tickets',
  // A test context starts the whole service on a fresh, migrated database (seconds, more the first time).
  testTimeout: 60_000,
};
