import { defineConfig } from 'vitest/config';

export default defineConfig({
  define: {
    __ORT_VERSION__: JSON.stringify('test'),
    __TFJS_VERSION__: JSON.stringify('test'),
    __APP_VERSION__: JSON.stringify('test'),
  },
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'bin/**/*.test.ts', 'cli/**/*.test.ts', 'vite-plugins/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
