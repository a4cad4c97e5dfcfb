module.exports = {
  displayName: 'api-gateway',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  // Medium tests start the whole service against real servers; on a busy 2-core machine that can take seconds.
  testTimeout: 60_000,
  coverageDirectory: '../../coverage/apps/api-gateway',
};
