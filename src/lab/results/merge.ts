import type { RunOrigin } from './run-origin';
import { k_label_pattern } from './run-origin';
import type { CellResult, ResultsDocument } from './results';
import { k_results_schema_version } from './results';
import { cellId, cellIdentity } from '../runner/plan';
import { shardOf } from './shard';
import { stagingNote } from '../runner/run-stages';

/**
 * Joins results from many browsers, devices and shards into one comparison.
 * Shards of one run (same label, same plan) become one document again; runs
 * with different labels stay apart and meet in a table of browser × cell.
 * Nothing is re-measured or re-ranked: cells from different pages were never
 * interleaved, so the merge shows them side by side and ranks nothing across
 * them.
 */

/** A file to merge: its results and where it came from (named in every refusal). */
export interface MergeInput {
  source: string;
  results: ResultsDocument;
}

export interface MergedRun {
  label: string;
  results: ResultsDocument;
  sources: string[];
}

/** One cell of the plan at one batch size, across every run. */
export interface MergedRow {
  /** The cell without its plan index: engine:precision[:threads][:format], and #2, #3 … for repeats. */
  key: string;
  batchSize: number;
  /** Per run label: what that run says about this cell at this batch size; null when its plan had no such cell. */
  entries: Record<string, MergedEntry | null>;
}

export type MergedEntry =
  | { state: 'completed'; cellId: string; p50: number; p95: number; maxAbsDiff: number }
  | { state: Exclude<CellResult['state'], 'completed'>; cellId: string; reason: string };

export interface MergedComparison {
  kind: 'inference-lab-merge';
  schemaVersion: typeof k_results_schema_version;
  createdAt: string;
  modelId: string;
  /** Column order: the runs in the order of their labels. */
  labels: string[];
  rows: MergedRow[];
  note: string;
  /** Every run in full (shards joined), in label order: the page's compare view and the gallery read this one file. */
  runs: ResultsDocument[];
}

export class MergeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MergeError';
  }
}

export const k_merge_note =
  'Runs in different browsers, devices or shards ran in different pages at different times: their cells were never interleaved, so they are shown side by side and not ranked against each other (rankings within one run are in that run).';

/** A run's label: the CLI's origin.label, else the page's browser name (a file downloaded from the page). */
export function runLabel(results: ResultsDocument): string {
  if (results.origin?.label) return results.origin.label;
  const slug = results.device.browser.name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
  return k_label_pattern.test(slug) ? slug : 'browser';
}

function planIndex(cell: CellResult): number {
  return Number(cell.cellId.split(':')[0]);
}

/** The cell's identity without its plan index, numbered when a plan repeats it. */
function cellKeys(cells: readonly CellResult[]): string[] {
  const seen = new Map<string, number>();
  return cells.map((c) => {
    const base = c.cellId.split(':').slice(1).join(':');
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base} #${n}`;
  });
}

/** Shards of one run back into one document, in plan order; a plan cell no shard held is `aborted`, saying which shard is missing. */
function joinShards(label: string, inputs: readonly MergeInput[]): ResultsDocument {
  const [first] = inputs;
  if (!first) throw new MergeError(`no files for "${label}"`);
  if (inputs.length === 1 && !first.results.origin?.shard) return first.results;
  const plain = inputs.filter((i) => !i.results.origin?.shard);
  if (plain.length > 0) {
    throw new MergeError(
      `${inputs.map((i) => i.source).join(', ')} are all labelled "${label}" but ${plain.map((i) => i.source).join(', ')} ${plain.length === 1 ? 'is not a shard' : 'are not shards'}: give each run its own --label, or merge the shards of one run only`,
    );
  }
  const count = first.results.origin!.shard!.count;
  const planJson = JSON.stringify(first.results.plan);
  const byIndex = new Map<number, MergeInput>();
  for (const input of inputs) {
    const shard = input.results.origin!.shard!;
    if (shard.count !== count) throw new MergeError(`${input.source} is shard ${shard.index}/${shard.count} of "${label}", but ${first.source} is a shard of ${count}`);
    if (JSON.stringify(input.results.plan) !== planJson) throw new MergeError(`${input.source} and ${first.source} are shards of "${label}" with different plans`);
    const twin = byIndex.get(shard.index);
    if (twin) throw new MergeError(`${input.source} and ${twin.source} are both shard ${shard.index}/${count} of "${label}"`);
    byIndex.set(shard.index, input);
  }
  const present = [...byIndex.keys()].sort((a, b) => a - b);
  const ordered = present.map((i) => byIndex.get(i)!.results);
  const plan = first.results.plan;
  const held = new Map<number, CellResult>();
  for (const doc of ordered) for (const cell of doc.cells) held.set(planIndex(cell), cell);
  const missingCells: number[] = [];
  const cells = plan.cells.map((planCell, index) => {
    const cell = held.get(index);
    if (cell) return cell;
    missingCells.push(index);
    const shard = shardOf(index, count);
    return { ...cellIdentity(planCell, cellId(planCell, index)), phases: {}, wallMs: 0, state: 'aborted' as const, reason: `not measured: shard ${shard}/${count} of "${label}" is not among the merged files` };
  });
  const spreads = ordered.map((d) => d.timing.spread).filter((s): s is number => s !== null);
  const origin: RunOrigin = {
    ...first.results.origin!,
    notes: [
      ...first.results.origin!.notes,
      `joined from shards ${present.join(', ')} of ${count}, which ran in separate pages: cells of different shards were not interleaved with each other; the device report is shard ${present[0]}'s`,
    ],
    mergedShards: { count, present, missingCells },
  };
  delete origin.shard;
  return {
    ...first.results,
    createdAt: ordered.map((d) => d.createdAt).sort()[0]!,
    status: missingCells.length === 0 && ordered.every((d) => d.status === 'complete') ? 'complete' : 'cancelled',
    cells,
    // Each shard had its own stages and bridge: said per shard in the note, not as one.
    timing: {
      ...withoutStaging(first.results.timing),
      verdict: ordered.some((d) => d.timing.verdict === 'unstable') ? 'unstable' : 'stable',
      spread: spreads.length > 0 ? Math.max(...spreads) : null,
      note: `${ordered.map((d, i) => `shard ${present[i]}: ${d.timing.note}${d.timing.staged ? ` ${stagingNote(d.timing.staged)}` : ''}`).join(' ')} Cells of different shards are not ranked against each other.`,
    },
    // Rankings hold only within one interleaved run: a shard's ranking stays in its own file.
    comparisons: [],
    ...(ordered.some((d) => d.profiles) ? { profiles: ordered.flatMap((d) => d.profiles ?? []) } : {}),
    wallMs: ordered.reduce((sum, d) => sum + d.wallMs, 0),
    origin,
  };
}

/** Per batch size, what each run says about each cell. */
function rowsOf(runs: readonly MergedRun[]): MergedRow[] {
  const rows = new Map<string, MergedRow>();
  const labels = runs.map((r) => r.label);
  for (const run of runs) {
    const keys = cellKeys(run.results.cells);
    run.results.cells.forEach((cell, i) => {
      for (const batchSize of run.results.plan.batchSizes) {
        const id = `${keys[i]!} b${batchSize}`;
        let row = rows.get(id);
        if (!row) {
          row = { key: keys[i]!, batchSize, entries: Object.fromEntries(labels.map((l) => [l, null])) };
          rows.set(id, row);
        }
        row.entries[run.label] = entryOf(cell, batchSize);
      }
    });
  }
  return [...rows.values()];
}

function entryOf(cell: CellResult, batchSize: number): MergedEntry {
  if (cell.state === 'completed') {
    const batch = cell.batches.find((b) => b.batchSize === batchSize);
    const agreement = cell.agreement.filter((a) => a.batchSize === batchSize);
    if (!batch || agreement.length === 0) return { state: 'errored', cellId: cell.cellId, reason: `no checked measurement at batch ${batchSize}` };
    return { state: 'completed', cellId: cell.cellId, p50: batch.stats.p50, p95: batch.stats.p95, maxAbsDiff: Math.max(...agreement.map((a) => a.maxAbsDiff)) };
  }
  return { state: cell.state, cellId: cell.cellId, reason: cell.state === 'errored' ? `${cell.error.kind}: ${cell.error.message}` : cell.reason };
}

/**
 * @throws MergeError naming the files when they cannot be one comparison:
 * different models, two runs with one label, shards that do not fit together.
 */
export function mergeResults(inputs: readonly MergeInput[], now: Date = new Date()): { runs: MergedRun[]; comparison: MergedComparison } {
  if (inputs.length === 0) throw new MergeError('nothing to merge: give one or more results files');
  const modelId = inputs[0]!.results.model.id;
  const other = inputs.find((i) => i.results.model.id !== modelId);
  if (other) throw new MergeError(`${other.source} is a run of "${other.results.model.id}" and ${inputs[0]!.source} of "${modelId}": merge runs of one model`);
  const groups = new Map<string, MergeInput[]>();
  for (const input of inputs) {
    const label = runLabel(input.results);
    groups.set(label, [...(groups.get(label) ?? []), input]);
  }
  const runs = [...groups.entries()].map(([label, group]) => ({ label, results: joinShards(label, group), sources: group.map((g) => g.source) }));
  return {
    runs,
    comparison: {
      kind: 'inference-lab-merge',
      schemaVersion: k_results_schema_version,
      createdAt: now.toISOString(),
      modelId,
      labels: runs.map((r) => r.label),
      rows: rowsOf(runs),
      note: k_merge_note,
      runs: runs.map((r) => r.results),
    },
  };
}

function withoutStaging(timing: ResultsDocument['timing']): ResultsDocument['timing'] {
  const { staged: _staged, ...rest } = timing;
  return rest;
}
