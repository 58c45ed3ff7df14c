// Workspace lint: the architecture as lint rules. Tags are set in each project.json.
import nx from '@nx/eslint-plugin';

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  { ignores: ['**/dist', '**/node_modules', '**/.angular', 'tmp', 'artifacts'] },
  {
    files: ['**/*.ts', '**/*.js'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: ['^.*/eslint(\\.base)?\\.config\\.[cm]?[jt]s$'],
          depConstraints: [
            // Domain and infra libs stand alone: they depend on nothing of ours.
            { sourceTag: 'type:domain', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'type:infra', onlyDependOnLibsWithTags: [] },
            // The test harness drives a portal from outside, on its own.
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: [] },
            // The API wires the libs together.
            { sourceTag: 'scope:api', onlyDependOnLibsWithTags: ['scope:api', 'scope:shared'] },
            // The web app may use the shared domain types, never the infra libs.
            { sourceTag: 'scope:web', onlyDependOnLibsWithTags: ['scope:web', 'type:domain'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            // The browser tests drive the built portal with the harness and the shared contracts.
            { sourceTag: 'scope:e2e', onlyDependOnLibsWithTags: ['type:testing', 'type:domain'] },
          ],
        },
      ],
    },
  },
];
