import { defineConfig } from 'vitest/config';

/**
 * The vitest settings every package shares. Tests import workspace packages
 * from their TypeScript sources (the `@parsimony/source` export condition), so
 * no build is needed to test a change; the JSON report feeds the pass/fail
 * totals printed by `npm test`.
 */
export function sharedConfig(options: { testTimeout?: number } = {}) {
  return defineConfig({
    resolve: { conditions: ['@parsimony/source'] },
    ssr: { resolve: { conditions: ['@parsimony/source'] } },
    test: {
      include: ['test/**/*.test.ts'],
      environment: 'node',
      testTimeout: options.testTimeout ?? 20_000,
      reporters: ['default', ['json', { outputFile: 'test-output/vitest.json' }]],
    },
  });
}
