import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { k_dead_proxy, webkitExecutables } from '../browsers';
import type { LabPage } from './lab-page';
import { stop, track } from './children';
import { openWebDriverSession } from './webdriver';
import { ensureDisplay } from './xvfb';
import { TimeoutError } from '../../src/lab/util/timeout';

/** How long WebKitWebDriver may take to answer /status. */
const k_driver_start_timeout_ms = 15_000;
/**
 * How long a local MiniBrowser session may take to open (about 0.3 s here).
 * When MiniBrowser dies while the session starts, WebKitWebDriver 2.50 never
 * answers the request (seen with a crash in its proxy settings, now avoided:
 * see the capabilities below); the launch is then retried once with a fresh
 * driver and display, and the run's notes say so.
 */
const k_local_session_timeout_ms = 45_000;

export const k_webkit_network =
  "every request but those to 127.0.0.1 (where the lab is served) goes to a closed proxy port (the W3C proxy capability, which WebKitWebDriver applies to MiniBrowser's session); WebKitGTK's own background services are not switched off one by one (MiniBrowser runs none that the lab knows of) and no network log is checked";

/**
 * What SharedArrayBuffer needs in WebKitGTK: JavaScriptCore keeps it off
 * unless told (it is on in Safari only with cross-origin isolation); without
 * it the wasm engines run one thread. Set in the driver's environment, which
 * MiniBrowser's processes inherit.
 */
export const WEBKIT_ENV = { JSC_useSharedArrayBuffer: '1' } as const;

/** A TCP port free on loopback now (for a driver process this CLI starts). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForStatus(url: string, exited: () => string | null): Promise<void> {
  const deadline = Date.now() + k_driver_start_timeout_ms;
  for (;;) {
    const gone = exited();
    if (gone !== null) throw new Error(`WebKitWebDriver exited before it was ready: ${gone}`);
    try {
      const response = await fetch(`${url}/status`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`WebKitWebDriver did not answer ${url}/status within ${k_driver_start_timeout_ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * WebKitGTK's MiniBrowser through its own W3C WebDriver, started here on a
 * free loopback port, under a display (a private Xvfb when there is none:
 * without one the session request hangs). A session request left unanswered
 * is tried once more with a fresh driver and display (see
 * k_local_session_timeout_ms); any other failure is not retried.
 */
export async function launchWebKit(): Promise<LabPage> {
  try {
    return await launchWebKitOnce([]);
  } catch (error) {
    if (!(error instanceof TimeoutError)) throw error;
    // Without the error's text: it names the dead driver's loopback URL, which means nothing in a report (and a report links nowhere).
    return launchWebKitOnce([`the first WebKitWebDriver session request went unanswered for ${k_local_session_timeout_ms / 1000} s; the run used a second driver and display, started fresh`]);
  }
}

async function launchWebKitOnce(retryNotes: string[]): Promise<LabPage> {
  const { driver, browser } = webkitExecutables();
  const display = await ensureDisplay('WebKitGTK (MiniBrowser)');
  const port = await freePort();
  const child = track(
    spawn(driver, [`--port=${port}`, '--host=127.0.0.1'], {
      env: { ...process.env, DISPLAY: display.display, ...WEBKIT_ENV },
      stdio: ['ignore', 'ignore', 'pipe'],
    }),
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const cleanup = async () => {
    await stop(child);
    await display.close();
  };
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForStatus(url, () => (child.exitCode !== null ? `code ${child.exitCode}: ${stderr.trim()}` : null));
  } catch (error) {
    await cleanup();
    throw error;
  }
  const proxy = new URL(k_dead_proxy).host;
  return openWebDriverSession({
    url,
    capabilities: {
      browserName: 'MiniBrowser',
      'webkitgtk:browserOptions': { binary: browser, args: ['--automation'] },
      // One bypass entry only: with two ('127.0.0.1', 'localhost') MiniBrowser 2.50.6 crashed (SIGSEGV) on the
      // session request in 4 of 20 sessions here, 0 of 60 with one; the lab is served at 127.0.0.1.
      proxy: { proxyType: 'manual', httpProxy: proxy, sslProxy: proxy, noProxy: ['127.0.0.1'] },
    },
    network: k_webkit_network,
    sessionTimeoutMs: k_local_session_timeout_ms,
    notes: [
      ...retryNotes,
      `MiniBrowser ran ${display.note}`,
      'JSC_useSharedArrayBuffer=1 (JavaScriptCore keeps SharedArrayBuffer off without it, and the wasm engines would run one thread)',
      "WebGL in workers left at WebKitGTK's default (off): the lab runs every cell in a worker, so the WebGL cells say they cannot run there",
    ],
    cleanup,
  });
}
