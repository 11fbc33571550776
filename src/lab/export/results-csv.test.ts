import { describe, expect, it } from 'vitest';
import { completedCell, fidelityReport, makeResults, unavailableCell } from '../results/fixtures/make-results';
import { FIGURES } from '../results/figures';
import { parseResultsDocument } from '../results/results-file';
import { CSV_COLUMNS, parseResultsCsv, resultsCsv, resultsCsvRows } from './results-csv';

const fidelity = fidelityReport([{ slice: 'ethnicity=afam', n: 40, flipRate: 0.05, truePositiveRate: 0.7, ci: { flipRate: { estimate: 0.05, low: 0.01, high: 0.1 } } }]);
const doc = makeResults([
  { engine: 'ort-wasm', rounds: { 1: [[1.1, 1.2, 0.9], [1.3, 1.0, 1.05]], 16: [[4.1, 4.2], [4.4, 4.05]] }, fidelity },
  unavailableCell('ort-webnn', 1, 'WebNN: =not here, "quoted", and a comma'),
]);

describe('results CSV', () => {
  it('has one row per cell × batch × metric, one per slice for fidelity, one state row for a cell without figures', () => {
    const rows = resultsCsvRows([doc]);
    const cell = doc.cells[0]!;
    if (cell.state !== 'completed') throw new Error('completed');
    const perBatch = FIGURES.filter((f) => f.scope === 'batch' && f.value(cell, cell.batches[0]!) !== null).length;
    const perCell = FIGURES.filter((f) => f.scope === 'cell' && f.value(cell) !== null).length;
    const fidelityRows = rows.filter((r) => r.slice !== '').length;
    expect(rows.filter((r) => r.cell_id === cell.cellId && r.slice === '')).toHaveLength(perBatch * 2 + perCell);
    expect(fidelityRows).toBeGreaterThan(0);
    expect(rows.find((r) => r.metric === 'state')).toMatchObject({ cell_id: '1:ort-webnn:fp32', state: 'unavailable', value: '', note: 'WebNN: =not here, "quoted", and a comma' });
    expect(rows.find((r) => r.metric === 'p50' && r.batch_size === 16)).toMatchObject({ unit: 'ms', value: cell.batches[1]!.stats.p50, interval_low: cell.batches[1]!.acrossRounds.low });
    expect(rows.find((r) => r.metric === 'flip-rate' && r.slice === 'ethnicity=afam')).toMatchObject({ value: 0.05, interval_low: 0.01, interval_high: 0.1, unit: 'fraction' });
    expect(rows.find((r) => r.metric === 'true-positive-rate')).toMatchObject({ value: 0.7 });
  });

  it('parses back to the same figures, at full precision, with every documented column', () => {
    const text = resultsCsv([doc, makeResults([{ engine: 'tfjs-cpu', rounds: { 1: [[1 / 3, 2 / 3], [0.1 + 0.2, 5e-7]] } }], { createdAt: '2026-12-03T00:00:00.000Z' })]);
    expect(text.split('\n')[0]).toBe(CSV_COLUMNS.map((c) => c.name).join(','));
    const back = parseResultsCsv(text);
    const rows = resultsCsvRows([doc, makeResults([{ engine: 'tfjs-cpu', rounds: { 1: [[1 / 3, 2 / 3], [0.1 + 0.2, 5e-7]] } }], { createdAt: '2026-12-03T00:00:00.000Z' })]);
    expect(back).toEqual(rows);
    // Quotes and commas in a note survive the trip.
    expect(text).toContain(`"WebNN: =not here, ""quoted"", and a comma"`);
  });

  it('neutralises text a spreadsheet would run as a formula, and keeps negative numbers numbers', () => {
    const evil = makeResults([unavailableCell('ort-webnn', 0, '=HYPERLINK("x")'), completedCell({ engine: 'ort-wasm', rounds: { 1: [[1, 2], [1, 2]] } }, 1)]);
    const text = resultsCsv([evil]);
    expect(text).toContain(`"'=HYPERLINK(""x"")"`);
    expect(parseResultsCsv(text)[0]?.note).toBe('=HYPERLINK("x")');
    expect(() => parseResultsCsv('a,b\n1,2\n')).toThrow('missing column(s) run, device');
  });
});

describe('results JSON', () => {
  it('exports and imports to an identical document', () => {
    const text = JSON.stringify(doc, null, 2);
    expect(parseResultsDocument(JSON.parse(text))).toEqual(doc);
  });
});

describe('a loosened tolerance', () => {
  it('is labelled on every row of the cell it loosened', () => {
    const cell = completedCell({ engine: 'ort-wasm', rounds: { 1: [[1, 2], [1, 2]] } }, 0);
    if (cell.state !== 'completed') throw new Error('completed');
    cell.tolerance = { applied: 1e9, manifest: 1e-4, source: 'plan-looser' };
    const rows = parseResultsCsv(resultsCsv([makeResults([cell])]));
    expect(rows.length).toBeGreaterThan(3);
    expect(new Set(rows.map((r) => r.note))).toEqual(new Set(['custom tolerance 1.0e+9 (manifest 1.0e-4)']));
  });
});
