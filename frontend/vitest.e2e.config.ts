import { defineConfig } from 'vitest/config';

// Browser tests: the real server + Debian's Chromium, driven by playwright-core. One file at a time.
export default defineConfig({
  test: {
    include: process.env.PERF ? ['e2e/perf.ts'] : ['e2e/**/*.e2e.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    maxWorkers: 1,
  },
});
