/**
 * A headless Chromium page on the lab's dev server, for scripts that run the
 * ONNX importer's harness module (e2e/harness/onnx-import-harness.ts) in the
 * browser the way the lab's cells do: the coverage table and the import bench.
 */
import type { Page } from '@playwright/test';
import { chromium } from '@playwright/test';
import { createServer } from 'vite';
import { chromiumLaunchOptions } from '../../cli/browsers';
import type * as Harness from '../../e2e/harness/onnx-import-harness';

export const k_harness_module = '/e2e/harness/onnx-import-harness.ts';
export type HarnessModule = typeof Harness;

export interface HarnessPage {
  page: Page;
  url: string;
  /** Loads the page afresh and starts a TF.js backend: the backend's name, or why it did not start. */
  start: (backend: string) => Promise<string>;
  close: () => Promise<void>;
}

export async function openHarnessPage(root: string, port: number): Promise<HarnessPage> {
  const server = await createServer({ root, logLevel: 'error', server: { host: '127.0.0.1', port, strictPort: true } });
  await server.listen();
  const browser = await chromium.launch(chromiumLaunchOptions({ webgpu: true }));
  const page = await browser.newPage();
  const url = `http://127.0.0.1:${port}/`;
  return {
    page,
    url,
    start: async (backend) => {
      await page.goto(url);
      return page.evaluate(async ({ b, h }) => ((await import(/* @vite-ignore */ h)) as HarnessModule).startBackend(b as 'wasm'), { b: backend, h: k_harness_module });
    },
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}
