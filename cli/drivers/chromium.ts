import type { Browser } from 'playwright-core';
import { chromium } from 'playwright-core';
import { chromiumLaunchOptions } from '../browsers';
import type { LabPage } from './lab-page';
import { ErrorInbox } from './lab-page';
import { packageVersion } from './versions';

/** What the CLI's own Chromium is kept from, and how (cli/browsers.ts; e2e/cli.spec.ts reads its network log). */
export const k_chromium_network =
  "confined to the lab's server: every other host name resolves to nothing, requests to other addresses go to a closed proxy port, and Chromium's update, sync, safe-browsing, metrics and crash-report services are off (checked against Chromium's own network log in e2e)";

/** Remote browsers reach whatever their host lets them; the lab cannot confine them. */
export const k_remote_network = 'not confined by the lab: a remote browser reaches whatever its own host allows (the lab itself fetches nothing from elsewhere)';

async function pageOf(browser: Browser, build: LabPage['build'], network: string, notes: string[], close: () => Promise<void>): Promise<LabPage> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const inbox = new ErrorInbox();
  page.on('pageerror', (error) => inbox.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') inbox.push(`console: ${message.text()}`);
  });
  return {
    build,
    network,
    notes,
    goto: async (url) => {
      await page.goto(url);
    },
    // Plain JSON crosses the protocol: the handle-unwrapping generics of Playwright's signature do not apply.
    evaluate: <A, R>(fn: (arg: A) => R | Promise<R>, arg: A) => page.evaluate(fn as (arg: unknown) => R | Promise<R>, arg as unknown),
    takeErrors: () => inbox.take(),
    close,
  };
}

/** Debian's Chromium on this machine, through Playwright (CDP). */
export async function launchChromium(options: { webgpu: boolean; netLog?: string }): Promise<LabPage> {
  const browser = await chromium.launch({ ...chromiumLaunchOptions(options), headless: true });
  const build = { family: 'chromium' as const, name: 'Chromium', version: browser.version(), driver: `Playwright ${packageVersion('playwright-core')}` };
  const notes = options.webgpu ? ['started with --enable-unsafe-webgpu'] : [];
  return pageOf(browser, build, k_chromium_network, notes, () => browser.close());
}

/** A Playwright browser server (`browserType.launchServer()`, or a grid that speaks Playwright's protocol). */
export async function connectPlaywright(wsEndpoint: string): Promise<LabPage> {
  const browser = await chromium.connect(wsEndpoint);
  const family = browser.browserType().name();
  const build: LabPage['build'] = {
    family: family === 'chromium' || family === 'firefox' || family === 'webkit' ? family : 'other',
    name: family === 'chromium' ? 'Chromium' : family,
    version: browser.version(),
    driver: `Playwright ${packageVersion('playwright-core')} (browser server)`,
    endpoint: endpointOrigin(wsEndpoint),
  };
  return pageOf(browser, build, k_remote_network, [], () => browser.close());
}

/** An endpoint's scheme, host and port: never its credentials (grids put keys in the URL) or its path's tokens. */
export function endpointOrigin(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return 'unparseable endpoint';
  }
}
