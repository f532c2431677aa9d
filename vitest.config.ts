import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // summary-setup: the reliability suite's table (test/reliability), printed once at the end of the run.
    globalSetup: ['test/support/global-setup.ts', 'test/support/summary-setup.ts'],
    // Files share a worker's imported modules (the service, the corpus, the search index are
    // built once per worker, not once per file): imports were most of the suite's time. The
    // module-level registries a file can change are reset before each file (fresh-globals.ts).
    isolate: false,
    setupFiles: ['test/support/fresh-globals.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Two cores: keep the parallelism modest so timing-sensitive fault tests stay honest.
    maxWorkers: 2,
  },
});
