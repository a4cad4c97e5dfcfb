module.exports = {
  displayName: 'contacts',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  // Medium tests start the whole service against real servers (the first start after a migration
  // change builds the template database); the list, purge and company specs seed thousands of rows.
  testTimeout: 120_000,
  coverageDirectory: '../../coverage/apps/contacts',
};
