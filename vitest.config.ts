import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each test file starts its own server on its own database. Vitest's default is one file at a
    // time on a 2-core machine (cores - 1); the files mostly wait on servers, processes and timers,
    // so two at a time nearly halves the run on CI's 2 cores.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
