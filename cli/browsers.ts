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

/** Flags from ../shared/ENVIRONMENT.md: no network chatter, software GPU allowed. */
export function chromiumArgs({ webgpu }: { webgpu: boolean }): string[] {
  const args = ['--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--enable-unsafe-swiftshader'];
  if (typeof process.getuid === 'function' && process.getuid() === 0) args.push('--no-sandbox');
  if (webgpu) args.push('--enable-unsafe-webgpu');
  return args;
}

export function chromiumLaunchOptions({ webgpu }: { webgpu: boolean }): LaunchOptions {
  return { executablePath: chromiumExecutable(), args: chromiumArgs({ webgpu }) };
}
