import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'sdk',
    include: ['test/**/*.test.ts'],
    // PGlite boots a WASM PostgreSQL per suite and the CLI tests spawn node: give them room.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
