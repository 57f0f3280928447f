import { defineConfig } from 'vitest/config';

// Unit tests: pure TypeScript, no browser.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
  },
});
