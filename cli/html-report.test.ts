import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIGURES, figure } from '../src/lab/results/figures';
import { parseResultsDocument } from '../src/lab/results/results-file';
import { toHtmlReport } from './html-report';
import { escapeXml } from './junit';

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
