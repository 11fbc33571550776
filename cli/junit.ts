import type { Check } from '../src/lab/results/checks';
import type { ResultsDocument } from '../src/lab/results/results';
import type { DriftMetric } from '../src/lab/fidelity/drift-judge';
import { DRIFT_LIMIT_KEYS } from '../src/lab/fidelity/drift-judge';
import { FIGURES } from '../src/lab/results/figures';
import { escapeXml } from '../src/lab/util/html';

export interface SuiteInput {
  browser: string;
  results: ResultsDocument;
  checks: Check[];
}

/** A run that gave no results at all: a browser that could not start or crashed, or a label a merge expected and did not get. */
export interface MissingRun {
  browser: string;
  message: string;
}


const attr = (pairs: Record<string, string | number>) =>
  Object.entries(pairs)
    .map(([k, v]) => `${k}="${escapeXml(String(v))}"`)
    .join(' ');

/** The budget key behind a check (maxP95Ms, maxFlipRate, maxRegression); the metric itself where no limit sets it (a cell's state). */
function budgetKeyOf(metric: Check['metric']): string {
  if (metric === 'regression') return 'maxRegression';
  if (metric in DRIFT_LIMIT_KEYS) return DRIFT_LIMIT_KEYS[metric as DriftMetric];
  return FIGURES.find((f) => f.id === metric)?.budget.key ?? metric;
}

function testcase(browser: string, check: Check, seconds: number): string {
  const head = `    <testcase ${attr({ classname: `inference-lab.${browser}.${check.engine}.${check.precision}`, name: check.name, time: seconds.toFixed(3) })}`;
  // A pass keeps its message too: "completed with a custom tolerance …" must reach whoever reads the report.
  if (check.status === 'pass') return `${head}>\n      <system-out>${escapeXml(check.message)}</system-out>\n    </testcase>`;
  const tag = check.status === 'fail' ? 'failure' : 'skipped';
  // A threshold failure is typed by the budget key that set it (maxP95Ms), which is what a reader edits.
  const type = check.status === 'fail' ? ` ${attr({ type: budgetKeyOf(check.metric) })}` : '';
  const detail =
    check.limit !== undefined || check.measured !== undefined
      ? `metric=${check.metric} limit=${check.limit ?? '-'} measured=${check.measured ?? '-'}${check.interval ? ` interval=${check.interval.low}..${check.interval.high}` : ''}`
      : '';
  return `${head}>\n      <${tag} ${attr({ message: check.message })}${type}>${escapeXml(detail)}</${tag}>\n    </testcase>`;
}

/** A run with no results is one suite with one <error>: a reader of JUnit alone must see that a browser is missing. */
function missingSuite({ browser, message }: MissingRun): string {
  return [
    `  <testsuite ${attr({ name: browser, tests: 1, failures: 0, errors: 1, skipped: 0, time: '0.000' })}>`,
    `    <testcase ${attr({ classname: `inference-lab.${browser}`, name: `${browser} run`, time: '0.000' })}>`,
    `      <error ${attr({ message, type: 'run-failed' })}>${escapeXml(message)}</error>`,
    '    </testcase>',
    '  </testsuite>',
  ].join('\n');
}

/** One test case per cell state and per threshold; unavailable engines are <skipped>, never passes; a run that gave nothing is an <error>. */
export function toJUnit(suites: readonly SuiteInput[], missing: readonly MissingRun[] = []): string {
  const count = (checks: readonly Check[], s: Check['status']) => checks.filter((c) => c.status === s).length;
  const all = suites.flatMap((s) => s.checks);
  const body = suites.map(({ browser, results, checks }) => {
    const wall = new Map(results.cells.map((c) => [c.cellId, c.wallMs / 1000]));
    const props = [
      // The build that ran (origin), as the console and report name it; the page's user agent only when the origin is unknown.
      ['browser', results.origin ? `${results.origin.browser.name} ${results.origin.browser.version}` : `${results.device.browser.name} ${results.device.browser.version}`],
      ['model', results.model.id],
      ...Object.entries(results.device.engines),
      ['status', results.status],
    ]
      .map(([name, value]) => `      <property ${attr({ name: name!, value: value! })}/>`)
      .join('\n');
    return [
      `  <testsuite ${attr({
        name: `${browser} · ${results.model.id}`,
        tests: checks.length,
        failures: count(checks, 'fail'),
        errors: 0,
        skipped: count(checks, 'skip'),
        time: (results.wallMs / 1000).toFixed(3),
        timestamp: results.createdAt,
      })}>`,
      `    <properties>\n${props}\n    </properties>`,
      ...checks.map((c) => testcase(browser, c, c.metric === 'state' ? (wall.get(c.cellId) ?? 0) : 0)),
      '  </testsuite>',
    ].join('\n');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites ${attr({ name: 'inference-lab', tests: all.length + missing.length, failures: count(all, 'fail'), errors: missing.length, skipped: count(all, 'skip') })}>`,
    ...body,
    ...missing.map(missingSuite),
    '</testsuites>',
    '',
  ].join('\n');
}
