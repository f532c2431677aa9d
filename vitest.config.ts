import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // summary-setup: the reliability suite's table (test/reliability), printed once at the end of the run.
    globalSetup: ['test/support/global-setup.ts', 'test/support/summary-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Two cores: keep the parallelism modest so timing-sensitive fault tests stay honest.
    maxWorkers: 2,
  },
});
