/**
 * Every figure the lab reports, defined once: its name, unit, plain-words
 * note, how to format it, which way is better, how to read it from a result,
 * and how a budget judges it. The results table, the HTML report, the CLI's
 * budget schema and its checks all read this list, so a new figure is one
 * entry here (plus whatever measures it).
 */
import { formatBytes, formatMs, formatRate } from '../util/format';
import type { BatchMeasurement, CellResult } from './results';

export type CompletedCell = Extract<CellResult, { state: 'completed' }>;

interface FigureBase<Id extends string, Key extends string> {
  id: Id;
  label: string;
  unit: string;
  /** What it means, for a learner. */
  note: string;
  better: 'lower' | 'higher';
  format: (x: number) => string;
  /** The budget limit that judges this figure, e.g. { key: 'maxP95Ms', side: 'max' }; absent when budgets cannot name it. */
  budget?: { key: Key; side: 'max' | 'min'; describe: string };
  /** Why a completed cell has no value, in words (budget checks that skip say it); absent: the browser did not measure it. */
  whyMissing?: (cell: CompletedCell) => string;
}

/** A figure measured per batch size (latency, throughput, achieved FLOP/s). */
export interface BatchFigure<Id extends string = string, Key extends string = string> extends FigureBase<Id, Key> {
  scope: 'batch';
  value: (cell: CompletedCell, batch: BatchMeasurement) => number | null;
}

/** A figure measured once per cell (cold phases, agreement). */
export interface CellFigure<Id extends string = string, Key extends string = string> extends FigureBase<Id, Key> {
  scope: 'cell';
  value: (cell: CompletedCell) => number | null;
}

export type Figure = BatchFigure | CellFigure;

/** Achieved GFLOP/s of one batch: FLOPs per row × rows / median latency. */
export function achievedGflops(flopsPerRow: number, batchSize: number, medianMs: number): number | null {
  return medianMs > 0 && flopsPerRow > 0 ? (flopsPerRow * batchSize) / (medianMs * 1e6) : null;
}

export const formatGflops = (x: number): string => `${x >= 0.01 ? x.toPrecision(3) : x.toExponential(2)} GFLOP/s`;

const plain = (x: number) => (Math.abs(x) >= 0.01 && Math.abs(x) < 1e4 ? x.toPrecision(3) : x.toExponential(2));

export const FIGURES = [
  {
    id: 'start',
    scope: 'cell',
    label: 'Start',
    unit: 'ms',
    note: 'Importing the runtime and starting its backend (wasm download and compile, GPU device).',
    better: 'lower',
    format: formatMs,
    budget: { key: 'maxStartMs', side: 'max', describe: 'Largest allowed runtime start time, ms.' },
    value: (c) => c.phases.runtimeInitMs ?? null,
  },
  {
    id: 'fetch',
    scope: 'cell',
    label: 'Fetch',
    unit: 'ms',
    note: "Downloading the model file(s) from this page's own origin.",
    better: 'lower',
    format: formatMs,
    budget: { key: 'maxFetchMs', side: 'max', describe: 'Largest allowed model fetch time, ms.' },
    value: (c) => c.phases.modelFetchMs ?? null,
  },
  {
    id: 'session',
    scope: 'cell',
    label: 'Session',
    unit: 'ms',
    note: 'Building a runnable session from the model bytes (for onnxruntime-web also compiling its wasm, the first time).',
    better: 'lower',
    format: formatMs,
    budget: { key: 'maxSessionMs', side: 'max', describe: 'Largest allowed session creation time, ms.' },
    value: (c) => c.phases.sessionCreateMs ?? null,
  },
  {
    id: 'first-run',
    scope: 'cell',
    label: 'First run',
    unit: 'ms',
    note: 'The very first inference, cold: shader compilation, lazy allocation, outputs read back.',
    better: 'lower',
    format: formatMs,
    budget: { key: 'maxFirstRunMs', side: 'max', describe: 'Largest allowed first (cold) inference, ms.' },
    value: (c) => c.phases.firstRunMs ?? null,
  },
  {
    id: 'p50',
    scope: 'batch',
    label: 'P50',
    unit: 'ms',
    note: 'Median warm latency of one batch: the typical wait.',
    better: 'lower',
    format: formatMs,
    budget: { key: 'maxP50Ms', side: 'max', describe: 'Largest allowed P50 latency per batch, ms.' },
    value: (_c, b) => b.stats.p50,
  },
  {
    id: 'p95',
    scope: 'batch',
    label: 'P95',
    unit: 'ms',
    note: '95th percentile: the slow tail a user feels once in twenty.',
    better: 'lower',
    format: formatMs,
    budget: { key: 'maxP95Ms', side: 'max', describe: 'Largest allowed P95 latency per batch, ms.' },
    value: (_c, b) => b.stats.p95,
  },
  {
    id: 'p99',
    scope: 'batch',
    label: 'P99',
    unit: 'ms',
    note: '99th percentile: the rare slow call (garbage collection, another tab, a throttled core).',
    better: 'lower',
    format: formatMs,
    budget: { key: 'maxP99Ms', side: 'max', describe: 'Largest allowed P99 latency per batch, ms.' },
    value: (_c, b) => b.stats.p99,
  },
  {
    id: 'throughput',
    scope: 'batch',
    label: 'Throughput',
    unit: 'rows/s',
    note: 'Rows per second at the median latency, one batch after another.',
    better: 'higher',
    format: formatRate,
    budget: { key: 'minThroughputPerSec', side: 'min', describe: 'Smallest allowed throughput per batch size, rows per second.' },
    value: (_c, b) => b.throughputPerSec,
  },
  {
    id: 'gflops',
    scope: 'batch',
    label: 'GFLOP/s',
    unit: 'GFLOP/s',
    note: "Achieved arithmetic rate: the model's FLOPs per row (counted from its FP32 ONNX graph) × rows per batch ÷ median latency. Compare with the device's measured ceilings in the roofline.",
    better: 'higher',
    format: formatGflops,
    budget: { key: 'minGflops', side: 'min', describe: 'Smallest allowed achieved GFLOP/s per batch size (FLOPs per row × rows ÷ median latency).' },
    value: (c, b) => (c.flopsPerRow === undefined ? null : achievedGflops(c.flopsPerRow, b.batchSize, b.stats.p50)),
    whyMissing: () => "the model's FLOPs could not be counted from its graph (the results' model.flops says which operator)",
  },
  {
    id: 'peak-memory',
    scope: 'cell',
    label: 'Peak memory',
    unit: 'bytes',
    note: "The most memory the engine held while the cell ran (sampled after session creation, each warm-up, each block of samples and the fidelity pass), by the source named beside it: the worker's wasm memory, WebGPU buffers, or the engine's own count (n/a where nothing can tell).",
    better: 'lower',
    format: formatBytes,
    budget: { key: 'maxPeakMemoryBytes', side: 'max', describe: 'Largest allowed peak memory of a cell, bytes.' },
    value: (c) => c.memory?.peakBytes ?? null,
    whyMissing: (c) => (c.memory ? `no memory figure: ${c.memory.reason ?? c.memory.source}` : 'no memory was measured for this cell'),
  },
  {
    id: 'memory-after-dispose',
    scope: 'cell',
    label: 'After dispose',
    unit: 'bytes',
    note: 'Memory still held after the session was disposed, by the same sources as the peak (wasm memory never shrinks, so for wasm engines this is what the worker still reserves).',
    better: 'lower',
    format: formatBytes,
    budget: { key: 'maxMemoryAfterDisposeBytes', side: 'max', describe: 'Largest allowed memory still held after dispose, bytes.' },
    value: (c) => c.memory?.afterDisposeBytes ?? null,
    whyMissing: (c) => (c.memory ? `no memory figure: ${c.memory.reason ?? c.memory.source}` : 'no memory was measured for this cell'),
  },
  {
    id: 'leak-growth',
    scope: 'cell',
    label: 'Leak growth',
    unit: 'bytes',
    note: "Memory growth from the first to the last of the plan's create → run → dispose cycles in one worker (only when the plan asks for a leak check).",
    better: 'lower',
    format: (x) => (x < 0 ? `−${formatBytes(-x)}` : formatBytes(x)),
    budget: { key: 'maxLeakGrowthBytes', side: 'max', describe: 'Largest allowed memory growth over the leak check, bytes (0: none at all).' },
    value: (c) => c.memory?.leak?.growthBytes ?? null,
    whyMissing: (c) => (c.memory?.leak ? `the leak check measured nothing for this engine (${c.memory.leak.source})` : 'the plan asked for no leak check (set "leakCheck")'),
  },
  {
    id: 'max-abs-diff',
    scope: 'cell',
    label: 'max |Δ|',
    unit: '',
    note: 'Largest difference from the golden outputs over every checked batch size.',
    better: 'lower',
    format: (x) => (Number.isFinite(x) ? x.toExponential(1) : '∞'),
    budget: { key: 'maxAbsDiff', side: 'max', describe: "Largest allowed |Δ| against the golden outputs (tighter than the manifest's tolerance, if wanted)." },
    value: (c) => (c.agreement.length > 0 ? Math.max(...c.agreement.map((a) => a.maxAbsDiff)) : null),
  },
] as const satisfies readonly Figure[];

export type FigureId = (typeof FIGURES)[number]['id'];
export type FigureBudgetKey = (typeof FIGURES)[number]['budget']['key'];

export function figure(id: FigureId): Figure {
  const found = FIGURES.find((f) => f.id === id);
  if (!found) throw new RangeError(`Unknown figure "${id}"`);
  return found;
}

/** A limit's message: "P95 1.24 ms > limit 0.500 ms". */
export function limitMessage(f: Figure, measured: number, limit: number, ok: boolean): string {
  const unit = f.unit === '' || f.unit === 'bytes' ? '' : ` ${f.unit}`;
  const sign = f.budget?.side === 'min' ? (ok ? '≥' : '<') : ok ? '≤' : '>';
  return `${f.label} ${plain(measured)}${unit} ${sign} limit ${plain(limit)}${unit}`;
}
