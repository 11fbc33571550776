import { existsSync } from 'node:fs';
import type { LaunchOptions } from '@playwright/test';

export const PREVIEW_PORT = 4317;
export const PREVIEW_BASE_PATH = '/inference-lab/';

/** Debian's `chromium` package; /usr/bin/chromium is a wrapper script, this is the binary. */
const CHROMIUM_CANDIDATES = ['/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/chromium-browser'];

export function chromiumExecutable(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return fromEnv;
  const found = CHROMIUM_CANDIDATES.find((p) => existsSync(p));
  if (!found) {
    throw new Error(`No Chromium found (looked at ${CHROMIUM_CANDIDATES.join(', ')}). Install it with: apt-get install chromium, or set CHROMIUM_PATH.`);
  }
  return found;
}

/** Flags from ../shared/ENVIRONMENT.md: no network chatter, software GPU allowed. */
export function chromiumArgs({ webgpu }: { webgpu: boolean }): string[] {
  const args = [
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--enable-unsafe-swiftshader',
  ];
  if (typeof process.getuid === 'function' && process.getuid() === 0) args.push('--no-sandbox');
  if (webgpu) args.push('--enable-unsafe-webgpu');
  return args;
}

export function chromiumLaunchOptions({ webgpu }: { webgpu: boolean }): LaunchOptions {
  return { executablePath: chromiumExecutable(), args: chromiumArgs({ webgpu }) };
}
