import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cellName } from '../src/lab/results/cell-name';
import type { Check } from '../src/lab/results/checks';
import { evaluateChecks, failedChecks } from '../src/lab/results/checks';
import type { Budget } from '../src/lab/results/budget';
import { FIGURES } from '../src/lab/results/figures';
import { recommend } from '../src/lab/results/recommendation';
import type { ResultsDocument } from '../src/lab/results/results';
import { toleranceLabel } from '../src/lab/runner/tolerance';
import { errorMessage } from '../src/lab/util/errors';
import { formatDiff, formatMs } from '../src/lab/util/format';
import type { SupportedBrowser } from './browsers';
import { BrowserMissingError, chromiumExecutable, SUPPORTED_BROWSERS } from './browsers';
import { runInBrowser } from './drive';
import { BadInputError, EXIT } from './exit-codes';
import { toHtmlReport } from './html-report';
import { loadBaseline, loadBudget, loadGalleryInputs, loadPlan, loadResults, looksLikeFile } from './inputs';
import { gallerySite } from '../src/lab/gallery/gallery-site';
import { loadUserModel, type UserModelFlags } from './user-model';
import type { Plan } from '../src/lab/runner/plan';
import type { SuiteInput } from './junit';
import { toJUnit } from './junit';
import { describeNetLog, readNetLog } from './net-log';
import { ensureBuilt, serveLab } from './serve';
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
  inference-lab gallery FILE|DIR ... [--out DIR]
  inference-lab --help | --version

Options for run
  --plan FILE        plan JSON (default: the quick plan, every engine at FP32)
  --model ID|FILE    model for the default plan (default: cps-wage): a zoo id, or your
                     own ONNX file or TF.js model.json (its weight files beside it); with
                     --plan, the plan's cells, batch sizes and rules run your model
  --data FILE|DIR    your rows: a CSV, or an image folder (one sub-folder per class)
  --features A,B,…   CSV columns fed to the model, in its input order
  --label COL        CSV column holding the class
  --slices A,B       CSV columns kept for per-slice fidelity (never fed to the model)
  --dims N=V,…       values of symbolic dimensions other than the batch
  --output NAME      the model output to read (default: a classifier's probabilities)
  --reference native|page
                     golden outputs for your model: native onnxruntime-node (default when
                     installed in tools/reference) or FP32 onnxruntime-web wasm in the page
  --budget FILE      thresholds JSON (default: the plan's "budget", else only cell states are judged)
  --baseline FILE    an earlier results-<browser>.json to compare medians with
  --out DIR          where to write results (default: results)
  --browsers LIST    comma-separated browsers (default: chromium; only chromium is supported yet)
  --no-webgpu        start Chromium without --enable-unsafe-webgpu
  --net-log FILE     also write Chromium's own network log (netlog JSON) to FILE and
                     print which hosts it contacted
  --profile          after the timed run, profile the completed cells' kernels in runs of
                     their own and add the profiles to the results and the report
  --quiet            print only the verdict

compare judges a results-<browser>.json saved by an earlier run, without a
browser: re-check it against a budget, or against a baseline from another run
or device (same checks, JUnit and report as run).

gallery builds a static site (default --out site) comparing many devices from
results files (results-<browser>.json from run, files downloaded from the page, or
a folder of them): a table filterable by model, device class, browser, engine,
variant and batch size, and latency charts. index.html holds its styles, script and
data and may load nothing from any host; the results files are copied under data/.
Any static host serves the folder, and it opens from disk as it is.

It serves the built lab (dist/, built once if missing) on 127.0.0.1 with
cross-origin isolation, opens it headless through Playwright and runs the plan
with window.inferenceLab.run(). The browser is started so that it can reach
no host but that server: every other host name resolves to nothing, requests
to other addresses go to a closed port, and its update, sync, safe-browsing,
metrics and crash-report services are switched off (see cli/browsers.ts; the
e2e reads Chromium's network log to check it). The lab itself fetches nothing
from elsewhere.

Writes, in --out:
  results-<browser>.json   the versioned results document (plan, device, cells, raw samples)
  checks-<browser>.json    every verdict: cell states and thresholds
  junit.xml                one test case per cell and per threshold (unavailable = skipped)
  report.html              self-contained report with charts and the device report

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
  maxRegression compares medians with --baseline on the raw samples and fails only when
  the bootstrap interval's low end exceeds the limit, so noise alone does not fail a build.
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
  2  bad input: a plan, budget, baseline or results file that is not valid
     (the message names the field), a --model that is neither a zoo id nor a file,
     or a model or data file of yours the lab cannot take (the message names the
     problem: a damaged file, not a model, missing weights, an opset, operators no
     engine has, a CSV column or row, NaN, an incomplete mapping)
  3  a requested browser is not installed or not supported yet
  4  the lab itself failed unexpectedly
`;

/** The run options; those for a model of your own are user-model.ts's. */
interface CliOptions extends Omit<UserModelFlags, 'model'> {
  plan?: string;
  model?: string;
  budget?: string;
  baseline?: string;
  results?: string;
  out: string;
  browsers: string[];
  webgpu: boolean;
  netLog?: string;
  profile: boolean;
  quiet: boolean;
  /** The gallery's results files and folders. */
  inputs: string[];
}

function parse(argv: string[]): { command: 'help' | 'version' | 'run' | 'compare' | 'gallery'; options: CliOptions } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        plan: { type: 'string' },
        model: { type: 'string' },
        data: { type: 'string' },
        label: { type: 'string' },
        slices: { type: 'string' },
        features: { type: 'string' },
        dims: { type: 'string' },
        output: { type: 'string' },
        reference: { type: 'string' },
        budget: { type: 'string' },
        baseline: { type: 'string' },
        results: { type: 'string' },
        out: { type: 'string' },
        browsers: { type: 'string', default: 'chromium' },
        'no-webgpu': { type: 'boolean', default: false },
        'net-log': { type: 'string' },
        profile: { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
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
    ...(values.model ? { model: values.model } : {}),
    ...(values.data ? { data: values.data } : {}),
    ...(values.label ? { label: values.label } : {}),
    ...(list(values.slices) ? { slices: list(values.slices) } : {}),
    ...(list(values.features) ? { features: list(values.features) } : {}),
    ...(list(values.dims) ? { dims: list(values.dims) } : {}),
    ...(values.output ? { output: values.output } : {}),
    ...(values.reference ? { reference: values.reference } : {}),
    ...(values.budget ? { budget: values.budget } : {}),
    ...(values.baseline ? { baseline: values.baseline } : {}),
    ...(values.results ? { results: values.results } : {}),
    ...(values['net-log'] ? { netLog: resolve(values['net-log']) } : {}),
    out: values.out ?? (positionals[0] === 'gallery' ? 'site' : 'results'),
    inputs: positionals.slice(1),
    browsers: values.browsers.split(',').map((b) => b.trim()).filter(Boolean),
    webgpu: !values['no-webgpu'],
    profile: values.profile,
    quiet: values.quiet,
  };
  if (values.help) return { command: 'help', options };
  if (values.version) return { command: 'version', options };
  const command = positionals[0];
  if (command === 'gallery') {
    if (positionals.length < 2) throw new BadInputError('gallery needs results files or folders: inference-lab gallery results/*.json --out site/. See inference-lab --help.');
    return { command, options };
  }
  if ((command !== 'run' && command !== 'compare') || positionals.length > 1) {
    throw new BadInputError(`Unknown command "${positionals.join(' ')}". Expected "run", "compare" or "gallery". See inference-lab --help.`);
  }
  return { command, options };
}

function checkBrowsers(names: string[]): SupportedBrowser[] {
  if (names.length === 0) throw new BadInputError('--browsers is empty');
  return names.map((name) => {
    if (!(SUPPORTED_BROWSERS as readonly string[]).includes(name)) {
      throw new BrowserMissingError(
        `Browser "${name}" is not yet supported. Supported: ${SUPPORTED_BROWSERS.join(', ')}. (Firefox and WebKit need drivers this CLI does not have yet.)`,
      );
    }
    chromiumExecutable();
    return name as SupportedBrowser;
  });
}

function describeFailure(c: Check): string {
  const values = c.limit !== undefined && c.measured !== undefined ? ` [limit ${c.limit}, measured ${c.measured}]` : '';
  return `  FAIL ${c.name}: ${c.message}${values}`;
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
  const own = options.model !== undefined && looksLikeFile(options.model) && existsSync(options.model);
  if (!own && (options.data || options.features || options.label || options.slices || options.dims || options.output || options.reference)) {
    throw new BadInputError('--data, --features, --label, --slices, --dims, --output and --reference apply to a model file of yours (--model FILE)');
  }
  const userModel = own ? await loadUserModel({ ...options, model: options.model ?? '' }, ROOT, log) : undefined;
  if (userModel) log(`Your model ${options.model ?? ''}: ${userModel.referenceNote}`);
  const plan = userModel ? undefined : loadPlan(options.plan, options.model, zooModelIds(ROOT));
  const template = userModel && options.plan ? planTemplate(options.plan) : undefined;
  const budget = plan ? loadBudget(options.budget, plan) : options.budget ? loadBudget(options.budget, undefined) : loadBudget(undefined, undefined);
  const baseline = loadBaseline(options.baseline);
  const browsers = checkBrowsers(options.browsers);
  const out = resolve(options.out);
  mkdirSync(out, { recursive: true });

  await ensureBuilt(ROOT, log);
  const lab = await serveLab(ROOT);
  const suites: SuiteInput[] = [];
  try {
    log(`Serving the lab at ${lab.url}; the browser can reach no other host.`);
    for (const browser of browsers) {
      const describe = (p: Plan) => log(`▶ ${browser}: ${p.cells.length} cells of ${p.modelId}, batch sizes ${p.batchSizes.join(', ')}, ${typeof p.rules === 'string' ? p.rules : 'custom'} rules`);
      if (plan) describe(plan);
      const results = await runInBrowser({
        browser,
        url: lab.url,
        ...(plan ? { plan } : {}),
        ...(userModel ? { userModel, onPlan: describe, ...(template !== undefined ? { planTemplate: template } : {}) } : {}),
        webgpu: options.webgpu,
        profile: options.profile,
        ...(options.netLog ? { netLog: options.netLog } : {}),
        onPageError: (message) => log(`  page error: ${message}`),
        onProgress: (p) => {
          if (!p.result || options.quiet) return;
          const r = p.result;
          const head = `  [${p.cellIndex + 1}/${p.cellCount}] ${cellName(r)}: ${r.state}`;
          if (r.state === 'completed') {
            const timings = r.batches.map((b) => `b${b.batchSize} P50 ${formatMs(b.stats.p50)} P95 ${formatMs(b.stats.p95)}`).join(' · ');
            const loosened = toleranceLabel(r.tolerance);
            log(`${head} · ${timings} · max|Δ| ${formatDiff(Math.max(...r.agreement.map((a) => a.maxAbsDiff)))}${loosened ? ` · ⚠ ${loosened}` : ''}${r.runtime?.fallback ? ` · ⚠ fallback: ${r.runtime.fallback}` : ''}`);
          } else {
            log(`${head}: ${r.state === 'errored' ? r.error.message : r.reason}`);
          }
        },
      });
      if (options.netLog) log(describeNetLog(readNetLog(options.netLog), new URL(lab.url).origin, options.netLog));
      const judged = budget ?? loadBudget(undefined, results.plan);
      withRecommendation(results, judged);
      const checks = evaluateChecks(results, judged, baseline);
      suites.push({ browser, results, checks });
      writeFileSync(join(out, `results-${browser}.json`), `${JSON.stringify(results, null, 2)}\n`);
      writeFileSync(join(out, `checks-${browser}.json`), `${JSON.stringify(checks, null, 2)}\n`);
    }
  } finally {
    await lab.close();
  }
  return report(suites, out, options, log);
}

/** The budget's needs weighed on the run: the answer travels in the results JSON (and the report) as `recommendation`. */
function withRecommendation(results: ResultsDocument, budget: Budget): void {
  if (!budget.recommendation) return;
  const { failWhenChanged: _ci, ...needs } = budget.recommendation;
  results.recommendation = recommend([results], needs, budget.bootstrap);
}

/** Writes JUnit and the HTML report, prints the verdicts, and turns them into the exit code. */
function report(suites: SuiteInput[], out: string, options: CliOptions, log: (line: string) => void): number {
  writeFileSync(join(out, 'junit.xml'), toJUnit(suites));
  writeFileSync(join(out, 'report.html'), toHtmlReport(suites));

  const all = suites.flatMap((s) => s.checks);
  const failed = failedChecks(all);
  const skipped = all.filter((c) => c.status === 'skip');
  for (const c of skipped) if (!options.quiet) log(`  skip ${c.name}: ${c.message}`);
  for (const c of failed) log(describeFailure(c));
  log(`${all.length - failed.length - skipped.length} passed, ${failed.length} failed, ${skipped.length} skipped`);
  log(`Results in ${out} (results-*.json, junit.xml, report.html)`);
  return failed.length > 0 ? EXIT.thresholdFailed : EXIT.ok;
}

/** Judges results saved by an earlier run (no browser): re-check a budget, or compare two runs or devices. */
function compare(options: CliOptions, log: (line: string) => void): number {
  if (!options.results) throw new BadInputError('compare needs --results FILE (a results-<browser>.json). See inference-lab --help.');
  const results = loadResults(options.results);
  const budget = loadBudget(options.budget, results.plan);
  const baseline = loadBaseline(options.baseline);
  const out = resolve(options.out);
  mkdirSync(out, { recursive: true });
  const browser = results.device.browser.name.toLowerCase();
  withRecommendation(results, budget);
  const checks = evaluateChecks(results, budget, baseline);
  writeFileSync(join(out, `checks-${browser}.json`), `${JSON.stringify(checks, null, 2)}\n`);
  return report([{ browser, results, checks }], out, options, log);
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
    if (command === 'gallery') return gallery(options, log);
    return command === 'compare' ? compare(options, log) : await run(options, log);
  } catch (error) {
    if (error instanceof BadInputError) {
      warn(`inference-lab: ${error.message}`);
      return EXIT.badInput;
    }
    if (error instanceof BrowserMissingError) {
      warn(`inference-lab: ${error.message}`);
      return EXIT.browserMissing;
    }
    warn(`inference-lab: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : errorMessage(error)}`);
    return EXIT.internal;
  }
}
