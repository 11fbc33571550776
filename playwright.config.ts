import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './cli/browsers';
import { DEV_PORT, PREVIEW_BASE_PATH, PREVIEW_PORT } from './e2e/ports';

/**
 * e2e runs against the production build served by `vite preview` under a
 * sub-path, exactly as a static host would serve it.
 */
export default defineConfig({
  testDir: './e2e',
  timeout: 180_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [['list'], ['junit', { outputFile: 'test-results/e2e-junit.xml' }]] : 'list',
  use: {
    baseURL: `http://127.0.0.1:${PREVIEW_PORT}${PREVIEW_BASE_PATH}`,
    launchOptions: chromiumLaunchOptions({ webgpu: true }),
    trace: 'off',
    // The built page registers a caching service worker; the specs that are not about it run without one, so
    // Playwright's request routing (model-integrity) sees every fetch. e2e/hosting.spec.ts allows it.
    serviceWorkers: 'block',
  },
  webServer: [
    {
      command: `npx vite preview --host 127.0.0.1 --port ${PREVIEW_PORT} --strictPort --base ${PREVIEW_BASE_PATH}`,
      url: `http://127.0.0.1:${PREVIEW_PORT}${PREVIEW_BASE_PATH}`,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
    {
      // The dev server too: what `npm run dev` gives a learner must run the engines.
      command: `npx vite --host 127.0.0.1 --port ${DEV_PORT} --strictPort`,
      url: `http://127.0.0.1:${DEV_PORT}/`,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
  ],
});
