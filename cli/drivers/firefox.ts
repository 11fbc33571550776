import { spawnSync } from 'node:child_process';
import puppeteer from 'puppeteer-core';
import { BrowserMissingError, firefoxExecutable, k_dead_proxy } from '../browsers';
import type { LabPage } from './lab-page';
import { ErrorInbox } from './lab-page';
import { packageVersion } from './versions';
import type { Display } from './xvfb';
import { ensureDisplay } from './xvfb';

/**
 * Firefox through WebDriver BiDi with puppeteer-core: the client Mozilla and
 * the Puppeteer team maintain Firefox support in together, and it drives the
 * Debian build as it is. (Playwright's `moz-firefox` channel trips on a BiDi
 * command this build does not know and would need a shim in front of the
 * socket; Playwright's own Firefox is a patched build that cannot be
 * downloaded here.)
 */
const dead = new URL(k_dead_proxy);

/**
 * Every request but loopback goes to a proxy port nobody listens on (so no
 * DNS lookup either: a proxied request is resolved by the proxy), and the
 * services Firefox runs by itself are off. Puppeteer's own profile already
 * turns off updates, telemetry and the like; these are the lab's additions.
 */
export const FIREFOX_ISOLATION_PREFS: Record<string, string | number | boolean> = {
  'network.proxy.type': 1,
  'network.proxy.http': dead.hostname,
  'network.proxy.http_port': Number(dead.port),
  'network.proxy.ssl': dead.hostname,
  'network.proxy.ssl_port': Number(dead.port),
  'network.proxy.socks': dead.hostname,
  'network.proxy.socks_port': Number(dead.port),
  'network.proxy.socks_remote_dns': true,
  'network.proxy.no_proxies_on': '',
  // Loopback is never proxied (the lab is served there).
  'network.proxy.allow_hijacking_localhost': false,
  'network.trr.mode': 5,
  'network.dns.disablePrefetch': true,
  'network.prefetch-next': false,
  'network.http.speculative-parallel-limit': 0,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'media.peerconnection.enabled': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'browser.safebrowsing.downloads.enabled': false,
  'browser.safebrowsing.provider.mozilla.updateURL': '',
  'extensions.update.enabled': false,
  'app.normandy.enabled': false,
  'services.settings.server': k_dead_proxy,
  'toolkit.telemetry.enabled': false,
  'datareporting.healthreport.uploadEnabled': false,
  'geo.enabled': false,
};

export const k_firefox_network =
  "every request but loopback goes to a closed proxy port (no DNS lookups for them), WebRTC is off, and Firefox's update, telemetry, safe-browsing, remote-settings, captive-portal and connectivity services are off by preference; not checked against a network log of Firefox's own";

function firefoxBuild(executable: string, reported: string): { name: string; version: string } {
  // `firefox --version` says "Mozilla Firefox 153.8.0esr": the ESR mark that the protocol's version string lacks.
  const out = spawnSync(executable, ['--version'], { encoding: 'utf8', timeout: 10_000 }).stdout ?? '';
  const version = /Firefox\s+(\S+)/.exec(out)?.[1] ?? reported.replace(/^firefox\//i, '');
  return { name: /esr$/i.test(version) ? 'Firefox ESR' : 'Firefox', version };
}

export async function launchFirefox(): Promise<LabPage> {
  const executable = firefoxExecutable();
  let display: Display | null = null;
  const notes: string[] = [];
  try {
    display = await ensureDisplay('Firefox with WebGL');
    notes.push(`Firefox ran ${display.note}: headless Firefox has no WebGL here`);
  } catch (error) {
    if (!(error instanceof BrowserMissingError)) throw error;
    notes.push('Firefox ran headless (no DISPLAY and no Xvfb): it offers no WebGL there, so WebGL cells are unavailable for that reason');
  }
  try {
    const browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: executable,
      headless: display === null,
      extraPrefsFirefox: FIREFOX_ISOLATION_PREFS,
      env: { ...process.env, ...(display ? { DISPLAY: display.display } : {}) },
    });
    const page = await browser.newPage();
    const inbox = new ErrorInbox();
    page.on('pageerror', (error) => inbox.push(error instanceof Error ? error.message : String(error)));
    page.on('console', (message) => {
      if (message.type() === 'error') inbox.push(`console: ${message.text()}`);
    });
    const { name, version } = firefoxBuild(executable, await browser.version());
    return {
      build: { family: 'firefox', name, version, driver: `puppeteer-core ${packageVersion('puppeteer-core')} over WebDriver BiDi` },
      network: k_firefox_network,
      notes,
      goto: async (url) => {
        await page.goto(url);
      },
      // Plain JSON crosses the protocol: the handle-unwrapping generics of Puppeteer's signature do not apply.
      evaluate: async <A, R>(fn: (arg: A) => R | Promise<R>, arg: A) => (await page.evaluate(fn as (arg: unknown) => unknown, arg)) as R,
      takeErrors: () => inbox.take(),
      close: async () => {
        try {
          await browser.close();
        } finally {
          await display?.close();
        }
      },
    };
  } catch (error) {
    await display?.close();
    throw error;
  }
}
