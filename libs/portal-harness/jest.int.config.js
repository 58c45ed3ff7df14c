// Integration tests: need TigerVNC (and some the local Slurm cluster, tools/dev-cluster). Run serially.
const unit = require('./jest.config.js');

module.exports = {
  ...unit,
  displayName: 'portal-harness:integration',
  testMatch: ['**/*.int.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 120000,
};
