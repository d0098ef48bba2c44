import { defineConfig } from 'vitest/config';
import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints one plain `N passed, N failed, N skipped` line at the end of a run, so CI logs have a
 * summary that does not depend on vitest's own formatting.
 */
const summaryLine: Reporter = {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>) {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const module of testModules) {
      let failedTests = 0;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') counts.passed++;
        else if (state === 'failed') failedTests++;
        else counts.skipped++;
      }
      // A file that failed outside its tests (an import, a beforeAll hook) counts as one failure,
      // so the line never says "0 failed" for a failing run.
      counts.failed += module.state() === 'failed' ? Math.max(failedTests, 1) : failedTests;
    }
    process.stdout.write(`\n${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
  },
};

export default defineConfig({
  test: {
    include: ['*/test/**/*.test.ts'],
    reporters: ['default', summaryLine],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
