import type { WebDriver } from 'selenium-webdriver';
import { Builder, Capabilities } from 'selenium-webdriver';
import type { BrowserBuild } from '../../src/lab/results/run-origin';
import type { LabPage } from './lab-page';
import { withTimeout } from '../../src/lab/util/timeout';
import { packageVersion } from './versions';

/** How long a new session may take at a remote endpoint (a cloud grid may queue it for a while). */
const k_session_timeout_ms = 180_000;

/** A browser's W3C `browserName` → its engine family ("MiniBrowser" is WebKitGTK's, "chrome" covers Chromium). */
export function familyOf(browserName: string): BrowserBuild['family'] {
  const name = browserName.toLowerCase();
  if (/chrom|edge|opera|brave/.test(name)) return 'chromium';
  if (/firefox|gecko/.test(name)) return 'firefox';
  if (/safari|webkit|minibrowser|epiphany|cog/.test(name)) return 'webkit';
  return 'other';
}

/** How a WebDriver endpoint's product is named in the results. */
function productName(browserName: string, family: BrowserBuild['family']): string {
  if (/^minibrowser$/i.test(browserName)) return 'WebKitGTK MiniBrowser';
  if (family === 'chromium' && /^chrome$/i.test(browserName)) return 'Chrome/Chromium';
  return browserName;
}

export interface WebDriverSessionOptions {
  /** The endpoint: a local WebKitWebDriver, chromedriver, a Selenium Grid, or a cloud grid's hub URL. */
  url: string;
  capabilities: Record<string, unknown>;
  /** Origin recorded for a remote endpoint; absent for a driver this CLI started. */
  endpoint?: string;
  network: string;
  notes: string[];
  /** Runs after the session is closed (the local driver process and display). */
  cleanup?: () => Promise<void>;
  /** How long the new-session request may stay unanswered; a remote endpoint's default allows for a queue. */
  sessionTimeoutMs?: number;
}

/**
 * A W3C WebDriver (classic) session through selenium-webdriver. Classic
 * WebDriver reports no console events, so the page-side collector
 * (run-in-page.ts) is this driver's only source of page errors; errors during
 * the first load, before the collector is installed, are not seen.
 */
export async function openWebDriverSession(options: WebDriverSessionOptions): Promise<LabPage> {
  let driver: WebDriver;
  try {
    // A driver without a display, or a grid with no free browser, can leave the session request open for good.
    driver = await withTimeout(
      Promise.resolve(new Builder().usingServer(options.url).withCapabilities(new Capabilities(options.capabilities)).build()),
      options.sessionTimeoutMs ?? k_session_timeout_ms,
      `The WebDriver endpoint ${options.endpoint ?? options.url} (new session)`,
    );
  } catch (error) {
    await options.cleanup?.();
    throw error;
  }
  const caps = await driver.getCapabilities();
  const browserName = String(caps.get('browserName') ?? 'unknown');
  const family = familyOf(browserName);
  const build: BrowserBuild = {
    family,
    name: productName(browserName, family),
    version: String(caps.get('browserVersion') ?? caps.get('version') ?? 'unknown'),
    driver: `selenium-webdriver ${packageVersion('selenium-webdriver')} over W3C WebDriver`,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
  };
  return {
    build,
    network: options.network,
    notes: options.notes,
    goto: async (url) => {
      await driver.get(url);
    },
    evaluate: async <A, R>(fn: (arg: A) => R | Promise<R>, arg: A) => (await driver.executeScript(fn, arg)) as R,
    takeErrors: () => [],
    close: async () => {
      try {
        // A browser that died can leave quit() unanswered; the driver process is stopped either way.
        await withTimeout(driver.quit(), 30_000, 'WebDriver quit').catch(() => undefined);
      } finally {
        await options.cleanup?.();
      }
    },
  };
}
