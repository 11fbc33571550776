import { availableParallelism, arch, platform } from 'node:os';
import { profilingPlan } from '../src/lab/profiles/profile-plan';
import type { ResultsDocument } from '../src/lab/results/results';
import type { RunOrigin, ShardInfo } from '../src/lab/results/run-origin';
import type { Plan } from '../src/lab/runner/plan';
import type { RunProgress } from '../src/lab/runner/run-plan';
import type { SupportedBrowser } from './browsers';
import { connectPlaywright, endpointOrigin, k_remote_network, launchChromium } from './drivers/chromium';
import { launchFirefox } from './drivers/firefox';
import type { LabPage } from './drivers/lab-page';
import { openLab, profileInPage, runPlanInPage } from './drivers/run-in-page';
import { openWebDriverSession } from './drivers/webdriver';
import { addUserModelInPage } from './drivers/add-model-in-page';
import type { CliUserModel } from './user-model';
import { launchWebKit } from './drivers/webkit';

/** Where the plan runs: a browser started here, a Playwright browser server, or any W3C WebDriver endpoint. */
export type BrowserTarget =
  | { kind: 'local'; family: SupportedBrowser; webgpu: boolean; netLog?: string }
  | { kind: 'connect'; wsEndpoint: string }
  | { kind: 'webdriver'; url: string; capabilities: Record<string, unknown> };

export interface DriveOptions {
  /** Shorthand for a local browser (benchmarks); `target` wins when given. */
  browser?: SupportedBrowser;
  webgpu?: boolean;
  /** Write Chromium's network log (netlog JSON) here. */
  netLog?: string;
  target?: BrowserTarget;
  /** The run's name in merges and file names (default: the browser's family). */
  label?: string;
  /** The part of the plan this run is, when sharded: recorded in the results. */
  shard?: ShardInfo;
  url: string;
  /** A zoo plan; absent with `userModel` (the plan is made in the page once the model is in). */
  plan?: Plan;
  /** A model of the user's own: added in the page first (addModel), then run with its quick plan or `planTemplate`'s cells. */
  userModel?: CliUserModel;
  /** A --plan file's JSON for the user's model: its model id and SHA-256 come from the page. */
  planTemplate?: unknown;
  /** Told the plan once it is known (for the user's model, after it is added). */
  onPlan?: (plan: Plan) => void;
  /** After the run, kernel profiles of its completed cells (runs of their own), added as `profiles`. */
  profile?: boolean;
  onProgress: (progress: RunProgress) => void;
  onPageError: (message: string) => void;
}

export function openBrowser(target: BrowserTarget): Promise<LabPage> {
  switch (target.kind) {
    case 'local':
      if (target.family === 'chromium') return launchChromium({ webgpu: target.webgpu, ...(target.netLog ? { netLog: target.netLog } : {}) });
      return target.family === 'firefox' ? launchFirefox() : launchWebKit();
    case 'connect':
      return connectPlaywright(target.wsEndpoint);
    case 'webdriver':
      return openWebDriverSession({ url: target.url, capabilities: target.capabilities, endpoint: endpointOrigin(target.url), network: k_remote_network, notes: [] });
  }
}

function targetOf(options: DriveOptions): BrowserTarget {
  if (options.target) return options.target;
  return { kind: 'local', family: options.browser ?? 'chromium', webgpu: options.webgpu ?? true, ...(options.netLog ? { netLog: options.netLog } : {}) };
}

/**
 * Opens the lab in a real browser and runs the plan through the same
 * `window.inferenceLab` contract the UI uses; the results say which browser
 * build ran it, driven how, and what it could reach.
 */
export async function runInBrowser(options: DriveOptions): Promise<ResultsDocument> {
  const target = targetOf(options);
  const page = await openBrowser(target);
  try {
    await openLab(page, options.url);
    const hooks = { onProgress: options.onProgress, onPageError: options.onPageError };
    const plan = options.userModel ? await addUserModelInPage(page, options.userModel, options.planTemplate) : options.plan;
    if (!plan) throw new Error('runInBrowser needs a plan or a model of yours');
    options.onPlan?.(plan);
    const results = await runPlanInPage(page, plan, hooks);
    const origin: RunOrigin = {
      label: options.label ?? page.build.family,
      browser: page.build,
      network: page.network,
      notes: [...page.notes],
      ...(options.shard ? { shard: options.shard } : {}),
      ...(target.kind === 'local' ? { host: { logicalCpus: availableParallelism(), platform: `${platform()} ${arch()}` } } : {}),
    };
    const profiling = options.profile ? profilingPlan(results) : null;
    if (!profiling) return { ...results, origin };
    // In runs of their own, after every timing: the timed figures above are untouched.
    const profiles = await profileInPage(page, profiling, hooks);
    return { ...results, origin, profiles };
  } finally {
    await page.close();
  }
}
