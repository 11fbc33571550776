import { defineConfig } from 'vitest/config';

export default defineConfig({
  define: {
    __RUNTIME_VERSIONS__: JSON.stringify({}),
    __APP_VERSION__: JSON.stringify('test'),
  },
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'bin/**/*.test.ts', 'cli/**/*.test.ts', 'vite-plugins/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
