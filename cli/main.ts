import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, stripVTControlCharacters } from 'node:util';
import { cellName } from '../src/lab/results/cell-name';
import type { Check } from '../src/lab/results/checks';
import { evaluateChecks, failedChecks } from '../src/lab/results/checks';
import type { Budget } from '../src/lab/results/budget';
import { k_default_max_regression } from '../src/lab/results/budget';
import { FIGURES } from '../src/lab/results/figures';
import { recommend } from '../src/lab/results/recommendation';
import { toleranceLabel } from '../src/lab/runner/tolerance';
import { errorMessage } from '../src/lab/util/errors';
import { formatDiff, formatMs } from '../src/lab/util/format';
import type { MergedComparison } from '../src/lab/results/merge';
import { MergeError, mergeResults, runLabel } from '../src/lab/results/merge';
import type { CellResult, ResultsDocument } from '../src/lab/results/results';
import { k_label_pattern } from '../src/lab/results/run-origin';
import type { ShardSpec } from '../src/lab/results/shard';
import { parseShard, resultsInFullPlan, shardPlan } from '../src/lab/results/shard';
import type { SupportedBrowser } from './browsers';
import { BrowserMissingError, checkInstalled, SUPPORTED_BROWSERS } from './browsers';
import type { BrowserTarget } from './drive';
import { runInBrowser } from './drive';
import { endpointOrigin } from './drivers/chromium';
import { BadInputError, EXIT } from './exit-codes';
import { toHtmlReport } from './html-report';
import { loadBaseline, loadBudget, loadCapabilities, loadGalleryInputs, loadPlan, loadResults, looksLikeFile } from './inputs';
import { loadUserModel, type UserModelFlags } from './user-model';
import type { Plan } from '../src/lab/runner/plan';
import { gallerySite } from '../src/lab/gallery/gallery-site';
import type { MissingRun, SuiteInput } from './junit';
import { toJUnit } from './junit';
import { describeNetLog, readNetLog } from './net-log';
import { ensureBuilt, MissingBuildError, SERVE_BASE, serveLab } from './serve';
import { zooModelIds } from './zoo-index';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The budget keys of every figure, wrapped for --help: a new figure shows up here by itself. */
function budgetKeyLines(): string {
  const keys = FIGURES.map((f) => `${f.budget.key} (${f.budget.side === 'max' ? '≤' : '≥'})`);
  const lines: string[] = [];
  let line = '   ';
  for (const key of keys) {
    if (line.length + key.length > 88) {
      lines.push(line);
      line = '   ';
    }
    line += ` ${key}`;
  }
  lines.push(line);
  return lines.join('\n');
}

export const HELP = `inference-lab: run an Inference Lab plan headless in real browsers and judge it.

Usage
  inference-lab run [options]
  inference-lab compare --results FILE [--baseline FILE] [--budget FILE] [--out DIR]
  inference-lab merge FILE... [--budget FILE] [--expect LABELS] [--out DIR]
  inference-lab gallery FILE|DIR ... [--out DIR]
  inference-lab --help | --version

Options for run
  --plan FILE        plan JSON (default: the quick plan, every engine at FP32)
  --preset NAME      a named plan, as the page builds it: quick, lecture, batch-sweep,
                     sustained (thread-sweep and capstone depend on the browser's device:
                     save them from the page)
  --model ID|FILE    model for the default plan (default: cps-wage): a zoo id, or your
                     own ONNX file or TF.js model.json (its weight files beside it); with
                     --plan, the plan's cells, batch sizes and rules run your model
  --data FILE|DIR    your rows: a CSV, or an image folder (one sub-folder per class)
  --features A,B,…   CSV columns fed to the model, in its input order
  --label-column COL CSV column holding the class (--label names the run)
  --slices A,B       CSV columns kept for per-slice fidelity (never fed to the model)
  --dims N=V,…       values of symbolic dimensions other than the batch
  --output NAME      the model output to read (default: a classifier's probabilities)
  --reference native|page
                     golden outputs for your model: native onnxruntime-node (default when
                     installed in tools/reference) or FP32 onnxruntime-web wasm in the page
  --budget FILE      thresholds JSON (default: the plan's "budget", else only cell states are judged)
  --baseline FILE    an earlier results-<browser>.json to compare medians with
  --out DIR          where to write results (default: results)
  --browsers LIST    browsers to start on this machine, comma-separated: chromium, firefox,
                     webkit (default: chromium). Chromium through Playwright; Firefox (Debian
                     firefox-esr) through WebDriver BiDi (puppeteer-core); WebKitGTK's
                     MiniBrowser through WebKitWebDriver (selenium-webdriver). Firefox and
                     WebKit run headed under a private Xvfb when there is no DISPLAY.
  --connect WS_URL   run in a Playwright browser server instead (browserType.launchServer()
                     or a grid that speaks Playwright's protocol)
  --webdriver URL    run in a W3C WebDriver endpoint instead: Selenium Grid 4, BrowserStack,
                     Sauce Labs, LambdaTest, a chromedriver or WebKitWebDriver
  --capabilities FILE  W3C capabilities JSON for --webdriver (browserName, vendor options)
  --label NAME       the run's name in file names and merges (default: the browser family)
  --shard i/n        run only shard i of n of the plan's cells (every n-th cell, starting at i)
  --host ADDR        address the lab is served on (default 127.0.0.1; 0.0.0.0 for a remote
                     browser on your network)
  --port N           port to serve on (default: any free port; a tunnel needs a fixed one)
  --public-url URL   the address a remote browser opens (a tunnel's URL that forwards to
                     --host:--port); a bare origin gets ${SERVE_BASE} appended
  --no-webgpu        start Chromium without --enable-unsafe-webgpu
  --net-log FILE     also write Chromium's own network log (netlog JSON) to FILE and
                     print which hosts it contacted
  --profile          after the timed run, profile the completed cells' kernels in runs of
                     their own and add the profiles to the results and the report
  --quiet            print only the verdict: failures, runs with no results, the totals

compare judges a results-<browser>.json saved by an earlier run, without a
browser: re-check it against a budget, or against a baseline from another run
or device (same checks, JUnit and report as run).

merge joins results files from many browsers, devices and shards (results-*.json
from several jobs) into one comparison: shards of one run become one document
again, and the report shows every run side by side (browser × cell). A shard
missing from a run that has others marks its cells aborted; --expect LABELS
(comma-separated, e.g. chromium,firefox,webkit) also fails the merge, with an
error in JUnit and the report, when a label has no file at all (a job that
crashed before uploading). Files from
older versions of the lab are read too (schema 1 and 2).


gallery builds a static site (default --out site) comparing many devices from
results files (results-<browser>.json from run, files downloaded from the page, or
a folder of them): a table filterable by model, device class, browser, engine,
variant and batch size, and latency charts. index.html holds its styles, script and
data and may load nothing from any host; the results files are copied under data/.
Any static host serves the folder, and it opens from disk as it is.


It serves the built lab (dist/, built once if missing) with cross-origin
isolation, opens it in each browser and runs the plan with
window.inferenceLab.run(). A browser started here can reach no host but that
server: Chromium by resolver rules, a closed proxy port and its services
switched off (checked against its own network log in e2e); Firefox and WebKit
by a closed proxy port for everything but loopback (see the README for what
each enforces). A remote browser is not confined by the lab. The lab itself
fetches nothing from elsewhere.

Writes, in --out:
  results-<label>.json     the versioned results document (plan, device, cells, raw samples,
                           and which browser build ran it); -shard-<i>of<n> when sharded
  checks-<label>.json      every verdict: cell states and thresholds
  junit.xml                one suite per browser/device, one test case per cell and threshold
                           (unavailable = skipped)
  report.html              self-contained report with charts and the device report
  merged.json              (merge) the browser × cell comparison

Budget file (all limits optional; "cells" keys are an engine or engine:precision):
  { "schemaVersion": 1,
    "defaults": { "maxP95Ms": 50, "maxP50Ms": 20, "maxAbsDiff": 1e-4, "maxRegression": 1.25,
                  "maxFlipRate": 0.01, "minAttributionRankCorrelation": 0.9 },
    "cells": { "tfjs-webgpu": { "maxP95Ms": 200 } },
    "allowErrored": false, "failOnUnavailable": false,
    "recommendation": { "objective": { "kind": "latency", "percentile": "p95", "maxMs": 10, "batchSize": 1 },
                        "drift": { "maxFlipRate": 0.01, "maxAccuracyDrop": 0.01, "maxTruePositiveRateGap": 0.05,
                                   "minAttributionRankCorrelation": 0.9 },
                        "pricePerHour": { "cpu": 0.10, "gpu": 1.20 }, "failWhenChanged": true },
    "bootstrap": { "iterations": 2000, "confidence": 0.95, "seed": 1 } }
  Every figure's limit (from the figures registry):
${budgetKeyLines()}
  maxRegression compares medians with --baseline on the round medians and fails only when
  the bootstrap interval's low end exceeds the limit, so noise alone does not fail a build;
  with --baseline and no maxRegression in the budget, the limit is ${k_default_max_regression} (${Math.round((k_default_max_regression - 1) * 100)}% slower).
  maxFlipRate and minAttributionRankCorrelation judge every data slice of a cell's
  fidelity pass (cells with "fidelity": true), e.g. "flip rate in slice "ethnicity=afam"
  3.00% > limit 1.00%"; on a cell without a fidelity pass they are reported as skipped.
  maxAccuracyDrop (below the reference, any slice) and maxTruePositiveRateGap (between the
  slices of any grouping: equal opportunity) are judged the same way.
  recommendation: the configuration (cell × batch size) that meets the objective and the drift
  budget at the lowest cost per 1M predictions (price per hour of its CPU or GPU), with ties
  and why every other lost; it goes into the results JSON and report.html, and with --baseline
  the run fails when it differs from the baseline's (configurations that cannot be told apart
  in cost count as the same).

Exit codes
  0  every threshold holds
  1  a threshold failed, or a cell errored (the output names the cell, metric, limit and value)
  2  bad input: a plan, budget, baseline, capabilities or results file that is not valid
     (the message names the field), a --model that is neither a zoo id nor a file,
     options that do not go together, or a model or data file of yours the lab cannot
     take (the message names the problem: a damaged file, not a model, missing weights,
     an opset, operators no engine has, a CSV column or row, NaN, an incomplete mapping)
  3  a requested browser is not installed (the message says how to install it)
  4  the lab itself failed unexpectedly, or a run gave no results: a browser that crashed
     or could not start, or (merge --expect) a label no merged file carries
`;

type Command = 'help' | 'version' | 'run' | 'compare' | 'merge' | 'gallery';

/** The run options; those for a model of your own are user-model.ts's (its `label` is --label-column). */
interface CliOptions extends Omit<UserModelFlags, 'model' | 'label'> {
  /** --label-column: the CSV's label column. */
  labelColumn?: string;
  plan?: string;
  preset?: string;
  model?: string;
  budget?: string;
  baseline?: string;
  results?: string;
  out: string;
  browsers?: string[];
  connect?: string;
  webdriver?: string;
  capabilities?: string;
  label?: string;
  shard?: ShardSpec;
  host?: string;
  port?: number;
  publicUrl?: string;
  webgpu: boolean;
  netLog?: string;
  profile: boolean;
  quiet: boolean;
  /** The results files merge joins, and the files and folders the gallery shows. */
  inputs: string[];
  /** merge: the run labels that must be among the merged files. */
  expect?: string[];
}

function parse(argv: string[]): { command: Command; options: CliOptions } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        plan: { type: 'string' },
        preset: { type: 'string' },
        model: { type: 'string' },
        data: { type: 'string' },
        'label-column': { type: 'string' },
        slices: { type: 'string' },
        features: { type: 'string' },
        dims: { type: 'string' },
        output: { type: 'string' },
        reference: { type: 'string' },
        budget: { type: 'string' },
        baseline: { type: 'string' },
        results: { type: 'string' },
        out: { type: 'string' },
        browsers: { type: 'string' },
        connect: { type: 'string' },
        webdriver: { type: 'string' },
        capabilities: { type: 'string' },
        label: { type: 'string' },
        shard: { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        'public-url': { type: 'string' },
        'no-webgpu': { type: 'boolean', default: false },
        'net-log': { type: 'string' },
        profile: { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        expect: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw new BadInputError(`${errorMessage(error)}\nSee inference-lab --help.`);
  }
  const { values, positionals } = parsed;
  const list = (v: string | undefined) => (v === undefined ? undefined : v.split(',').map((x) => x.trim()).filter(Boolean));
  if (values.reference !== undefined && values.reference !== 'native' && values.reference !== 'page') {
    throw new BadInputError(`--reference must be "native" or "page", got "${values.reference}"`);
  }
  const options: CliOptions = {
    ...(values.plan ? { plan: values.plan } : {}),
    ...(values.preset !== undefined ? { preset: values.preset } : {}),
    ...(values.model ? { model: values.model } : {}),
    ...(values.data ? { data: values.data } : {}),
    ...(values['label-column'] ? { labelColumn: values['label-column'] } : {}),
    ...(list(values.slices) ? { slices: list(values.slices) } : {}),
    ...(list(values.features) ? { features: list(values.features) } : {}),
    ...(list(values.dims) ? { dims: list(values.dims) } : {}),
    ...(values.output ? { output: values.output } : {}),
    ...(values.reference ? { reference: values.reference } : {}),
    ...(values.budget ? { budget: values.budget } : {}),
    ...(values.baseline ? { baseline: values.baseline } : {}),
    ...(values.results ? { results: values.results } : {}),
    ...(values['net-log'] ? { netLog: resolve(values['net-log']) } : {}),
    ...(values.browsers !== undefined ? { browsers: values.browsers.split(',').map((b) => b.trim()).filter(Boolean) } : {}),
    ...(values.connect ? { connect: values.connect } : {}),
    ...(values.webdriver ? { webdriver: values.webdriver } : {}),
    ...(values.capabilities ? { capabilities: values.capabilities } : {}),
    ...(values.label !== undefined ? { label: checkLabel(values.label) } : {}),
    ...(values.shard !== undefined ? { shard: badInputOf(() => parseShard(values.shard!)) } : {}),
    ...(values.host ? { host: values.host } : {}),
    ...(values.expect !== undefined ? { expect: expectedLabels(values.expect) } : {}),
    ...(values.port !== undefined ? { port: checkPort(values.port) } : {}),
    ...(values['public-url'] ? { publicUrl: checkUrl('--public-url', values['public-url'], ['http:', 'https:']) } : {}),
    out: values.out ?? (positionals[0] === 'gallery' ? 'site' : 'results'),
    inputs: positionals.slice(1),
    webgpu: !values['no-webgpu'],
    profile: values.profile,
    quiet: values.quiet,
  };
  if (values.help) return { command: 'help', options };
  if (values.version) return { command: 'version', options };
  const command = positionals[0];
  if (options.expect && command !== 'merge') throw new BadInputError('--expect names the runs a merge must hold: it goes with merge');
  if (command === 'merge') return { command, options };
  if (command === 'gallery') {
    if (positionals.length < 2) throw new BadInputError('gallery needs results files or folders: inference-lab gallery results/*.json --out site/. See inference-lab --help.');
    return { command, options };
  }
  if ((command !== 'run' && command !== 'compare') || positionals.length > 1) {
    throw new BadInputError(`Unknown command "${positionals.join(' ')}". Expected "run", "compare", "merge" or "gallery". See inference-lab --help.`);
  }
  return { command, options };
}

function badInputOf<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw new BadInputError(errorMessage(error));
  }
}

function checkLabel(label: string, flag = '--label'): string {
  if (!k_label_pattern.test(label)) throw new BadInputError(`${flag} "${label}" is not a label: letters, digits, ".", "-" or "_", up to 64 (it names files and JUnit suites)`);
  return label;
}

/** merge --expect: one or more run labels; an empty list would expect nothing and pass, so it is refused. */
function expectedLabels(text: string): string[] {
  const labels = text.split(',').map((x) => x.trim()).filter(Boolean);
  if (labels.length === 0) throw new BadInputError('--expect names no run: give the labels the merge must hold, e.g. --expect chromium,firefox,webkit');
  return labels.map((l) => checkLabel(l, '--expect'));
}

function checkPort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new BadInputError(`--port "${text}" is not a TCP port (1–65535)`);
  return port;
}

function checkUrl(flag: string, text: string, protocols: string[]): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new BadInputError(`${flag} "${text}" is not a URL`);
  }
  if (!protocols.includes(url.protocol)) throw new BadInputError(`${flag} "${text}" must be a ${protocols.join(' or ')} URL`);
  return text;
}

/** What to run in, from the options: local browsers, or one remote endpoint. */
function targetsOf(options: CliOptions): BrowserTarget[] {
  const remote = [options.connect ? '--connect' : null, options.webdriver ? '--webdriver' : null].filter(Boolean);
  if (remote.length > 1) throw new BadInputError('--connect and --webdriver each name one remote browser: give one of them');
  if (remote.length === 1 && options.browsers) throw new BadInputError(`${remote[0]} runs in a remote browser: it does not go with --browsers (run them as separate commands and merge the results)`);
  if (options.capabilities && !options.webdriver) throw new BadInputError('--capabilities goes with --webdriver');
  // Options that would change nothing are refused, so a workflow never believes they took effect.
  if (options.publicUrl && remote.length === 0) throw new BadInputError('--public-url is the address a remote browser opens: it goes with --connect or --webdriver');
  if (options.connect) return [{ kind: 'connect', wsEndpoint: checkUrl('--connect', options.connect, ['ws:', 'wss:']) }];
  if (options.webdriver) {
    return [{ kind: 'webdriver', url: checkUrl('--webdriver', options.webdriver, ['http:', 'https:']), capabilities: loadCapabilities(options.capabilities) }];
  }
  const names = options.browsers ?? ['chromium'];
  if (names.length === 0) throw new BadInputError('--browsers is empty');
  if (options.label && names.length > 1) throw new BadInputError('--label names one run: it does not go with several --browsers');
  const families = names.map((name) => {
    if (!(SUPPORTED_BROWSERS as readonly string[]).includes(name)) {
      throw new BadInputError(`--browsers: "${name}" is not a browser this CLI starts. Expected one of: ${SUPPORTED_BROWSERS.join(', ')} (for others, --webdriver or --connect).`);
    }
    return name as SupportedBrowser;
  });
  if (new Set(families).size !== families.length) throw new BadInputError(`--browsers names a browser twice: ${names.join(',')}`);
  if (!options.webgpu && !families.includes('chromium')) throw new BadInputError('--no-webgpu changes how this CLI starts Chromium: it needs chromium among --browsers (Firefox and WebKit start without WebGPU here anyway)');
  // Before anything starts: a missing browser says how to install it (exit 3).
  for (const family of families) checkInstalled(family);
  return families.map((family) => ({ kind: 'local', family, webgpu: options.webgpu, ...(options.netLog && family === 'chromium' ? { netLog: options.netLog } : {}) }));
}

/** The file names of one run: results-firefox.json, results-firefox-shard-1of2.json. */
function fileStem(label: string, shard: ShardSpec | undefined): string {
  return shard ? `${label}-shard-${shard.index}of${shard.count}` : label;
}

function describeFailure(c: Check, label = ''): string {
  const values = c.limit !== undefined && c.measured !== undefined ? ` [limit ${c.limit}, measured ${c.measured}]` : '';
  return `  FAIL ${label}${c.name}: ${c.message}${values}`;
}

/** A --plan file for your model: its cells, batch sizes and rules; the model id and SHA-256 come from the file. */
function planTemplate(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new BadInputError(`Cannot read the plan file ${path}: ${errorMessage(error)}`);
  }
}

async function run(options: CliOptions, log: (line: string) => void): Promise<number> {
  // --quiet keeps the verdict (failures, errors, the totals) and drops the narration.
  const info = options.quiet ? () => undefined : log;
  const own = options.model !== undefined && looksLikeFile(options.model) && existsSync(options.model);
  if (!own && (options.data || options.features || options.labelColumn || options.slices || options.dims || options.output || options.reference)) {
    throw new BadInputError('--data, --features, --label-column, --slices, --dims, --output and --reference apply to a model file of yours (--model FILE)');
  }
  if (own && options.shard) throw new BadInputError('--shard splits a plan of the zoo\'s; a model of yours runs whole');
  if (own && options.preset) throw new BadInputError('--preset builds a plan for a model of the zoo; for a model of yours, --plan gives its cells');
  const userModel = own
    ? await loadUserModel({ ...options, model: options.model ?? '', ...(options.labelColumn ? { label: options.labelColumn } : {}) }, ROOT, info)
    : undefined;
  if (userModel) info(`Your model ${options.model ?? ''}: ${userModel.referenceNote}`);
  const fullPlan = userModel ? undefined : loadPlan(options.plan, options.model, zooModelIds(ROOT), options.preset);
  const template = userModel && options.plan ? planTemplate(options.plan) : undefined;
  const budget = loadBudget(options.budget, fullPlan);
  const baseline = loadBaseline(options.baseline);
  const targets = targetsOf(options);
  if (options.netLog && !targets.some((t) => t.kind === 'local' && t.family === 'chromium')) {
    throw new BadInputError('--net-log writes Chromium\'s own network log: it needs chromium among --browsers (Firefox and WebKit have no such log here)');
  }
  const sharded = fullPlan && options.shard ? shardPlan(fullPlan, options.shard) : null;
  const plan = sharded?.plan ?? fullPlan;
  if (plan && plan.cells.length === 0) throw new BadInputError(`--shard ${options.shard!.index}/${options.shard!.count} holds no cells: the plan has only ${fullPlan?.cells.length ?? 0}`);
  const out = resolve(options.out);
  mkdirSync(out, { recursive: true });

  await ensureBuilt(ROOT, info);
  const lab = await serveLab(ROOT, { ...(options.host ? { host: options.host } : {}), ...(options.port ? { port: options.port } : {}), ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}) });
  const suites: SuiteInput[] = [];
  const broken: MissingRun[] = [];
  const written: string[] = [];
  try {
    const remote = targets.some((t) => t.kind !== 'local');
    info(remote ? `Serving the lab at ${lab.url}; the remote browser opens ${lab.remoteUrl}.` : `Serving the lab at ${lab.url}; the browser can reach no other host.`);
    for (const target of targets) {
      const name = target.kind === 'local' ? target.family : target.kind === 'connect' ? `Playwright server ${endpointOrigin(target.wsEndpoint)}` : `WebDriver ${endpointOrigin(target.url)}`;
      const shardText = sharded ? `, shard ${sharded.info.index}/${sharded.info.count} (plan cells ${sharded.info.cells.join(', ')})` : '';
      const describe = (p: Plan) => info(`▶ ${name}: ${p.cells.length} cells of ${p.modelId}${shardText}, batch sizes ${p.batchSizes.join(', ')}, ${typeof p.rules === 'string' ? p.rules : 'custom'} rules`);
      if (plan) describe(plan);
      let results: ResultsDocument;
      try {
        const ran = await runInBrowser({
          target,
          url: target.kind === 'local' ? lab.url : lab.remoteUrl,
          ...(plan ? { plan } : {}),
          ...(userModel ? { userModel, onPlan: describe, ...(template !== undefined ? { planTemplate: template } : {}) } : {}),
          ...(options.label ? { label: options.label } : {}),
          ...(sharded ? { shard: sharded.info } : {}),
          profile: options.profile,
          onPageError: (message) => log(`  page error: ${message}`),
          onProgress: (p) => {
            if (p.result && !options.quiet) log(describeCell(p.result, p.cellIndex, p.cellCount));
          },
        });
        results = sharded && fullPlan ? resultsInFullPlan(ran, fullPlan, sharded.info) : ran;
      } catch (error) {
        if (error instanceof BrowserMissingError || error instanceof BadInputError) throw error;
        // One browser that cannot start or crashes costs its own results, not the others'.
        // Drivers colour their call logs for a terminal; a CI log or JUnit file gets the words only.
        const message = stripVTControlCharacters(errorMessage(error));
        log(`✗ ${name}: the browser run failed: ${message}`);
        broken.push({ browser: options.label ?? (target.kind === 'local' ? target.family : name), message: `The browser run failed: ${message}` });
        continue;
      }
      const label = results.origin!.label;
      info(`  ran in ${results.origin!.browser.name} ${results.origin!.browser.version} (${results.origin!.browser.driver})`);
      if (options.netLog && target.kind === 'local' && target.family === 'chromium') info(describeNetLog(readNetLog(options.netLog), new URL(lab.url).origin, options.netLog));
      // Your model's plan is made in the page: a budget it carries (from --plan) counts when no --budget is given.
      const judged = options.budget || fullPlan ? budget : loadBudget(undefined, results.plan);
      withRecommendation(results, judged);
      const checks = evaluateChecks(results, judged, baseline);
      suites.push({ browser: label, results, checks });
      const stem = fileStem(label, options.shard);
      writeFileSync(join(out, `results-${stem}.json`), `${JSON.stringify(results, null, 2)}\n`);
      writeFileSync(join(out, `checks-${stem}.json`), `${JSON.stringify(checks, null, 2)}\n`);
      written.push(`results-${stem}.json`, `checks-${stem}.json`);
    }
  } finally {
    await lab.close();
  }
  const code = report({ suites, out, options, log, written, missing: broken });
  if (broken.length > 0) {
    log(`The run failed in ${broken.map((b) => b.browser).join(', ')} (see above; junit.xml and report.html say so too): exit ${EXIT.internal}.`);
    return EXIT.internal;
  }
  return code;
}

/** One finished cell, as the CLI prints it while the run goes on. */
function describeCell(r: CellResult, index: number, count: number): string {
  const head = `  [${index + 1}/${count}] ${cellName(r)}: ${r.state}`;
  if (r.state !== 'completed') return `${head}: ${r.state === 'errored' ? r.error.message : r.reason}`;
  const timings = r.batches.map((b) => `b${b.batchSize} P50 ${formatMs(b.stats.p50)} P95 ${formatMs(b.stats.p95)}`).join(' · ');
  const loosened = toleranceLabel(r.tolerance);
  return `${head} · ${timings} · max|Δ| ${formatDiff(Math.max(...r.agreement.map((a) => a.maxAbsDiff)))}${loosened ? ` · ⚠ ${loosened}` : ''}${r.runtime?.fallback ? ` · ⚠ fallback: ${r.runtime.fallback}` : ''}`;
}

/** The budget's needs weighed on the run: the answer travels in the results JSON (and the report) as `recommendation`. */
function withRecommendation(results: ResultsDocument, budget: Budget): void {
  if (!budget.recommendation) return;
  const { failWhenChanged: _ci, ...needs } = budget.recommendation;
  results.recommendation = recommend([results], needs, budget.bootstrap);
}

interface ReportInput {
  suites: SuiteInput[];
  out: string;
  options: CliOptions;
  log: (line: string) => void;
  /** Files already written in --out by the command (junit.xml and report.html are added here). */
  written: string[];
  comparison?: MergedComparison;
  /** Runs that gave no results: each becomes an <error> in JUnit and a line in the report. */
  missing?: MissingRun[];
}

/** Writes JUnit and the HTML report, prints the verdicts, and turns them into the exit code. */
function report({ suites, out, options, log, written, comparison, missing = [] }: ReportInput): number {
  writeFileSync(join(out, 'junit.xml'), toJUnit(suites, missing));
  writeFileSync(join(out, 'report.html'), toHtmlReport(suites, comparison, missing));

  // With several runs, every verdict line names the run it is about.
  const label = (browser: string) => (suites.length + missing.length > 1 ? `[${browser}] ` : '');
  const checks = suites.flatMap((s) => s.checks.map((check) => ({ check, browser: s.browser })));
  const failed = new Set(failedChecks(checks.map((c) => c.check)));
  const skipped = checks.filter((c) => c.check.status === 'skip');
  if (!options.quiet) for (const { check, browser } of skipped) log(`  skip ${label(browser)}${check.name}: ${check.message}`);
  for (const { check, browser } of checks) if (failed.has(check)) log(describeFailure(check, label(browser)));
  for (const m of missing) log(`  ERROR ${label(m.browser)}no results: ${m.message}`);
  log(`${checks.length - failed.size - skipped.length} passed, ${failed.size} failed, ${skipped.length} skipped${missing.length > 0 ? `, ${missing.length} run(s) with no results` : ''}`);
  if (!options.quiet) log(`Results in ${out}: ${[...written, 'junit.xml', 'report.html'].join(', ')}`);
  return failed.size > 0 ? EXIT.thresholdFailed : EXIT.ok;
}

/** Judges results saved by an earlier run (no browser): re-check a budget, or compare two runs or devices. */
function compare(options: CliOptions, log: (line: string) => void): number {
  if (!options.results) throw new BadInputError('compare needs --results FILE (a results-<browser>.json). See inference-lab --help.');
  const results = loadResults(options.results);
  const budget = loadBudget(options.budget, results.plan);
  const baseline = loadBaseline(options.baseline);
  const out = resolve(options.out);
  mkdirSync(out, { recursive: true });
  const label = runLabel(results);
  withRecommendation(results, budget);
  const checks = evaluateChecks(results, budget, baseline);
  writeFileSync(join(out, `checks-${label}.json`), `${JSON.stringify(checks, null, 2)}\n`);
  return report({ suites: [{ browser: label, results, checks }], out, options, log, written: [`checks-${label}.json`] });
}

/** Joins results files from many browsers, devices and shards into one comparison (no browser). */
function merge(options: CliOptions, log: (line: string) => void): number {
  if (options.inputs.length === 0) throw new BadInputError('merge needs one or more results files, e.g. inference-lab merge results-*.json --out merged/. See inference-lab --help.');
  const inputs = options.inputs.map((source) => ({ source, results: loadResults(source) }));
  let merged;
  try {
    merged = mergeResults(inputs);
  } catch (error) {
    if (error instanceof MergeError) throw new BadInputError(`merge: ${error.message}`);
    throw error;
  }
  const out = resolve(options.out);
  mkdirSync(out, { recursive: true });
  const written: string[] = [];
  const suites = merged.runs.map(({ label, results, sources }) => {
    // One budget for every run: the --budget file, else the first run's plan's.
    const checks = evaluateChecks(results, loadBudget(options.budget, results.plan));
    writeFileSync(join(out, `results-${label}.json`), `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(join(out, `checks-${label}.json`), `${JSON.stringify(checks, null, 2)}\n`);
    written.push(`results-${label}.json`, `checks-${label}.json`);
    if (!options.quiet) log(`${label}: ${results.cells.length} cells from ${sources.join(', ')}${results.origin?.mergedShards?.missingCells.length ? ` (${results.origin.mergedShards.missingCells.length} cells in no file)` : ''}`);
    return { browser: label, results, checks };
  });
  writeFileSync(join(out, 'merged.json'), `${JSON.stringify(merged.comparison, null, 2)}\n`);
  written.push('merged.json');
  // A label the workflow expected and no file carried: a job that crashed before uploading anything.
  const labels = new Set(merged.runs.map((r) => r.label));
  const missing = (options.expect ?? []).filter((l) => !labels.has(l)).map((l) => ({ browser: l, message: `--expect names "${l}", and no merged file is a run of it (its job uploaded nothing?)` }));
  const code = report({ suites, out, options, log, written, comparison: merged.comparison, missing });
  // The same event as a browser that crashed in run (a run with no results), so the same code.
  return missing.length > 0 ? EXIT.internal : code;
}

/** Writes the static gallery site from results files and folders of them. */
function gallery(options: CliOptions, log: (line: string) => void): number {
  const files = loadGalleryInputs(options.inputs);
  const out = resolve(options.out);
  for (const file of gallerySite(files, new Date().toISOString())) {
    const path = join(out, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.content);
  }
  log(`Gallery of ${files.length} run(s) in ${out} (open index.html, or serve the folder from any static host)`);
  return EXIT.ok;
}

export async function main(argv: string[], log: (line: string) => void = console.log, warn: (line: string) => void = console.error): Promise<number> {
  try {
    const { command, options } = parse(argv);
    if (command === 'help') {
      log(HELP);
      return EXIT.ok;
    }
    if (command === 'version') {
      log((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
      return EXIT.ok;
    }
    if (command === 'compare') return compare(options, log);
    if (command === 'merge') return merge(options, log);
    if (command === 'gallery') return gallery(options, log);
    return await run(options, log);
  } catch (error) {
    if (error instanceof BadInputError) {
      warn(`inference-lab: ${error.message}`);
      return EXIT.badInput;
    }
    if (error instanceof MissingBuildError) {
      warn(`inference-lab: ${error.message}`);
      return EXIT.internal;
    }
    if (error instanceof BrowserMissingError) {
      warn(`inference-lab: ${error.message}`);
      return EXIT.browserMissing;
    }
    warn(`inference-lab: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : errorMessage(error)}`);
    return EXIT.internal;
  }
}

// Run as a program (node dist-cli/main.js …) as well as through bin/inference-lab.js: a CI step that calls the
// compiled file directly must get the verdict and its exit code, not a silent 0.
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
