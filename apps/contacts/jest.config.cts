module.exports = {
  displayName: 'contacts',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  coverageDirectory: '../../coverage/apps/contacts',
};
