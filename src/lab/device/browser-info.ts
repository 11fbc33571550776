import type { BrowserInfo } from './device-report';

interface Brand {
  brand: string;
  version: string;
}

// Order matters: Edge and Opera also say "Chrome", Chrome also says "Safari".
const UA_PATTERNS: ReadonlyArray<readonly [name: string, pattern: RegExp]> = [
  ['Edge', /Edg\/([\d.]+)/],
  ['Opera', /OPR\/([\d.]+)/],
  ['Firefox', /Firefox\/([\d.]+)/],
  ['Chromium', /Chromium\/([\d.]+)/],
  ['Chrome', /Chrome\/([\d.]+)/],
  ['Safari', /Version\/([\d.]+).*Safari/],
  ['WebKit', /AppleWebKit\/([\d.]+)/],
];

const IGNORED_BRANDS = /not.?a.?brand/i;

/**
 * Names the browser. Client hints (full version list) are preferred because
 * Chromium freezes the minor version in the user-agent string.
 */
export function parseBrowser(userAgent: string, platform: string, brands?: readonly Brand[]): BrowserInfo {
  const real = (brands ?? []).filter((b) => !IGNORED_BRANDS.test(b.brand));
  const preferred = real.find((b) => !/^Chromium$/i.test(b.brand)) ?? real[0];
  if (preferred) {
    const name = preferred.brand.replace(/^Google /, '');
    return { name, version: preferred.version, userAgent, platform };
  }
  for (const [name, pattern] of UA_PATTERNS) {
    const version = pattern.exec(userAgent)?.[1];
    if (version) return { name, version, userAgent, platform };
  }
  return { name: 'unknown', version: 'unknown', userAgent, platform };
}
