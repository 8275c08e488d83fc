import { defineConfig } from 'vitest/config';

// One workspace config: each package (and tests/, benchmarks/) is a vitest project with its own folder of tests.
export default defineConfig({
  test: {
    projects: ['packages/*', 'tests', 'benchmarks'],
  },
});
