import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each test file starts its own server on its own database. Vitest's default is one file at a
    // time on a 2-core machine (cores - 1); the files mostly wait on servers, processes and timers,
    // so two at a time nearly halves the run on CI's 2 cores.
    pool: 'forks',
    maxWorkers: 2,
    // A worker runs its files one after another in one process, keeping the modules it imported:
    // each file builds its own server, database and clock from them (nothing is shared through
    // module state but constants, a pool of random bytes and bounded caches of pure answers), so
    // importing the source again for each file only cost time: about a third of the run.
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
