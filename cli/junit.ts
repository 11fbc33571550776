import type { Check } from '../src/lab/results/checks';
import type { ResultsDocument } from '../src/lab/results/results';
import { escapeXml } from '../src/lab/util/html';

export interface SuiteInput {
  browser: string;
  results: ResultsDocument;
  checks: Check[];
}


const attr = (pairs: Record<string, string | number>) =>
  Object.entries(pairs)
    .map(([k, v]) => `${k}="${escapeXml(String(v))}"`)
    .join(' ');

function testcase(browser: string, check: Check, seconds: number): string {
  const head = `    <testcase ${attr({ classname: `inference-lab.${browser}.${check.engine}.${check.precision}`, name: check.name, time: seconds.toFixed(3) })}`;
  // A pass keeps its message too: "completed with a custom tolerance …" must reach whoever reads the report.
  if (check.status === 'pass') return `${head}>\n      <system-out>${escapeXml(check.message)}</system-out>\n    </testcase>`;
  const tag = check.status === 'fail' ? 'failure' : 'skipped';
  const type = check.status === 'fail' ? ` ${attr({ type: check.metric })}` : '';
  const detail =
    check.limit !== undefined || check.measured !== undefined
      ? `metric=${check.metric} limit=${check.limit ?? '-'} measured=${check.measured ?? '-'}${check.interval ? ` interval=${check.interval.low}..${check.interval.high}` : ''}`
      : '';
  return `${head}>\n      <${tag} ${attr({ message: check.message })}${type}>${escapeXml(detail)}</${tag}>\n    </testcase>`;
}

/** One test case per cell state and per threshold; unavailable engines are <skipped>, never passes. */
export function toJUnit(suites: readonly SuiteInput[]): string {
  const count = (checks: readonly Check[], s: Check['status']) => checks.filter((c) => c.status === s).length;
  const all = suites.flatMap((s) => s.checks);
  const body = suites.map(({ browser, results, checks }) => {
    const wall = new Map(results.cells.map((c) => [c.cellId, c.wallMs / 1000]));
    const props = [
      ['browser', `${results.device.browser.name} ${results.device.browser.version}`],
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
    `<testsuites ${attr({ name: 'inference-lab', tests: all.length, failures: count(all, 'fail'), errors: 0, skipped: count(all, 'skip') })}>`,
    ...body,
    '</testsuites>',
    '',
  ].join('\n');
}
