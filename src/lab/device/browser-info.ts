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
  // WebKitGTK (and WPE) send Safari's user agent with a made-up version ("Version/60.5 Safari/605.1.15") on
  // Linux, where no Safari exists: naming it "Safari 60.5" would name a browser that did not run.
  if (browserFamily(userAgent) === 'webkit' && /Linux/.test(userAgent) && !/Android/.test(userAgent)) {
    return { name: 'WebKitGTK/WPE', version: 'unknown (the user agent carries Safari\'s compatibility string, not the build)', userAgent, platform };
  }
  for (const [name, pattern] of UA_PATTERNS) {
    const version = pattern.exec(userAgent)?.[1];
    if (version) return { name, version, userAgent, platform };
  }
  return { name: 'unknown', version: 'unknown', userAgent, platform };
}

export type EngineFamily = 'chromium' | 'firefox' | 'webkit' | 'other';

/** The rendering engine behind a user agent, for reasons that must fit the browser they are shown in. Works in workers too. */
export function browserFamily(userAgent: string): EngineFamily {
  if (/Firefox\//.test(userAgent)) return 'firefox';
  if (/Chrom(e|ium)\/|Edg\/|OPR\//.test(userAgent)) return 'chromium';
  if (/AppleWebKit\//.test(userAgent)) return 'webkit';
  return 'other';
}
