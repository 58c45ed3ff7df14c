// Unit tests: fast, no cluster. Files named *.int.spec.ts need the local Slurm cluster and run in jest.int.config.js.
module.exports = {
  displayName: 'site-policy',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: { '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }] },
  moduleFileExtensions: ['ts', 'js'],
  testPathIgnorePatterns: ['/node_modules/', '\\.int\\.spec\\.ts$'],
  coverageDirectory: '../../coverage/libs/site-policy',
};
