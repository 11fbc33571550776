import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { chromium } from 'playwright-core';
import { XMLParser } from 'fast-xml-parser';
import { chromiumArgs, chromiumExecutable, webkitExecutables } from '../cli/browsers';
import { freePort, WEBKIT_ENV } from '../cli/drivers/webkit';
import type { Display } from '../cli/drivers/xvfb';
import { ensureDisplay } from '../cli/drivers/xvfb';
import type { MergedComparison } from '../src/lab/results/merge';
import type { ResultsDocument } from '../src/lab/results/results';
import type { CliRun } from './cli-run';
import { cli, cliAsync, readOut, writeJson } from './cli-run';
import { TEST_RULES } from './lab-page';

/**
 * The CLI in all three browser families, and through remote endpoints, on the
 * smallest plan that shows each browser's honest states: the quick plan's CPU
 * engines (which must complete with agreement everywhere) plus one WebGL and
 * one WebGPU cell (which each browser runs or refuses in its own words). One
 * local run feeds several assertions; shards and remote runs are compared
 * with it. Merge, shard, JUnit and report logic is unit-tested; this proves
 * it on real files.
 */
const CPU = ['ort-wasm', 'tfjs-cpu', 'tfjs-wasm'] as const;
const PLAN = {
  schemaVersion: 1,
  modelId: 'cps-wage',
  cells: [...CPU.map((engine) => ({ engine })), { engine: 'ort-wasm', precision: 'int8' }, { engine: 'tfjs-webgl' }, { engine: 'ort-webgpu' }],
  batchSizes: [1],
  rules: TEST_RULES,
};
const planPath = writeJson('plan.json', PLAN);

function results(run: CliRun, file: string): ResultsDocument {
  return JSON.parse(readOut(run, file)) as ResultsDocument;
}

const states = (doc: ResultsDocument) => doc.cells.map((c) => [c.cellId, c.state]);

test.describe.serial('inference-lab in Chromium, Firefox and WebKit', () => {
  let local: CliRun;
  /** The known Firefox ESR issue (below) happened in the local run: its one failure is then expected wherever that run is judged. */
  let firefoxHung = false;

  test('one command runs the plan in all three; CPU cells agree everywhere, every other cell says why in its own browser', () => {
    // Room for the two known slow paths at once on a loaded machine: Firefox's hung TF.js wasm cell (60 s) and WebKit's retried session (45 s).
    test.setTimeout(360_000);
    local = cli(['run', '--plan', planPath, '--browsers', 'chromium,firefox,webkit'], {}, undefined, 330_000);
    const docs = { chromium: results(local, 'results-chromium.json'), firefox: results(local, 'results-firefox.json'), webkit: results(local, 'results-webkit.json') };
    // Known: Firefox ESR 153's start of TF.js's threaded wasm build sometimes never finishes (about 1 run in 3 here,
    // with 1 or 2 threads); the lab reports that cell errored (worker-hung), which fails the run. That one failure
    // is tolerated here, named; any other failure is not.
    const hung = (c: ResultsDocument['cells'][number]) => c.state === 'errored' && c.error.kind === 'worker-hung';
    const firefoxTfjsWasm = docs.firefox.cells.find((c) => c.engine === 'tfjs-wasm')!;
    firefoxHung = hung(firefoxTfjsWasm);
    if (firefoxHung) test.info().annotations.push({ type: 'known issue', description: 'Firefox ESR: TF.js threaded wasm did not start (worker-hung)' });
    expect(local.status, local.stderr + local.stdout).toBe(firefoxHung ? 1 : 0);
    // Known too: WebKitWebDriver sometimes leaves a session request unanswered; the CLI retries once, and its notes say so.
    const webkitRetry = docs.webkit.origin?.notes.find((n) => n.includes('session request went unanswered'));
    if (webkitRetry) test.info().annotations.push({ type: 'known issue', description: `WebKit: ${webkitRetry}` });
    for (const [family, doc] of Object.entries(docs)) {
      for (const cell of doc.cells.filter((c) => (CPU as readonly string[]).includes(c.engine))) {
        if (cell === firefoxTfjsWasm && hung(cell)) continue;
        expect(cell.state, `${family} ${cell.cellId}: ${JSON.stringify(cell.state === 'errored' ? cell.error : '')}`).toBe('completed');
        if (cell.state === 'completed') for (const a of cell.agreement) expect(a.maxAbsDiff).toBeLessThanOrEqual(a.tolerance);
      }
      expect(doc.origin?.browser.family).toBe(family);
    }
    // Named by the engine and build that ran, not by a user agent's compatibility string.
    expect(docs.webkit.origin?.browser).toMatchObject({ name: 'WebKitGTK MiniBrowser', version: expect.stringMatching(/^2\.\d+\.\d+$/) });
    expect(docs.webkit.device.browser.name).toBe('WebKitGTK/WPE');
    expect(docs.firefox.origin?.browser.name).toMatch(/^Firefox/);
    expect(docs.firefox.origin?.browser.driver).toMatch(/WebDriver BiDi/);
    // WebKit: SharedArrayBuffer switched on, so the wasm engines really ran threads; WebGL exists on the page but not in a worker, and the cell says so.
    expect(docs.webkit.device.sharedArrayBuffer).toBe(true);
    expect(docs.webkit.device.webglInWorker?.status).toBe('unavailable');
    const webkitGl = docs.webkit.cells.find((c) => c.engine === 'tfjs-webgl')!;
    expect(webkitGl.state === 'unavailable' && webkitGl.reason).toMatch(/No WebGL 2 context in a worker.*AllowWebGLInWorkers/);
    // A masked renderer ("Apple GPU" on a machine without one) is not claimed as hardware.
    if (docs.webkit.device.webgl.status === 'available') expect(docs.webkit.device.webgl.detail.software).toBeNull();
    // WebGPU: Chromium runs it (SwiftShader); Firefox and WebKit refuse it with their own reasons, never a Chromium flag.
    for (const family of ['firefox', 'webkit'] as const) {
      const gpu = docs[family].cells.find((c) => c.engine === 'ort-webgpu')!;
      expect(gpu.state).toBe('unavailable');
      expect(gpu.state === 'unavailable' && gpu.reason).not.toMatch(/Chromium|--enable-unsafe-webgpu/);
    }
    expect(docs.chromium.cells.find((c) => c.engine === 'ort-webgpu')?.state).toBe('completed');
    // JUnit: one suite per browser.
    const junit = new XMLParser({ ignoreAttributes: false, isArray: (n) => n === 'testsuite' }).parse(readFileSync(join(local.out, 'junit.xml'), 'utf8')) as {
      testsuites: { testsuite: { '@_name': string }[] };
    };
    expect(junit.testsuites.testsuite.map((s) => s['@_name'])).toEqual(['chromium · cps-wage', 'firefox · cps-wage', 'webkit · cps-wage']);
  });

  test('merge of the three browsers gives one report with a browser × cell table and all three runs', () => {
    const merged = cli(['merge', ...['chromium', 'firefox', 'webkit'].map((b) => join(local.out, `results-${b}.json`))]);
    // The merge judges every run: the known Firefox failure, when it happened, fails it too, and only that.
    expect(merged.status, merged.stderr + merged.stdout).toBe(firefoxHung ? 1 : 0);
    if (firefoxHung) expect(merged.stdout.split('\n').filter((l) => l.includes('FAIL'))).toEqual(['  FAIL [firefox] 2:tfjs-wasm:fp32 state: errored (worker-hung): The worker did not answer within 60 s and was stopped']);
    const comparison = JSON.parse(readFileSync(join(merged.out, 'merged.json'), 'utf8')) as MergedComparison;
    expect(comparison.labels).toEqual(['chromium', 'firefox', 'webkit']);
    expect(comparison.rows.find((r) => r.key === 'ort-wasm:fp32')?.entries.webkit?.state).toBe('completed');
    const html = readFileSync(join(merged.out, 'report.html'), 'utf8');
    expect(html).toContain('<h2>Across browsers and devices: chromium · firefox · webkit</h2>');
    for (const b of ['chromium', 'firefox', 'webkit']) expect(html).toContain(`<h2 id="run-${b}">`);
    expect(html).not.toMatch(/<script|https?:\/\//);
  });

  test('--shard 1/2 and 2/2, merged, give the unsharded cell set', () => {
    const shards = [1, 2].map((i) => cli(['run', '--plan', planPath, '--shard', `${i}/2`, '--quiet']));
    for (const s of shards) expect(s.status, s.stderr + s.stdout).toBe(0);
    const files = shards.map((s, i) => join(s.out, `results-chromium-shard-${i + 1}of2.json`));
    expect(results(shards[0]!, 'results-chromium-shard-1of2.json').cells.map((c) => c.cellId)).toEqual(['0:ort-wasm:fp32', '2:tfjs-wasm:fp32', '4:tfjs-webgl:fp32']);
    const merged = cli(['merge', ...files]);
    expect(merged.status, merged.stderr + merged.stdout).toBe(0);
    expect(states(results(merged, 'results-chromium.json'))).toEqual(states(results(local, 'results-chromium.json')));
  });

  test('--connect (a Playwright browser server) gives the same states as the local run', async () => {
    const server = await chromium.launchServer({ executablePath: chromiumExecutable(), args: chromiumArgs({ webgpu: true }), headless: true });
    try {
      // Not spawnSync: this process serves the browser server the CLI connects to.
      const remote = await cliAsync(['run', '--plan', planPath, '--connect', server.wsEndpoint(), '--quiet']);
      expect(remote.status, remote.stderr + remote.stdout).toBe(0);
      const doc = results(remote, 'results-chromium.json');
      expect(doc.origin?.browser.endpoint).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
      expect(states(doc)).toEqual(states(results(local, 'results-chromium.json')));
    } finally {
      await server.close();
    }
  });

  test('--webdriver with chromedriver and with WebKitWebDriver as standalone endpoints gives the same states as the local runs', async () => {
    const started: ChildProcess[] = [];
    let display: Display | undefined;
    const endpoint = async (command: string, env: NodeJS.ProcessEnv = {}) => {
      const port = await freePort();
      const child = spawn(command, [`--port=${port}`], { env: { ...process.env, ...env }, stdio: 'ignore' });
      started.push(child);
      // Generous: on a loaded 2-core machine a driver can take seconds to listen.
      for (let i = 0; i < 300; i += 1) {
        if (await fetch(`http://127.0.0.1:${port}/status`).then((r) => r.ok, () => false)) return `http://127.0.0.1:${port}`;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`${command} did not start`);
    };
    try {
      const chromedriver = await endpoint('chromedriver');
      const caps = writeJson('caps.json', { browserName: 'chrome', 'goog:chromeOptions': { binary: chromiumExecutable(), args: ['--headless=new', ...chromiumArgs({ webgpu: true })] } });
      const viaChromedriver = cli(['run', '--plan', planPath, '--webdriver', chromedriver, '--capabilities', caps, '--label', 'chromium-webdriver', '--quiet']);
      expect(viaChromedriver.status, viaChromedriver.stderr + viaChromedriver.stdout).toBe(0);
      expect(states(results(viaChromedriver, 'results-chromium-webdriver.json'))).toEqual(states(results(local, 'results-chromium.json')));

      display = await ensureDisplay('the WebKitWebDriver endpoint');
      const { driver, browser } = webkitExecutables();
      const webkitDriver = await endpoint(driver, { DISPLAY: display.display, ...WEBKIT_ENV });
      const wkCaps = writeJson('caps.json', { browserName: 'MiniBrowser', 'webkitgtk:browserOptions': { binary: browser, args: ['--automation'] } });
      const viaWebKitDriver = cli(['run', '--plan', planPath, '--webdriver', webkitDriver, '--capabilities', wkCaps, '--quiet']);
      expect(viaWebKitDriver.status, viaWebKitDriver.stderr + viaWebKitDriver.stdout).toBe(0);
      const doc = results(viaWebKitDriver, 'results-webkit.json');
      expect(doc.origin?.browser.name).toBe('WebKitGTK MiniBrowser');
      expect(states(doc)).toEqual(states(results(local, 'results-webkit.json')));
    } finally {
      for (const child of started) child.kill('SIGTERM');
      await display?.close();
    }
  });
});

test('a run started through window.inferenceLab.run() shows in the page, not "Ready"', async ({ page }) => {
  await page.goto('./');
  await page.waitForFunction(() => window.inferenceLab !== undefined);
  await expect(page.getByTestId('run-status')).toHaveText('Ready');
  const finished = page.evaluate((plan) => window.inferenceLab!.run(plan).then((r) => r.status), { schemaVersion: 1, modelId: 'cps-wage', cells: [{ engine: 'tfjs-cpu' }], batchSizes: [1], rules: TEST_RULES });
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'running');
  await expect(page.getByTestId('run-status')).toContainText('Cell 1 of 1: TF.js CPU');
  expect(await finished).toBe('complete');
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'done');
});
