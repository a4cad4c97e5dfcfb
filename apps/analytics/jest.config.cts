module.exports = {
  displayName: 'analytics',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  // Medium tests start the whole service against real servers; each delivery waits for the consumer.
  testTimeout: 60_000,
  coverageDirectory: '../../coverage/apps/analytics',
};
