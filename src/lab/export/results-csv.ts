/**
 * Results as a tidy CSV: one row per run × cell × batch size × metric (and
 * per slice for fidelity figures), so a spreadsheet, R or pandas can pivot it
 * any way. Columns are documented in CSV_COLUMNS; numbers are written at full
 * precision, so parsing the file back gives the very figures the lab shows.
 * Written and read with papaparse.
 */
import Papa from 'papaparse';
import type { SliceMetricName, SliceMetrics } from '../fidelity/types';
import { cellName } from '../results/cell-name';
import { deviceLabel } from '../results/device-label';
import type { CompletedCell } from '../results/figures';
import { FIGURES } from '../results/figures';
import type { CellResult, ResultsDocument } from '../results/results';
import { toleranceLabel } from '../runner/tolerance';

export const CSV_COLUMNS = Object.freeze([
  { name: 'run', note: "The run's creation time (ISO 8601): one results document." },
  { name: 'device', note: 'Browser, major version, platform and cores of the device the run measured.' },
  { name: 'browser', note: 'Browser name and full version.' },
  { name: 'model_id', note: "The zoo model's id." },
  { name: 'model_sha256', note: "SHA-256 of the model's FP32 ONNX file: rows of different files never describe the same model." },
  { name: 'cell_id', note: "The cell's id within its run (index:engine:precision…)." },
  { name: 'cell', note: "The cell's name as the page shows it (engine, and precision when not FP32)." },
  { name: 'engine', note: 'Engine id (runtime and backend).' },
  { name: 'backend', note: 'wasm, webgl, webgpu, webnn or cpu.' },
  { name: 'precision', note: 'Variant: fp32, fp16, fp16c, int8, int4.' },
  { name: 'format', note: 'Model format the cell loaded: onnx or tfjs.' },
  { name: 'threads', note: 'Wasm threads the runtime reported (0: not a wasm engine, or not recorded).' },
  { name: 'state', note: 'completed, unavailable, errored or aborted. Only completed cells have figures.' },
  { name: 'batch_size', note: 'Rows per call, for per-batch figures; empty for per-cell figures and fidelity.' },
  { name: 'slice', note: 'For fidelity figures: the data slice ("all", "ethnicity=afam"); empty otherwise.' },
  { name: 'metric', note: "The figure's id (p50, p95, throughput, … from the lab's figures registry; fidelity: flip-rate, accuracy, …), or 'state' for a cell with no figures." },
  { name: 'value', note: 'The number, at full precision; empty on a state row.' },
  { name: 'unit', note: 'ms, rows/s, GFLOP/s, bytes, fraction, or empty.' },
  { name: 'interval_low', note: "Lower end of the figure's 95% interval, where the lab computes one (P50: across round medians; fidelity: bootstrap)." },
  { name: 'interval_high', note: 'Upper end of that interval.' },
  { name: 'note', note: "Why a cell has no figures (its reason or error), or, on every row of a cell, the custom tolerance that loosened its check (\"custom tolerance X (manifest Y)\")." },
] as const);

export type CsvColumn = (typeof CSV_COLUMNS)[number]['name'];
export type CsvRow = Record<CsvColumn, string | number>;

/** Fidelity figures written per slice, with the metric ids the CSV uses. */
const k_fidelity_metrics: readonly { metric: string; key: keyof SliceMetrics & SliceMetricName | 'baseRate' }[] = [
  { metric: 'accuracy', key: 'accuracy' },
  { metric: 'accuracy-drop', key: 'accuracyDrop' },
  { metric: 'flip-rate', key: 'flipRate' },
  { metric: 'mean-abs-dp', key: 'meanAbsDp' },
  { metric: 'ece', key: 'ece' },
  { metric: 'positive-rate', key: 'positiveRate' },
  { metric: 'base-rate', key: 'baseRate' },
  { metric: 'true-positive-rate', key: 'truePositiveRate' },
  { metric: 'false-positive-rate', key: 'falsePositiveRate' },
];

function cellColumns(doc: ResultsDocument, cell: CellResult): Omit<CsvRow, 'batch_size' | 'slice' | 'metric' | 'value' | 'unit' | 'interval_low' | 'interval_high' | 'note'> {
  return {
    run: doc.createdAt,
    device: deviceLabel(doc.device),
    browser: `${doc.device.browser.name} ${doc.device.browser.version}`,
    model_id: doc.model.id,
    model_sha256: doc.model.onnxSha256 ?? '',
    cell_id: cell.cellId,
    cell: cellName(cell),
    engine: cell.engine,
    backend: cell.descriptor.backend,
    precision: cell.precision,
    format: cell.format ?? cell.descriptor.formats[0],
    threads: cell.runtime?.threads ?? 0,
    state: cell.state,
  };
}

const empty = { batch_size: '', slice: '', interval_low: '', interval_high: '', note: '' } as const;

function figureRows(doc: ResultsDocument, cell: CompletedCell): CsvRow[] {
  // A looser tolerance than the manifest's is labelled on every row of the cell: nothing loosens quietly.
  const base = { ...cellColumns(doc, cell), ...empty, note: toleranceLabel(cell.tolerance) ?? '' };
  const rows: CsvRow[] = [];
  for (const f of FIGURES) {
    const unit = f.unit;
    if (f.scope === 'cell') {
      const value = f.value(cell);
      if (value !== null) rows.push({ ...base, metric: f.id, value, unit });
      continue;
    }
    for (const b of cell.batches) {
      const value = f.value(cell, b);
      if (value === null) continue;
      const interval = f.id === 'p50' ? { interval_low: b.acrossRounds.low, interval_high: b.acrossRounds.high } : {};
      rows.push({ ...base, batch_size: b.batchSize, metric: f.id, value, unit, ...interval });
    }
  }
  if (cell.fidelity?.state === 'measured') {
    const report = cell.fidelity.report;
    for (const s of [report.overall, ...report.groupings.flatMap((g) => g.slices)]) {
      for (const { metric, key } of k_fidelity_metrics) {
        const value = s[key];
        if (value === null || value === undefined) continue;
        const ci = key in s.ci ? s.ci[key as SliceMetricName] : undefined;
        rows.push({ ...base, slice: s.slice, metric, value, unit: 'fraction', ...(ci ? { interval_low: ci.low, interval_high: ci.high } : {}) });
      }
    }
  }
  return rows;
}

/** Every run's rows, in run, cell, figure order. */
export function resultsCsvRows(docs: readonly ResultsDocument[]): CsvRow[] {
  return docs.flatMap((doc) =>
    doc.cells.flatMap((cell) => {
      if (cell.state === 'completed') return figureRows(doc, cell);
      const why = cell.state === 'errored' ? `${cell.error.kind}: ${cell.error.message}` : cell.reason;
      return [{ ...cellColumns(doc, cell), ...empty, metric: 'state', value: '', unit: '', note: why }];
    }),
  );
}

/**
 * Text that a spreadsheet would run as a formula (=, +, @ first) is written
 * with a leading apostrophe; '-' is left alone so negative numbers stay numbers.
 */
const k_formula_start = /^[=+@\t\r]/;

export function resultsCsv(docs: readonly ResultsDocument[]): string {
  return Papa.unparse(resultsCsvRows(docs), { columns: CSV_COLUMNS.map((c) => c.name), newline: '\n', escapeFormulae: k_formula_start });
}

/** Reads a CSV written by `resultsCsv` back into rows (numbers as numbers). @throws TypeError naming a missing column or a parse error. */
export function parseResultsCsv(text: string): CsvRow[] {
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
  const first = parsed.errors[0];
  if (first) throw new TypeError(`Not a results CSV: row ${first.row ?? '?'}: ${first.message}`);
  const missing = CSV_COLUMNS.map((c) => c.name).filter((c) => !(parsed.meta.fields ?? []).includes(c));
  if (missing.length > 0) throw new TypeError(`Not a results CSV: missing column(s) ${missing.join(', ')}`);
  const numeric: readonly CsvColumn[] = ['threads', 'batch_size', 'value', 'interval_low', 'interval_high'];
  return parsed.data.map((row) => {
    const out = {} as CsvRow;
    for (const { name } of CSV_COLUMNS) {
      const raw = row[name] ?? '';
      const text = raw.startsWith("'") && k_formula_start.test(raw.slice(1)) ? raw.slice(1) : raw;
      out[name] = numeric.includes(name) && text !== '' ? Number(text) : text;
    }
    return out;
  });
}
