import { existsSync } from 'node:fs';
import type { LaunchOptions } from '@playwright/test';

/** Browsers the CLI can drive today; others are named and refused (exit 3), never skipped. */
export const SUPPORTED_BROWSERS = ['chromium'] as const;
export type SupportedBrowser = (typeof SUPPORTED_BROWSERS)[number];

/** Debian's `chromium` package; /usr/bin/chromium is a wrapper script, this is the binary. */
const CHROMIUM_CANDIDATES = ['/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/chromium-browser'];

export class BrowserMissingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BrowserMissingError';
  }
}

export function chromiumExecutable(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new BrowserMissingError(`CHROMIUM_PATH points at ${fromEnv}, which does not exist.`);
    return fromEnv;
  }
  const found = CHROMIUM_CANDIDATES.find((p) => existsSync(p));
  if (!found) {
    throw new BrowserMissingError(
      `Chromium is not installed (looked at ${CHROMIUM_CANDIDATES.join(', ')}). Install it with \`sudo apt-get install chromium\` (Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium binary.`,
    );
  }
  return found;
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
 */
export const k_dead_proxy = 'http://127.0.0.1:9';

/**
 * Flags from ../shared/ENVIRONMENT.md plus the switches that keep Chromium's
 * own services (updates, sync, safe browsing, metrics, crash reports, field
 * trials) from calling home; software GPU allowed. No --disable-features here:
 * Chromium keeps only the last one, and Playwright passes its own (which turns
 * off optimisation hints, network time queries and search preconnects). The e2e in cli-network.spec.ts reads the browser's own network log
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
