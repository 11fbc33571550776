import { describe, expect, it } from 'vitest';
import { browserFamily, parseBrowser } from './browser-info';

const CHROMIUM_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';
const FIREFOX_UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0';
const EPIPHANY_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15';

describe('parseBrowser', () => {
  it('prefers client hints and skips the GREASE brand', () => {
    const info = parseBrowser(CHROMIUM_UA, 'Linux', [
      { brand: 'Not)A;Brand', version: '99.0.0.0' },
      { brand: 'Chromium', version: '156.0.8078.79' },
    ]);
    expect(info).toMatchObject({ name: 'Chromium', version: '156.0.8078.79' });
  });

  it('names Chrome over Chromium when both brands are present', () => {
    const info = parseBrowser(CHROMIUM_UA, 'Linux', [
      { brand: 'Chromium', version: '156.0.1.2' },
      { brand: 'Google Chrome', version: '156.0.1.2' },
    ]);
    expect(info.name).toBe('Chrome');
  });

  it('falls back to the user-agent string', () => {
    expect(parseBrowser(FIREFOX_UA, 'Linux')).toMatchObject({ name: 'Firefox', version: '153.0' });
    expect(parseBrowser(CHROMIUM_UA, 'Linux')).toMatchObject({ name: 'Chrome', version: '156.0.0.0' });
    // Epiphany is WebKitGTK: on Linux the Safari version in its user agent is a compatibility string.
    expect(parseBrowser(EPIPHANY_UA, 'Linux')).toMatchObject({ name: 'WebKitGTK/WPE' });
    const safari = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15';
    expect(parseBrowser(safari, 'MacIntel')).toMatchObject({ name: 'Safari', version: '18.0' });
  });

  it('names WebKitGTK on Linux instead of the made-up "Safari 60.5" its user agent carries', () => {
    const gtk = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/60.5 Safari/605.1.15';
    expect(parseBrowser(gtk, 'Linux x86_64')).toMatchObject({ name: 'WebKitGTK/WPE' });
    expect(parseBrowser(gtk, 'Linux x86_64').version).toMatch(/^unknown/);
    expect(browserFamily(gtk)).toBe('webkit');
    expect(browserFamily(FIREFOX_UA)).toBe('firefox');
    expect(browserFamily(CHROMIUM_UA)).toBe('chromium');
    expect(browserFamily(EPIPHANY_UA)).toBe('webkit');
  });

  it('says unknown rather than guessing', () => {
    expect(parseBrowser('curl/8', 'x')).toMatchObject({ name: 'unknown', version: 'unknown' });
  });
});
