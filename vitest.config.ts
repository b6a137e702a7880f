import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'relayer/**/*.test.ts',
      'verifier/**/*.test.ts',
      'devnet/**/*.test.ts',
      'config/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    // end-to-end tests start real chains; give them room on a 2-core machine
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
  },
});
