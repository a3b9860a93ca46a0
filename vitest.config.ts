import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Worker-thread tests start real threads; keep files in separate forks so a crash in one
    // (a deliberately killed worker, say) cannot take the others down.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
