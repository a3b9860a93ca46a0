import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Worker-thread tests start real threads; keep files in separate forks so a crash in one
    // (a deliberately killed worker, say) cannot take the others down.
    pool: 'forks',
    testTimeout: 30_000,
    // The built package (dist/) runs as users run it: loaded by Node itself, never transformed
    // by vitest, so spawned closures are sent exactly as tsc emitted them and every test shares
    // one instance of each module with the workers' view of the package.
    server: { deps: { external: [/\/dist\//] } },
    hookTimeout: 30_000,
  },
});
