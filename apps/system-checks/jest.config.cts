// System-level checks: the compose file, the Dockerfile and `npm run start:all`, seen from outside
// the apps (files, child processes, HTTP), never by importing app code.
module.exports = {
  displayName: 'system-checks',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  coverageDirectory: '../../coverage/apps/system-checks',
};
