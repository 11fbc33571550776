import { chromium } from '@playwright/test';
import { profilingPlan } from '../src/lab/profiles/profile-plan';
import type { ResultsDocument } from '../src/lab/results/results';
import type { Plan } from '../src/lab/runner/plan';
import type { RunProgress } from '../src/lab/runner/run-plan';
import type {} from '../src/lab/api/window-api';
import type { SupportedBrowser } from './browsers';
import { chromiumLaunchOptions } from './browsers';

export interface DriveOptions {
  browser: SupportedBrowser;
  url: string;
  plan: Plan;
  webgpu: boolean;
  /** Write Chromium's network log (netlog JSON) here. */
  netLog?: string;
  /** After the run, kernel profiles of its completed cells (runs of their own), added as `profiles`. */
  profile?: boolean;
  onProgress: (progress: RunProgress) => void;
  onPageError: (message: string) => void;
}

declare global {
  interface Window {
    __inferenceLabProgress?: (progress: RunProgress) => void;
  }
}

/**
 * Opens the lab in a real browser and runs the plan through the same
 * `window.inferenceLab` contract the UI uses.
 */
export async function runInBrowser(options: DriveOptions): Promise<ResultsDocument> {
  const browser = await chromium.launch({ ...chromiumLaunchOptions({ webgpu: options.webgpu, ...(options.netLog ? { netLog: options.netLog } : {}) }), headless: true });
  try {
    const page = await browser.newPage();
    page.on('pageerror', (error) => options.onPageError(error.message));
    await page.exposeFunction('__inferenceLabProgress', options.onProgress);
    await page.goto(options.url);
    await page.waitForFunction(() => window.inferenceLab !== undefined);
    const results = await page.evaluate(
      (plan) => window.inferenceLab!.run(plan, (progress) => window.__inferenceLabProgress?.(progress)),
      options.plan,
    );
    const profiling = options.profile ? profilingPlan(results) : null;
    if (!profiling) return results;
    // In runs of their own, after every timing: the timed figures above are untouched.
    const profiles = await page.evaluate((plan) => window.inferenceLab!.profile(plan), profiling);
    return { ...results, profiles };
  } finally {
    await browser.close();
  }
}
