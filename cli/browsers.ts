import { existsSync } from 'node:fs';
import type { LaunchOptions } from 'playwright-core';
import type { BrowserFamily } from '../src/lab/results/run-origin';
import { BROWSER_FAMILIES } from '../src/lab/results/run-origin';

/** Browser families the CLI starts on this machine (one driver file each under cli/drivers/). */
export const SUPPORTED_BROWSERS = BROWSER_FAMILIES;
export type SupportedBrowser = BrowserFamily;

export class BrowserMissingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BrowserMissingError';
  }
}

/**
 * The binary to use: the environment variable's path when set (and refused by
 * name when it does not exist), else the first candidate that exists, else null.
 */
export function findExecutable(envVar: string, candidates: readonly string[]): string | null {
  const fromEnv = process.env[envVar];
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new BrowserMissingError(`${envVar} points at ${fromEnv}, which does not exist.`);
    return fromEnv;
  }
  return candidates.find((p) => existsSync(p)) ?? null;
}

/** Debian's `chromium` package; /usr/bin/chromium is a wrapper script, this is the binary. */
const CHROMIUM_CANDIDATES = ['/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/chromium-browser'];

export function chromiumExecutable(): string {
  const found = findExecutable('CHROMIUM_PATH', CHROMIUM_CANDIDATES);
  if (!found) {
    throw new BrowserMissingError(
      `Chromium is not installed (looked at ${CHROMIUM_CANDIDATES.join(', ')}). Install it with \`sudo apt-get install chromium\` (Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium binary.`,
    );
  }
  return found;
}

/** Debian's `firefox-esr` (or a `firefox` on PATH's usual places). */
const FIREFOX_CANDIDATES = ['/usr/lib/firefox-esr/firefox-esr', '/usr/bin/firefox-esr', '/usr/lib/firefox/firefox', '/usr/bin/firefox'];

export function firefoxExecutable(): string {
  const found = findExecutable('FIREFOX_PATH', FIREFOX_CANDIDATES);
  if (!found) {
    throw new BrowserMissingError(
      `Firefox is not installed (looked at ${FIREFOX_CANDIDATES.join(', ')}). Install it with \`sudo apt-get install firefox-esr\` (Debian), or set FIREFOX_PATH to a Firefox binary.`,
    );
  }
  return found;
}

/** WebKitGTK's W3C WebDriver (Debian `webkit2gtk-driver`) and the MiniBrowser it drives (`libwebkit2gtk-4.1-0`). */
const WEBKIT_DRIVER_CANDIDATES = ['/usr/bin/WebKitWebDriver'];
const MINIBROWSER_CANDIDATES = [
  '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
  '/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
  '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.0/MiniBrowser',
  '/usr/lib/aarch64-linux-gnu/webkit2gtk-4.0/MiniBrowser',
];

export function webkitExecutables(): { driver: string; browser: string } {
  const driver = findExecutable('WEBKIT_WEBDRIVER_PATH', WEBKIT_DRIVER_CANDIDATES);
  const browser = findExecutable('MINIBROWSER_PATH', MINIBROWSER_CANDIDATES);
  if (!driver || !browser) {
    throw new BrowserMissingError(
      `WebKitGTK is not installed (${driver ? '' : `no WebKitWebDriver at ${WEBKIT_DRIVER_CANDIDATES.join(', ')}; `}${browser ? '' : `no MiniBrowser at ${MINIBROWSER_CANDIDATES.join(', ')}`}). Install it with \`sudo apt-get install webkit2gtk-driver xvfb\` (Debian), or set WEBKIT_WEBDRIVER_PATH and MINIBROWSER_PATH.`,
    );
  }
  return { driver, browser };
}

/** Checks that a family's binaries are here, before any browser starts (exit 3 names what to install). */
export function checkInstalled(family: SupportedBrowser): void {
  if (family === 'chromium') chromiumExecutable();
  else if (family === 'firefox') firefoxExecutable();
  else webkitExecutables();
}

/**
 * Names Chromium may resolve: the lab is served on loopback. Every other name
 * resolves to nothing, so no request can reach another host even if some
 * browser service were still awake.
 */
export const k_host_resolver_rules = 'MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost';
/**
 * A proxy nobody listens on (port 9, "discard", on loopback): a request to an
 * IP literal, which the resolver rules cannot stop, goes there and fails.
 * Chromium never proxies loopback, so the lab's own server is reached directly.
 * Firefox and WebKit get the same dead proxy (cli/drivers/firefox.ts, webkit.ts).
 */
export const k_dead_proxy = 'http://127.0.0.1:9';

/**
 * Flags from ../shared/ENVIRONMENT.md plus the switches that keep Chromium's
 * own services (updates, sync, safe browsing, metrics, crash reports, field
 * trials) from calling home; software GPU allowed. No --disable-features here:
 * Chromium keeps only the last one, and Playwright passes its own (which turns
 * off optimisation hints, network time queries and search preconnects). The e2e in cli.spec.ts reads the browser's own network log
 * to prove that nothing but the lab's origin is contacted.
 */
export function chromiumArgs({ webgpu }: { webgpu: boolean }): string[] {
  const args = [
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-default-apps',
    '--disable-extensions',
    '--disable-component-extensions-with-background-pages',
    '--disable-domain-reliability',
    '--disable-client-side-phishing-detection',
    '--disable-breakpad',
    '--disable-field-trial-config',
    '--metrics-recording-only',
    '--no-pings',
    '--safebrowsing-disable-auto-update',
    `--host-resolver-rules=${k_host_resolver_rules}`,
    `--proxy-server=${k_dead_proxy}`,
    '--enable-unsafe-swiftshader',
  ];
  if (typeof process.getuid === 'function' && process.getuid() === 0) args.push('--no-sandbox');
  if (webgpu) args.push('--enable-unsafe-webgpu');
  return args;
}

export function chromiumLaunchOptions({ webgpu, netLog }: { webgpu: boolean; netLog?: string }): LaunchOptions {
  const args = chromiumArgs({ webgpu });
  // Chromium's own record of every request, name lookup and connection (JSON), for anyone who wants to check the claim.
  if (netLog) args.push(`--log-net-log=${netLog}`, '--net-log-capture-mode=Default');
  return { executablePath: chromiumExecutable(), args };
}
