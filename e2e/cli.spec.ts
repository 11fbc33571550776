import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { XMLParser } from 'fast-xml-parser';
import type { Check } from '../src/lab/results/checks';
import type { ResultsDocument } from '../src/lab/results/results';
import { summariseBatch } from '../src/lab/bench/batch-measurement';
import { k_dead_proxy } from '../cli/browsers';
import { judgeNetLog, readNetLog } from '../cli/net-log';
import type { CliRun } from './cli-run';
import { cli, writeJson } from './cli-run';
import { TEST_RULES } from './lab-page';

/** A results file a CLI run wrote (also the unit tests' fixture). */
const fixture = JSON.parse(readFileSync(resolve(import.meta.dirname, '../src/lab/results/fixtures/results-chromium.json'), 'utf8')) as Record<string, unknown>;

const PLAN = {
  schemaVersion: 1,
  modelId: 'cps-wage',
  cells: [{ engine: 'ort-wasm' }, { engine: 'tfjs-cpu' }],
  batchSizes: [1],
  rules: { ...TEST_RULES, rounds: 4, blockMinSamples: 10, blockMaxSamples: 30 },
};

test.describe('inference-lab CLI', () => {
  test('exit 0 with a generous budget, writing results, checks, JUnit and an HTML report; a baseline of itself passes', () => {
    const planPath = writeJson('plan.json', { ...PLAN, budget: { schemaVersion: 1, defaults: { maxP95Ms: 10_000, maxAbsDiff: 1e-4 } } });
    const first = cli(['run', '--plan', planPath]);
    expect(first.status, first.stderr + first.stdout).toBe(0);
    expect(first.stdout).toMatch(/\[1\/2\] ORT wasm: completed/);
    const results = JSON.parse(readFileSync(join(first.out, 'results-chromium.json'), 'utf8')) as ResultsDocument;
    expect(results.cells.map((c) => c.state)).toEqual(['completed', 'completed']);
    const junit = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(join(first.out, 'junit.xml'), 'utf8')) as {
      testsuites: { '@_failures': string; '@_tests': string };
    };
    expect(junit.testsuites['@_failures']).toBe('0');
    expect(Number(junit.testsuites['@_tests'])).toBe(7); // the run + 2 states + 2 P95 + 2 |Δ|
    const html = readFileSync(join(first.out, 'report.html'), 'utf8');
    expect(html).toContain('All checks hold');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|https?:\/\//);

    // Against itself: the medians are identical, so the regression check passes (judged without a new run: run-to-run noise is not the point here).
    const baselinePath = join(first.out, 'results-chromium.json');
    const budgetPath = writeJson('budget.json', { schemaVersion: 1, defaults: { maxRegression: 1.2 } });
    const same = cli(['compare', '--results', baselinePath, '--baseline', baselinePath, '--budget', budgetPath]);
    expect(same.status, same.stderr + same.stdout).toBe(0);
    const checks = JSON.parse(readFileSync(join(same.out, 'checks-chromium.json'), 'utf8')) as Check[];
    expect(checks.filter((c) => c.metric === 'regression').map((c) => [c.status, c.measured])).toEqual([
      ['pass', 1],
      ['pass', 1],
    ]);

    // Against a baseline ten times faster, it fails and says by how much.
    const faster = structuredClone(results);
    for (const cell of faster.cells) {
      if (cell.state !== 'completed') continue;
      // A consistent file: statistics rebuilt from the scaled samples, as compare re-derives them.
      cell.batches = cell.batches.map((b) => summariseBatch(b.batchSize, b.rounds.map((r) => r.map((x) => x / 10)), b.warmupMs, b.callsPerSample));
    }
    const slower = cli(['compare', '--results', baselinePath, '--baseline', writeJson('baseline.json', faster), '--budget', budgetPath]);
    expect(slower.status, slower.stderr + slower.stdout).toBe(1);
    expect(slower.stdout).toMatch(/FAIL 0:ort-wasm:fp32 b1 regression: median 10\.0× the baseline \(95% interval/);
    // The same baseline also works on a live run.
    const live = cli(['run', '--plan', planPath, '--baseline', writeJson('baseline.json', faster)]);
    expect(live.status, live.stderr + live.stdout).toBe(1);
    expect(live.stdout).toMatch(/FAIL 0:ort-wasm:fp32 b1 regression: median \d+(\.\d+)?× the baseline/);
  });

  test('exit 1 with an impossibly tight budget; the JUnit XML names the failing cell', () => {
    const budget = writeJson('budget.json', { schemaVersion: 1, defaults: { maxP95Ms: 1e-6 } });
    const run = cli(['run', '--plan', writeJson('plan.json', PLAN), '--budget', budget]);
    expect(run.status, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/FAIL 0:ort-wasm:fp32 b1 p95: P95 .* > limit 1\.00e-6 ms/);
    const junit = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'testcase' }).parse(
      readFileSync(join(run.out, 'junit.xml'), 'utf8'),
    ) as { testsuites: { testsuite: { testcase: { '@_name': string; failure?: { '@_message': string } }[] } } };
    const failing = junit.testsuites.testsuite.testcase.filter((t) => t.failure);
    expect(failing.map((t) => t['@_name'])).toEqual(['0:ort-wasm:fp32 b1 p95', '1:tfjs-cpu:fp32 b1 p95']);
    expect(failing[0]!.failure!['@_message']).toMatch(/^P95 .* > limit/);
  });

  test('exit 2 for a plan with a wrong field, naming it; exit 2 for a bad budget', () => {
    const badPlan = cli(['run', '--plan', writeJson('plan.json', { ...PLAN, batchSizes: [0] })]);
    expect(badPlan.status).toBe(2);
    expect(badPlan.stderr).toMatch(/plan\.json: Invalid plan:\nbatchSizes\.0: /);
    const typo = cli(['run', '--plan', writeJson('plan.json', { ...PLAN, treads: 2 })]);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toMatch(/Unrecognized key: "treads"/);
    const badBudget = cli(['run', '--plan', writeJson('plan.json', PLAN), '--budget', writeJson('b.json', { schemaVersion: 1, defaults: { maxP95: 1 } })]);
    expect(badBudget.status).toBe(2);
    expect(badBudget.stderr).toMatch(/Invalid budget:\ndefaults: Unrecognized key: "maxP95"/);
  });

  test('exit 2, never 4 with a stack trace, for every bad input, naming the problem', () => {
    const noStack = (r: CliRun) => expect(r.stderr, r.stderr).not.toMatch(/\n\s+at |unexpected failure/);
    const unknown = cli(['run', '--model', 'no-such-model']);
    expect(unknown.status, unknown.stderr).toBe(2);
    expect(unknown.stderr).toContain('Unknown model "no-such-model" (--model): the lab\'s zoo has cps-wage, fashion-mnist-cnn, esrgan-slim-x2.');
    noStack(unknown);
    const inPlan = cli(['run', '--plan', writeJson('plan.json', { ...PLAN, modelId: 'no-such-model' })]);
    expect(inPlan.status, inPlan.stderr).toBe(2);
    expect(inPlan.stderr).toMatch(/plan\.json: modelId "no-such-model" is not in the lab's zoo/);
    const path = cli(['run', '--model', 'file.onnx']);
    expect(path.status, path.stderr).toBe(2);
    expect(path.stderr).toContain('--model "file.onnx": no such file. --model takes an ONNX file, a TF.js model.json, or the id of a model in the lab\'s zoo (cps-wage, fashion-mnist-cnn, esrgan-slim-x2).');
    noStack(path);
    const nullLimit = cli(['run', '--plan', writeJson('plan.json', PLAN), '--budget', writeJson('b.json', { schemaVersion: 1, defaults: { maxP95Ms: null } })]);
    expect(nullLimit.status, nullLimit.stderr).toBe(2);
    expect(nullLimit.stderr).toMatch(/b\.json: Invalid budget:\ndefaults\.maxP95Ms: Invalid input: expected number, received null/);
    const { device: _device, ...noDevice } = fixture;
    const missing = cli(['compare', '--results', writeJson('results.json', noDevice)]);
    expect(missing.status, missing.stderr).toBe(2);
    expect(missing.stderr).toMatch(/results\.json: Invalid results file:\ndevice: Invalid input: expected object, received undefined/);
    noStack(missing);
    const cell = structuredClone(fixture) as { cells: Record<string, unknown>[] };
    delete cell.cells[0]!.descriptor;
    const missingInCell = cli(['compare', '--results', writeJson('results.json', cell), '--baseline', writeJson('baseline.json', fixture)]);
    expect(missingInCell.status, missingInCell.stderr).toBe(2);
    expect(missingInCell.stderr).toMatch(/Invalid results file:\ncells\.0\.descriptor: Invalid input/);
  });

  test("the CLI's Chromium exchanges data with no host but the lab's server, by Chromium's own network log", () => {
    const netLog = join(mkdtempSync(join(tmpdir(), 'inference-lab-netlog-')), 'net.json');
    const run = cli(['run', '--plan', writeJson('plan.json', { ...PLAN, cells: [{ engine: 'tfjs-cpu' }] }), '--net-log', netLog]);
    expect(run.status, run.stderr + run.stdout).toBe(0);
    const origin = /Serving the lab at (http:\/\/127\.0\.0\.1:\d+)\/inference-lab\/; the browser can reach no other host\./.exec(run.stdout)?.[1];
    expect(origin, run.stdout).toBeDefined();
    const log = readNetLog(netLog);
    // The log is live: it holds the lab's own page, model and engine requests, over sockets that sent bytes.
    expect(log.requests.map((r) => r.url)).toContain(`${origin}/inference-lab/models/cps-wage/manifest.json`);
    expect(log.sockets.filter((s) => s.connected && s.bytesSent > 0).map((s) => s.address)).toContain(new URL(origin!).host);
    const verdict = judgeNetLog(log, origin!);
    expect(verdict.contacted, 'sockets that reached another host or sent it bytes').toEqual([]);
    expect(verdict.unblocked, 'requests for other URLs that did not fail').toEqual([]);
    // The lab's name is the only one that resolved; any other was mapped to nothing by the resolver rules (so even with a network, no DNS query).
    for (const l of log.lookups) expect(l.host === origin || (l.host.includes('~notfound') && l.netError !== undefined), JSON.stringify(l)).toBe(true);
    // TCP went only to the lab's server or to the closed proxy port that catches everything else (k_dead_proxy), where it was refused.
    for (const s of log.sockets.filter((x) => x.protocol === 'tcp')) {
      expect([new URL(origin!).host, new URL(k_dead_proxy).host], JSON.stringify(s)).toContain(s.address);
      if (s.address === new URL(k_dead_proxy).host) expect(s.connected).toBe(false);
    }
    expect(run.stdout).toContain(`the browser exchanged data only with ${origin}`);
  });

  test('a browser that cannot be reached, and a run a merge expected and never got, are errors in JUnit and the report, not only in the exit code', () => {
    // Nothing listens on port 9: the WebDriver session cannot even start.
    const dead = cli(['run', '--plan', writeJson('plan.json', PLAN), '--webdriver', 'http://127.0.0.1:9']);
    expect(dead.status, dead.stderr + dead.stdout).toBe(4);
    const junitParser = new XMLParser({ ignoreAttributes: false, isArray: (n) => n === 'testsuite' });
    const deadJunit = junitParser.parse(readFileSync(join(dead.out, 'junit.xml'), 'utf8')) as { testsuites: { '@_errors': string; testsuite: { '@_name': string; testcase: { error: { '@_message': string } } }[] } };
    expect(deadJunit.testsuites['@_errors']).toBe('1');
    expect(deadJunit.testsuites.testsuite[0]?.testcase.error['@_message']).toMatch(/^The browser run failed: /);
    const deadHtml = readFileSync(join(dead.out, 'report.html'), 'utf8');
    expect(deadHtml).not.toContain('All checks hold');
    expect(deadHtml).toContain('1 run(s) gave no results');
    expect(dead.stdout).toMatch(/ERROR no results: The browser run failed: /);

    // A merge told which runs to expect fails, naming the one no file carried.
    const results = writeJson('results-chromium.json', fixture);
    const merged = cli(['merge', results, '--expect', 'chromium,webkit']);
    // The same event as a browser that crashed in run, so the same exit code.
    expect(merged.status, merged.stderr + merged.stdout).toBe(4);
    expect(merged.stdout).toContain('ERROR [webkit] no results: --expect names "webkit", and no merged file is a run of it');
    const mergedJunit = junitParser.parse(readFileSync(join(merged.out, 'junit.xml'), 'utf8')) as { testsuites: { testsuite: { '@_name': string }[] } };
    expect(mergedJunit.testsuites.testsuite.map((t) => t['@_name'])).toContain('webkit');
    // Without --expect the same merge passes: it cannot know a run is missing. An empty --expect is refused, not taken as "expect nothing".
    expect(cli(['merge', results]).status).toBe(0);
    const empty = cli(['merge', results, '--expect', ',']);
    expect(empty.status).toBe(2);
    expect(empty.stderr).toContain('--expect names no run');
  });

  test('options that would change nothing are refused with exit 2, and the compiled CLI run directly gives its verdict', () => {
    const plan = writeJson('plan.json', PLAN);
    const publicUrl = cli(['run', '--plan', plan, '--public-url', 'http://example.invalid:8080']);
    expect(publicUrl.status).toBe(2);
    expect(publicUrl.stderr).toContain('--public-url is the address a remote browser opens: it goes with --connect or --webdriver');
    const noWebgpu = cli(['run', '--plan', plan, '--browsers', 'firefox', '--no-webgpu']);
    expect(noWebgpu.status).toBe(2);
    expect(noWebgpu.stderr).toContain('--no-webgpu changes how this CLI starts Chromium');
    const typo = cli(['run', '--plan', plan, '--budget', writeJson('budget.json', { schemaVersion: 1, defaults: { maxP95ms: 10 } })]);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toContain('did you mean "maxP95Ms"?');
    // node dist-cli/main.js, as a workflow might call it: help on stdout, and bad input still exits 2.
    const compiled = resolve(import.meta.dirname, '../dist-cli/main.js');
    const help = spawnSync(process.execPath, [compiled, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('inference-lab: run an Inference Lab plan headless');
    const bad = spawnSync(process.execPath, [compiled, 'run', '--plan', '/nonexistent.json'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('/nonexistent.json');
  });

  test('exit 3 for a browser that is not installed, saying how to install it; exit 2 for one the CLI does not know', () => {
    const missing = cli(['run', '--plan', writeJson('plan.json', PLAN)], { CHROMIUM_PATH: '/nonexistent/chromium' });
    expect(missing.status).toBe(3);
    expect(missing.stderr).toContain('/nonexistent/chromium');
    // Checked before any browser starts: chromium is installed, firefox is "missing".
    const firefox = cli(['run', '--plan', writeJson('plan.json', PLAN), '--browsers', 'chromium,firefox'], { FIREFOX_PATH: '/nonexistent/firefox' });
    expect(firefox.status, firefox.stderr).toBe(3);
    expect(firefox.stderr).toContain('FIREFOX_PATH points at /nonexistent/firefox, which does not exist.');
    expect(firefox.stdout).not.toContain('▶');
    const unknown = cli(['run', '--browsers', 'safari']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('--browsers: "safari" is not a browser this CLI starts. Expected one of: chromium, firefox, webkit');
  });

  test('--help documents the exit codes', () => {
    const help = cli(['--help']);
    expect(help.status).toBe(0);
    for (const code of ['0  every threshold holds', '1  a threshold failed', '2  bad input', '3  a requested browser']) expect(help.stdout).toContain(code);
  });
});

test('--profile adds kernel profiles of the completed cells to the results and the report, after the timed run', () => {
  const plan = writeJson('plan.json', { schemaVersion: 1, modelId: 'cps-wage', cells: [{ engine: 'ort-wasm' }, { engine: 'ort-webnn' }], batchSizes: [1], rules: TEST_RULES });
  const run = cli(['run', '--plan', plan, '--profile', '--quiet']);
  expect(run.stderr).toBe('');
  const results = JSON.parse(readFileSync(join(run.out, 'results-chromium.json'), 'utf8')) as ResultsDocument;
  expect(results.cells.map((c) => c.state)).toEqual(['completed', 'unavailable']);
  // Only the completed cell is profiled; the unavailable one has nothing to explain.
  expect(results.profiles?.map((p) => [p.cellId, p.state])).toEqual([['0:ort-wasm:fp32', 'profiled']]);
  const html = readFileSync(join(run.out, 'report.html'), 'utf8');
  expect(html).toContain('<h3>Kernel profiles</h3>');
  expect(html).toMatch(/MatMul|Gemm/);
});
