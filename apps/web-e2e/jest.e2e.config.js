// Browser tests of the built portal against the local Slurm cluster (tools/dev-cluster).
// Named jest.e2e.config.js, not jest.config.js, so @nx/jest/plugin infers no unit `test` target:
// these run only through `nx e2e web-e2e`, serially, with long time-outs.

// Jest loads globalSetup and globalTeardown with Node's own require, which knows nothing of the
// tsconfig path aliases (@vizportal/portal-harness): register them in this process for those two.
// The tests themselves resolve them through @nx/jest's resolver, as the other projects' tests do.
require('@nx/js/internal').registerTsConfigPaths(
  require('node:path').join(__dirname, '../../tsconfig.base.json'),
);

module.exports = {
  displayName: 'web-e2e',
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.e2e.spec.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  moduleFileExtensions: ['ts', 'js'],
  resolver: '@nx/jest/plugins/resolver',
  globalSetup: '<rootDir>/src/support/global-setup.ts',
  globalTeardown: '<rootDir>/src/support/global-teardown.ts',
  testTimeout: 300000,
  maxWorkers: 1,
};
