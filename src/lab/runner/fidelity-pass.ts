import type { EngineSession } from '../engines/engine';
import { attributionDriftReport, compareAttributions, stackAttributions } from '../fidelity/attribution-drift';
import { compareRows } from '../fidelity/agreement-metrics';
import type { EvaluationSet } from '../fidelity/evaluation-set';
import { loadEvaluationSet } from '../fidelity/evaluation-set';
import { buildFidelityReport } from '../fidelity/fidelity-report';
import { occlusionInputs, planOcclusion, solveOcclusion } from '../fidelity/occlusion';
import { scoreRows } from '../fidelity/quality-metrics';
import type { FidelityReference, KernelShapReference, OcclusionReference } from '../fidelity/reference-data';
import { k_fidelity_reference_file, parseFidelityReference } from '../fidelity/reference-data';
import { planKernelShap, solveKernelShap } from '../fidelity/shapley';
import { groupBySlices } from '../fidelity/slices';
import { gatherRows } from '../fidelity/tabular-evaluation';
import type { FidelityReport } from '../fidelity/types';
import type { FetchBytes } from '../models/golden';
import { decodeFloat32LE } from '../models/golden';
import type { ModelManifest } from '../models/manifest';
import type { ImportanceSummary, OcclusionExample } from '../results/results';
import type { FidelityOptions } from './plan';

/** Most rows per engine call in the fidelity pass: big batches, since nothing here is timed (GPU engines pay per call). */
export const k_fidelity_batch = 4096;
/** ...but at most this many input values per call, so image batches stay within GPU texture and buffer limits. */
export const k_fidelity_batch_values = 1 << 20;

/**
 * A power of two, so every engine sees one fixed batch shape for the whole
 * pass; no larger than the pass's largest run of rows needs (a user's 100
 * images are not padded to 1,024: software GPUs took a minute per such batch).
 */
export function fidelityBatch(inputWidth: number, rows = Infinity): number {
  const fit = 2 ** Math.ceil(Math.log2(Math.max(1, rows)));
  return Math.max(1, Math.min(k_fidelity_batch, 2 ** Math.floor(Math.log2(k_fidelity_batch_values / inputWidth)), fit));
}
/** Top-k of the attribution overlap measure. */
export const k_attribution_top_k = 3;
/** Occlusion maps kept per cell for the side-by-side view (the drift measures use all of them). */
export const k_occlusion_examples = 4;

export interface LoadedFidelityData {
  reference: FidelityReference;
  referenceOutputs: Float32Array;
  evaluation: EvaluationSet;
}

/** Fetches what the pass compares against; null when the model ships no fidelity reference. */
export async function loadFidelityData(
  manifest: ModelManifest,
  fetchText: (path: string) => Promise<string>,
  fetchBytes: FetchBytes,
): Promise<LoadedFidelityData | null> {
  let referenceText: string;
  try {
    referenceText = await fetchText(k_fidelity_reference_file);
  } catch {
    return null;
  }
  const reference = parseFidelityReference(JSON.parse(referenceText));
  const [referenceOutputs, evaluation] = await Promise.all([fetchBytes(reference.evaluation.outputs), loadEvaluationSet(manifest, fetchText, fetchBytes)]);
  if (!evaluation) return null;
  return { reference, referenceOutputs: decodeFloat32LE(referenceOutputs), evaluation };
}

/** Runs `count` rows produced by `rowsAt` through the session in fixed-size batches, padding the last one. */
async function predictRows(
  session: EngineSession,
  count: number,
  rowsAt: (start: number, n: number) => Float32Array,
  inputWidth: number,
  outputWidth: number,
  onBatch: () => void,
  size: number,
): Promise<Float32Array> {
  const out = new Float32Array(count * outputWidth);
  const batch = new Float32Array(size * inputWidth);
  for (let start = 0; start < count; start += size) {
    const n = Math.min(size, count - start);
    batch.fill(0);
    batch.set(rowsAt(start, n));
    const result = await session.run(batch, size);
    out.set(result.subarray(0, n * outputWidth), start * outputWidth);
    onBatch();
  }
  return out;
}

function flatRows(rows: Float32Array, width: number): (start: number, n: number) => Float32Array {
  return (start, n) => rows.subarray(start * width, (start + n) * width);
}

async function kernelShap(session: EngineSession, evaluation: EvaluationSet, setup: KernelShapReference, outputWidth: number, onBatch: () => void, batch: number): Promise<number[][]> {
  const all = evaluation.inputs(0, evaluation.rows);
  const background = gatherRows(all, evaluation.inputWidth, setup.background);
  const plans = setup.explained.map((row) =>
    planKernelShap(all.subarray(row * evaluation.inputWidth, (row + 1) * evaluation.inputWidth), background, {
      seed: setup.seed,
      coalitions: setup.coalitions,
      groups: setup.groups,
    }),
  );
  // One stream of masked rows for all explained rows: few, large engine calls.
  const inputs = new Float32Array(plans.reduce((n, p) => n + p.inputs.length, 0));
  plans.reduce((offset, p) => (inputs.set(p.inputs, offset), offset + p.inputs.length), 0);
  const outputs = await predictRows(session, inputs.length / evaluation.inputWidth, flatRows(inputs, evaluation.inputWidth), evaluation.inputWidth, outputWidth, onBatch, batch);
  let row = 0;
  return plans.map((plan) => {
    const values = solveKernelShap(plan, outputs.subarray(row * outputWidth, (row + plan.rows) * outputWidth), outputWidth, setup.target).values;
    row += plan.rows;
    return values;
  });
}

async function occlusion(session: EngineSession, evaluation: EvaluationSet, setup: OcclusionReference, outputWidth: number, onBatch: () => void, batch: number): Promise<number[][]> {
  const shape = evaluation.image;
  if (!shape) throw new Error('Occlusion needs image evaluation data');
  const plans = setup.explained.map((row) =>
    planOcclusion(evaluation.inputs(row, 1), shape, { patch: setup.patch, stride: setup.stride, fill: setup.fill }),
  );
  const inputs = new Float32Array(plans.reduce((n, p) => n + p.rows * p.valuesPerImage, 0));
  plans.reduce((offset, p) => (inputs.set(occlusionInputs(p), offset), offset + p.rows * p.valuesPerImage), 0);
  const outputs = await predictRows(session, inputs.length / evaluation.inputWidth, flatRows(inputs, evaluation.inputWidth), evaluation.inputWidth, outputWidth, onBatch, batch);
  let row = 0;
  return plans.map((plan, i) => {
    const map = solveOcclusion(plan, outputs.subarray(row * outputWidth, (row + plan.rows) * outputWidth), outputWidth, setup.targets[i] ?? 0);
    row += plan.rows;
    return map.values;
  });
}

/** The reference setup cut to its first `count` explained rows (their reference values included). */
function firstExplained<T extends { explained: number[]; values: number[][]; targets?: number[] }>(setup: T | undefined, count: number | undefined): T | undefined {
  if (!setup || count === undefined) return setup;
  return {
    ...setup,
    explained: setup.explained.slice(0, count),
    values: setup.values.slice(0, count),
    ...(setup.targets ? { targets: setup.targets.slice(0, count) } : {}),
  };
}

function meanAbs(rows: readonly (readonly number[])[]): number[] {
  const width = rows[0]?.length ?? 0;
  return Array.from({ length: width }, (_, i) => rows.reduce((sum, r) => sum + Math.abs(r[i] ?? 0), 0) / Math.max(1, rows.length));
}

/**
 * The fidelity pass of one cell, after its timings (never inside a timed span):
 * predictions on the whole evaluation split and, when asked, attributions with
 * the reference's own setup (KernelSHAP for tables, occlusion for images), all
 * compared with the native FP32 reference, overall and per slice.
 */
export async function runFidelityPass(
  session: EngineSession,
  data: LoadedFidelityData,
  options: FidelityOptions,
  outputWidth: number,
  onProgress: (done: number, target: number) => void,
): Promise<{ report: FidelityReport; importance?: ImportanceSummary; occlusionExamples?: OcclusionExample[] }> {
  const { evaluation, reference } = data;
  const setup = options.attributions ? firstExplained(reference.attribution, options.explainRows) : undefined;
  let done = 0;
  // The largest run of rows: the evaluation set, or an upper bound on the attribution rows (KernelSHAP: x, the background and each coalition's; occlusion: the image and each patch).
  const attributionRows = !setup
    ? 0
    : setup.method === 'kernel-shap'
      ? setup.explained.length * (1 + setup.background.length * (setup.coalitions + 1))
      : setup.explained.length * (1 + (evaluation.image ? Math.ceil(evaluation.image.height / setup.stride + 1) * Math.ceil(evaluation.image.width / setup.stride + 1) : evaluation.inputWidth));
  const batch = fidelityBatch(evaluation.inputWidth, Math.max(evaluation.rows, attributionRows));
  const tick = () => onProgress(++done, Math.max(done, Math.ceil(evaluation.rows / batch) + 1));

  await session.prepare(batch);
  const outputs = await predictRows(session, evaluation.rows, (s, n) => evaluation.inputs(s, n), evaluation.inputWidth, outputWidth, tick, batch);
  const agreement = compareRows(data.referenceOutputs, outputs, outputWidth);
  const quality = scoreRows(outputs, outputWidth, evaluation.labels);
  // The reference scored on the same labels: each slice's accuracy drop is measured on the very same rows.
  const referenceQuality = scoreRows(data.referenceOutputs, outputWidth, evaluation.labels);

  let attributionDrift = null;
  let importance: ImportanceSummary | undefined;
  let occlusionExamples: OcclusionExample[] | undefined;
  if (setup) {
    const candidate =
      setup.method === 'kernel-shap'
        ? await kernelShap(session, evaluation, setup, outputWidth, tick, batch)
        : await occlusion(session, evaluation, setup, outputWidth, tick, batch);
    const width = setup.values[0]?.length ?? 0;
    if (setup.method === 'kernel-shap') {
      importance = { groupNames: setup.groupNames, cell: meanAbs(candidate), reference: meanAbs(setup.values), explainedRows: candidate.length };
    } else if (evaluation.image) {
      const { height, width } = evaluation.image;
      occlusionExamples = setup.explained.slice(0, k_occlusion_examples).map((row, i) => ({
        row,
        label: Object.values(evaluation.slices)[0]?.[row] ?? String(row),
        height,
        width,
        reference: setup.values[i] ?? [],
        cell: candidate[i] ?? [],
      }));
    }
    const drift = compareAttributions(
      stackAttributions(setup.values.map((values) => ({ values }))).values,
      stackAttributions(candidate.map((values) => ({ values }))).values,
      width,
      // Occlusion maps compare pixel rankings: the top 10% of pixels stands in for the top features.
      { k: setup.method === 'kernel-shap' ? Math.min(k_attribution_top_k, width) : Math.max(1, Math.round(width / 10)), rankBy: setup.method === 'occlusion' ? 'signed' : 'absolute' },
    );
    const explainedSlices = Object.fromEntries(Object.entries(evaluation.slices).map(([name, column]) => [name, setup.explained.map((r) => column[r] ?? '')]));
    const groups = Object.keys(explainedSlices).flatMap((name) => groupBySlices(explainedSlices, [name]));
    attributionDrift = attributionDriftReport(drift, groups, { method: setup.method, target: setup.method === 'kernel-shap' ? setup.target : -1, bootstrap: null });
  }

  const groupings: string[][] = Object.keys(evaluation.slices).map((c) => [c]);
  if (options.intersection) groupings.push([...options.intersection]);
  const report = buildFidelityReport({
    rows: evaluation.rows,
    agreement,
    quality,
    referenceQuality,
    sliceColumns: evaluation.slices,
    groupings,
    // 0 iterations: no intervals (faster; the point estimates are the same).
    bootstrap: options.bootstrapIterations > 0 ? { iterations: options.bootstrapIterations, seed: options.seed, confidence: 0.95 } : null,
    attributionDrift,
    ...(outputWidth > 2 ? { positiveClass: null } : {}),
  });
  return { report, ...(importance ? { importance } : {}), ...(occlusionExamples ? { occlusionExamples } : {}) };
}
