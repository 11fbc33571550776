import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIGURES, figure } from '../src/lab/results/figures';
import { recommend } from '../src/lab/results/recommendation';
import { recommendationCard } from '../src/lab/results/recommendation-card';
import { parseRecommendationNeeds } from '../src/lab/results/recommendation-needs';
import { parseResultsDocument } from '../src/lab/results/results-file';
import { mergeResults } from '../src/lab/results/merge';
import { toHtmlReport } from './html-report';
import { toJUnit } from './junit';
import type { Check } from '../src/lab/results/checks';
import { escapeXml } from '../src/lab/util/html';

const results = parseResultsDocument(JSON.parse(readFileSync(resolve(import.meta.dirname, '../src/lab/results/fixtures/results-chromium.json'), 'utf8')));

describe('toHtmlReport', () => {
  it('has a column for every figure in the registry, filled from the same definitions', () => {
    const html = toHtmlReport([{ browser: 'chromium', results, checks: [] }]);
    for (const f of FIGURES) expect(html).toContain(`>${escapeXml(f.label)}</th>`);
    const cell = results.cells.find((c) => c.state === 'completed');
    if (cell?.state !== 'completed') throw new Error('the fixture has a completed cell');
    const batch = cell.batches[0]!;
    const p50 = figure('p50');
    if (p50.scope !== 'batch') throw new Error('P50 is a batch figure');
    expect(html).toContain(`<td>${escapeXml(p50.format(p50.value(cell, batch)!))}</td>`);
  });
});

describe('toHtmlReport after a merge', () => {
  it('puts a browser × cell table first, with medians only for cells that agreed and every other state with its reason', () => {
    const webkit = structuredClone(results);
    webkit.cells[0] = { ...webkit.cells[0]!, state: 'unavailable', reason: 'no wasm in this browser' };
    const { runs, comparison } = mergeResults([
      { source: 'c.json', results: { ...results, origin: { label: 'chromium', browser: { family: 'chromium', name: 'Chromium', version: '1', driver: 't' }, network: 'n', notes: [] } } },
      { source: 'w.json', results: { ...webkit, origin: { label: 'webkit', browser: { family: 'webkit', name: 'WebKitGTK MiniBrowser', version: '2', driver: 't' }, network: 'n', notes: [] } } },
    ]);
    const html = toHtmlReport(runs.map((r) => ({ browser: r.label, results: r.results, checks: [] })), comparison);
    expect(html).toContain('<h2>Across browsers and devices: chromium · webkit</h2>');
    expect(html).toContain('<th>Cell</th><th>Batch</th><th>chromium</th><th>webkit</th>');
    expect(html).toContain('<td class="unavailable">unavailable<div class="muted">no wasm in this browser</div></td>');
    expect(html).toMatch(/<td class="completed">P50 /);
    expect(html.indexOf('Across browsers')).toBeLessThan(html.indexOf('<h2 id="run-chromium">'));
    expect(html).not.toMatch(/<script/);
  });
});

describe('the recommendation card in the report', () => {
  it('shows the same headline and rows as the core card, with why each configuration lost', () => {
    const needs = parseRecommendationNeeds({ objective: { kind: 'latency', maxMs: 0.001, batchSize: 1 }, pricePerHour: { cpu: 0.1, gpu: 1 } });
    const recommendation = recommend([results], needs);
    const html = toHtmlReport([{ browser: 'chromium', results: { ...results, recommendation }, checks: [] }]);
    const card = recommendationCard(recommendation);
    expect(card.status).toBe('nothing-qualifies');
    expect(html).toContain(`<h3>Recommendation</h3>`);
    expect(html).toContain(escapeXml(card.headline));
    for (const row of card.rows) expect(html).toContain(`<td class="v-${row.verdict}">${escapeXml(row.verdictText)}</td><td>${escapeXml(row.cost)}</td><td>${escapeXml(row.why)}</td>`);
    expect(card.rows.map((r) => r.verdict)).toEqual(['too-slow', 'unavailable']);
    expect(toHtmlReport([{ browser: 'chromium', results, checks: [] }])).not.toContain('<h3>Recommendation</h3>');
  });
});

describe('a run that gave no results', () => {
  const missing = [{ browser: 'firefox', message: 'The browser run failed: ECONNREFUSED' }];

  it('is an <error> suite in JUnit, counted at the top, beside the runs that did give results', () => {
    const xml = toJUnit([{ browser: 'chromium', results, checks: [] }], missing);
    expect(xml).toMatch(/<testsuites [^>]*errors="1"/);
    expect(xml).toContain('<testsuite name="firefox" tests="1" failures="0" errors="1"');
    expect(xml).toContain('<error message="The browser run failed: ECONNREFUSED" type="run-failed">');
    expect(xml).toContain('<testsuite name="chromium · ');
  });

  it('turns the report\'s verdict and names the run, even when every check of the others holds', () => {
    const html = toHtmlReport([{ browser: 'chromium', results, checks: [] }], undefined, missing);
    expect(html).not.toContain('All checks hold');
    expect(html).toContain('<p class="fail">1 run(s) gave no results</p>');
    expect(html).toContain('<strong>firefox</strong>: The browser run failed: ECONNREFUSED');
  });
});

describe('JUnit', () => {
  it('types a failed threshold by the budget key that set it', () => {
    const fail = (metric: Check['metric']): Check => ({ name: `0:ort-wasm:fp32 ${metric}`, cellId: '0:ort-wasm:fp32', engine: 'ort-wasm', precision: 'fp32', metric, status: 'fail', message: 'over' });
    const xml = toJUnit([{ browser: 'chromium', results, checks: [fail('p95'), fail('flip-rate'), fail('regression'), fail('state')] }]);
    expect([...xml.matchAll(/<failure [^>]*type="([^"]+)"/g)].map((m) => m[1])).toEqual(['maxP95Ms', 'maxFlipRate', 'maxRegression', 'state']);
  });


  it('names the browser build that ran (the origin), as the console and report do, not the user agent', () => {
    const origin = { label: 'firefox', browser: { family: 'firefox' as const, name: 'Firefox ESR', version: '153.8.0esr', driver: 'WebDriver BiDi (puppeteer-core)' }, network: 'loopback only', notes: [] };
    const xml = toJUnit([{ browser: 'firefox', results: { ...results, origin }, checks: [] }]);
    expect(xml).toContain('<property name="browser" value="Firefox ESR 153.8.0esr"/>');
    // Without an origin (a file downloaded from the page) the page's own report is all there is.
    expect(toJUnit([{ browser: 'chromium', results, checks: [] }])).toContain(`<property name="browser" value="${escapeXml(`${results.device.browser.name} ${results.device.browser.version}`)}"/>`);
  });
});
