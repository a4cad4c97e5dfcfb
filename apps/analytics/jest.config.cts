module.exports = {
  displayName: 'analytics',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  coverageDirectory: '../../coverage/apps/analytics',
};
