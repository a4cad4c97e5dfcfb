module.exports = {
  displayName: 'messaging',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  // Fault tests stop the broker and the database: never alongside another test file.
  maxWorkers: 1,
  testTimeout: 180_000,
  // Fault tests kill processes and connections mid-flight; a leftover socket must not keep CI waiting.
  forceExit: true,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
};
