/**
 * Results from several runs side by side: this page's run, files downloaded
 * on other devices or browsers, the CLI's output. Runs are admitted only when
 * they measured the same model file (its FP32 ONNX SHA-256), cells are matched
 * by engine, variant (and the threads or format a plan set) and batch size,
 * and each run's time is given as a ratio to the reference run's with an
 * interval from the round medians: runs share no rounds, so the ratio is the
 * unpaired one (results/time-ratio.ts).
 */
import type { BootstrapOptions } from '../bench/statistics';
import { toleranceLabel } from '../runner/tolerance';
import { errorMessage } from '../util/errors';
import { cellName } from './cell-name';
import { deviceLabel } from './device-label';
import type { CellResult, ResultsDocument } from './results';
import { parseResultsDocument } from './results-file';
import type { MeasuredBatch, TimeRatio } from './time-ratio';
import { k_ratio_bootstrap, measuredBatch, runKey, timeRatio } from './time-ratio';

export interface RefusedFile {
  name: string;
  reason: string;
}

/**
 * Every results document a file holds: one document, an array of them, or an
 * object with a `runs` array (a file merging several browsers' runs).
 */
export function documentsIn(json: unknown): unknown[] {
  if (Array.isArray(json)) return json;
  const runs = (json as { runs?: unknown } | null)?.runs;
  return Array.isArray(runs) ? runs : [json];
}

/** What makes two runs comparable: the same model file. */
function modelIdentity(doc: ResultsDocument): string {
  return `${doc.model.id}@${doc.model.onnxSha256 ?? 'unknown'}`;
}

/**
 * Validates files for comparison against `reference` (the page's run; when
 * absent, the first file admitted): each is parsed as a results document (a
 * newer schema or a claim that does not follow from its data is refused by
 * the parser, with its reason), and one of another model or another version
 * of the same model is refused, naming both.
 */
export function admitRuns(reference: ResultsDocument | null, files: readonly { name: string; json: unknown }[]): { admitted: { name: string; doc: ResultsDocument }[]; refused: RefusedFile[] } {
  const admitted: { name: string; doc: ResultsDocument }[] = [];
  const refused: RefusedFile[] = [];
  let against = reference;
  for (const file of files) {
    const docs = documentsIn(file.json);
    docs.forEach((json, i) => {
      const name = docs.length > 1 ? `${file.name} [${i + 1}]` : file.name;
      let doc: ResultsDocument;
      try {
        doc = parseResultsDocument(json);
      } catch (error) {
        refused.push({ name, reason: errorMessage(error) });
        return;
      }
      if (against && modelIdentity(doc) !== modelIdentity(against)) {
        const sha = (d: ResultsDocument) => (d.model.onnxSha256 ? `SHA-256 ${d.model.onnxSha256.slice(0, 12)}…` : 'no SHA-256');
        refused.push({
          name,
          reason:
            doc.model.id === against.model.id
              ? `a different version of ${doc.model.id} (${sha(doc)}; the runs shown measured ${sha(against)}): its timings describe other work, so it is not compared`
              : `another model (${doc.model.id}; the runs shown measured ${against.model.id})`,
        });
        return;
      }
      if (admitted.some((a) => runKey(a.doc) === runKey(doc)) || (reference && runKey(reference) === runKey(doc))) {
        refused.push({ name, reason: 'the same run is already shown' });
        return;
      }
      against ??= doc;
      admitted.push({ name, doc });
    });
  }
  return { admitted, refused };
}

/** Cells of different runs are the same configuration when engine, variant, the threads or format a plan set, and batch size agree. */
export function matchKey(cell: CellResult, batchSize: number): string {
  return `${cell.cellId.replace(/^\d+:/, '')}@b${batchSize}`;
}

export interface ComparedCell {
  state: CellResult['state'];
  /** Completed cells only. */
  p50?: number;
  p95?: number;
  throughputPerSec?: number;
  /** This run's time over the reference run's (absent for the reference itself, or when either did not complete). */
  vsReference?: TimeRatio;
  /** Why there is no figure (its reason or error). */
  message?: string;
  /** "custom tolerance X (manifest Y)" when a plan loosened the check this cell passed. */
  toleranceLabel?: string;
}

export interface ComparisonRow {
  key: string;
  label: string;
  batchSize: number;
  /** One entry per run, in the runs' order; null where the run had no such cell. */
  byRun: (ComparedCell | null)[];
}

export interface RunComparison {
  /** "Chromium 156 · Linux · 2 cores", made unique when two runs share a device. */
  runLabels: string[];
  /** Index of the run the ratios are to. */
  reference: number;
  rows: ComparisonRow[];
}

function runLabels(docs: readonly ResultsDocument[]): string[] {
  const base = docs.map((d) => deviceLabel(d.device));
  return base.map((label, i) => (base.filter((x) => x === label).length > 1 ? `${label} · ${docs[i]!.createdAt.slice(0, 16).replace('T', ' ')}` : label));
}

/** Every configuration any run measured, with each run's figures and its ratio to run `reference`. */
export function compareRuns(docs: readonly ResultsDocument[], reference = 0, bootstrap: BootstrapOptions = k_ratio_bootstrap): RunComparison {
  const rows = new Map<string, ComparisonRow>();
  const measured = new Map<string, MeasuredBatch>();
  docs.forEach((doc, r) => {
    for (const cell of doc.cells) {
      const sizes = cell.state === 'completed' ? cell.batches.map((b) => b.batchSize) : doc.plan.batchSizes;
      for (const batchSize of sizes) {
        const key = matchKey(cell, batchSize);
        let row = rows.get(key);
        if (!row) {
          row = { key, label: `${cellName(cell)} · batch ${batchSize}`, batchSize, byRun: docs.map(() => null) };
          rows.set(key, row);
        }
        if (row.byRun[r]) continue; // the first cell of a run with this key stands for it
        if (cell.state !== 'completed') {
          row.byRun[r] = { state: cell.state, message: cell.state === 'errored' ? cell.error.message : cell.reason };
          continue;
        }
        const batch = cell.batches.find((b) => b.batchSize === batchSize)!;
        measured.set(`${r}|${key}`, measuredBatch(doc, cell, batch));
        const loosened = toleranceLabel(cell.tolerance);
        row.byRun[r] = { state: 'completed', p50: batch.stats.p50, p95: batch.stats.p95, throughputPerSec: batch.throughputPerSec, ...(loosened ? { toleranceLabel: loosened } : {}) };
      }
    }
  });
  for (const row of rows.values()) {
    const ref = measured.get(`${reference}|${row.key}`);
    if (!ref) continue;
    row.byRun.forEach((entry, r) => {
      const mine = measured.get(`${r}|${row.key}`);
      if (entry && mine && r !== reference) entry.vsReference = timeRatio(mine, ref, bootstrap);
    });
  }
  return { runLabels: runLabels(docs), reference, rows: [...rows.values()].sort((a, b) => a.batchSize - b.batchSize) };
}
