import { defineConfig } from 'vitest/config';

/**
 * Two tiers, each test file in exactly one:
 * - unit: `*.unit.test.ts` next to the code; pure functions, policy, input parsing, presenters.
 *   No global setup: no MariaDB, no Redis, no build needed (`pnpm test:unit`, seconds).
 * - integration: every other `*.test.ts`; the global setup gives the run its own MariaDB and
 *   Redis (test/harness/global-setup.ts), only when this project runs.
 * `pnpm test` runs both.
 */
const UNIT = ['services/*/src/**/*.unit.test.ts', 'test/**/*.unit.test.ts'];

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    exclude: ['**/node_modules/**', '**/dist/**', 'test/bench/**'],
    pool: 'forks',
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: UNIT,
          testTimeout: 10_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['services/*/src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['**/node_modules/**', '**/dist/**', 'test/bench/**', ...UNIT],
          globalSetup: ['test/harness/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 120_000,
          teardownTimeout: 30_000,
        },
      },
    ],
  },
});
