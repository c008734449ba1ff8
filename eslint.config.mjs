import nx from '@nx/eslint-plugin';

/**
 * One flat config for the workspace. The module-boundary rule enforces the
 * dependency arrows of DESIGN.md: plugins, bench and leaderboard depend on
 * core only; core depends on nothing of ours. Run ESLint through Nx (`npm run
 * lint`): the rule needs Nx's project graph and is skipped without it.
 */
export default [
  { ignores: ['**/dist', '**/node_modules', '**/test-output', '**/.nx', '**/bin/*.js', 'packages/core/wasm/**'] }, // wasm/: AssemblyScript, checked by its compiler
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts', '**/*.mts', '**/*.js', '**/*.mjs'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allowCircularSelfDependency: false,
          depConstraints: [
            { sourceTag: 'scope:core', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'scope:plugin', onlyDependOnLibsWithTags: ['scope:core'] },
            { sourceTag: 'scope:bench', onlyDependOnLibsWithTags: ['scope:core'] },
            { sourceTag: 'scope:leaderboard', onlyDependOnLibsWithTags: ['scope:core'] },
            { sourceTag: 'scope:tools', onlyDependOnLibsWithTags: ['scope:core', 'scope:plugin', 'scope:bench', 'scope:leaderboard'] },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.ts', '**/*.mts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    // Plain JavaScript shipped to browsers (the leaderboard's site script).
    files: ['**/templates/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { document: 'readonly', window: 'readonly' } },
  },
  {
    // A plugin's tests and benchmarks may run the baselines its claims are
    // measured against; its shipped source may not import any other plugin.
    files: ['packages/plugins/*/test/**/*.ts', 'packages/plugins/*/bench/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          depConstraints: [{ sourceTag: 'scope:plugin', onlyDependOnLibsWithTags: ['scope:core', 'type:baselines'] }],
        },
      ],
    },
  },
  {
    // Test and lint configs import the shared root config by path; they are not shipped.
    files: ['**/vitest.config.ts', '**/eslint.config.mjs'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
];
