import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { name: 'python-compat', include: ['test/**/*.test.ts'], testTimeout: 60000 },
});
