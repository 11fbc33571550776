import type { EngineSession } from '../engines/engine';
import { attributionDriftReport, compareAttributions, stackAttributions } from '../fidelity/attribution-drift';
import { compareRows } from '../fidelity/agreement-metrics';
import { buildFidelityReport } from '../fidelity/fidelity-report';
import { scoreRows } from '../fidelity/quality-metrics';
import type { FidelityReference, KernelShapReference } from '../fidelity/reference-data';
import { k_fidelity_reference_file, parseFidelityReference } from '../fidelity/reference-data';
import { planKernelShap, solveKernelShap } from '../fidelity/shapley';
import { groupBySlices } from '../fidelity/slices';
import { gatherRows, parseTabularEvaluation } from '../fidelity/tabular-evaluation';
import type { TabularEvaluation } from '../fidelity/tabular-evaluation';
import type { FidelityReport } from '../fidelity/types';
import type { ImportanceSummary } from '../results/results';
import { decodeFloat32LE } from '../models/golden';
import type { ModelManifest } from '../models/manifest';
import type { FidelityOptions } from './plan';

/** Rows per engine call in the fidelity pass: big batches, since nothing here is timed. */
export const k_fidelity_batch = 4096;
/** Top-k of the attribution overlap measure. */
export const k_attribution_top_k = 3;

export interface FidelityInputs {
  manifest: ModelManifest;
  fetchText: (relativePath: string) => Promise<string>;
  fetchBytes: (relativePath: string) => Promise<ArrayBuffer>;
}

export interface LoadedFidelityData {
  reference: FidelityReference;
  referenceOutputs: Float32Array;
  evaluation: TabularEvaluation;
}

/** Fetches what the pass compares against; null when the model ships no fidelity reference. */
export async function loadFidelityData({ manifest, fetchText, fetchBytes }: FidelityInputs): Promise<LoadedFidelityData | null> {
  if (manifest.evaluation?.format !== 'json') return null;
  let referenceText: string;
  try {
    referenceText = await fetchText(k_fidelity_reference_file);
  } catch {
    return null;
  }
  const reference = parseFidelityReference(JSON.parse(referenceText));
  const [referenceOutputs, evaluationText] = await Promise.all([fetchBytes(reference.evaluation.outputs), fetchText(manifest.evaluation.path)]);
  return { reference, referenceOutputs: decodeFloat32LE(referenceOutputs), evaluation: parseTabularEvaluation(JSON.parse(evaluationText)) };
}

/** The reference setup cut to its first `count` explained rows (their reference values included). */
function firstExplained(setup: KernelShapReference | undefined, count: number | undefined): KernelShapReference | undefined {
  if (!setup || count === undefined) return setup;
  return { ...setup, explained: setup.explained.slice(0, count), values: setup.values.slice(0, count) };
}

/** Runs `rows` (flattened) through the session in fixed-size batches, padding the last one. */
async function predictAll(
  session: EngineSession,
  rows: Float32Array,
  inputWidth: number,
  outputWidth: number,
  onBatch: () => void,
): Promise<Float32Array> {
  const n = rows.length / inputWidth;
  const out = new Float32Array(n * outputWidth);
  const batch = new Float32Array(k_fidelity_batch * inputWidth);
  for (let start = 0; start < n; start += k_fidelity_batch) {
    const count = Math.min(k_fidelity_batch, n - start);
    batch.fill(0);
    batch.set(rows.subarray(start * inputWidth, (start + count) * inputWidth));
    const result = await session.run(batch, k_fidelity_batch);
    out.set(result.subarray(0, count * outputWidth), start * outputWidth);
    onBatch();
  }
  return out;
}

async function attributions(
  session: EngineSession,
  data: LoadedFidelityData,
  setup: KernelShapReference,
  outputWidth: number,
  onBatch: () => void,
): Promise<number[][]> {
  const { evaluation } = data;
  const background = gatherRows(evaluation.features, evaluation.width, setup.background);
  const plans = setup.explained.map((row) =>
    planKernelShap(evaluation.features.subarray(row * evaluation.width, (row + 1) * evaluation.width), background, {
      seed: setup.seed,
      coalitions: setup.coalitions,
      groups: setup.groups,
    }),
  );
  // One stream of masked rows for all explained rows: few, large engine calls (GPU engines pay per call).
  const inputs = new Float32Array(plans.reduce((n, p) => n + p.inputs.length, 0));
  plans.reduce((offset, p) => (inputs.set(p.inputs, offset), offset + p.inputs.length), 0);
  const outputs = await predictAll(session, inputs, evaluation.width, outputWidth, onBatch);
  let row = 0;
  return plans.map((plan) => {
    const values = solveKernelShap(plan, outputs.subarray(row * outputWidth, (row + plan.rows) * outputWidth), outputWidth, setup.target).values;
    row += plan.rows;
    return values;
  });
}

/**
 * The fidelity pass of one cell, after its timings (never inside a timed span):
 * predictions on the whole evaluation split and, when asked, KernelSHAP
 * attributions with the reference's seeded setup, all compared with the
 * native FP32 reference, overall and per slice.
 */
export async function runFidelityPass(
  session: EngineSession,
  data: LoadedFidelityData,
  options: FidelityOptions,
  outputWidth: number,
  onProgress: (done: number, target: number) => void,
): Promise<{ report: FidelityReport; importance?: ImportanceSummary }> {
  const { evaluation, reference } = data;
  const setup = options.attributions ? firstExplained(reference.attribution, options.explainRows) : undefined;
  const evalBatches = Math.ceil(evaluation.rows / k_fidelity_batch);
  const rowsPerExplained = setup ? 1 + setup.background.length * (1 + Math.min(setup.coalitions, 2 ** setup.groups.length - 2)) : 0;
  const target = evalBatches + (setup ? Math.ceil((setup.explained.length * rowsPerExplained) / k_fidelity_batch) : 0);
  let done = 0;
  const tick = () => onProgress(++done, Math.max(target, done));

  await session.prepare(k_fidelity_batch);
  const outputs = await predictAll(session, evaluation.features, evaluation.width, outputWidth, tick);
  const agreement = compareRows(data.referenceOutputs, outputs, outputWidth);
  const quality = scoreRows(outputs, outputWidth, evaluation.labels);

  let attributionDrift = null;
  let importance: ImportanceSummary | undefined;
  if (setup) {
    const candidate = await attributions(session, data, setup, outputWidth, tick);
    importance = { groupNames: setup.groupNames, cell: meanAbs(candidate), reference: meanAbs(setup.values), explainedRows: candidate.length };
    const drift = compareAttributions(stackAttributions(setup.values.map((values) => ({ values }))).values, stackAttributions(candidate.map((values) => ({ values }))).values, setup.groups.length, {
      k: Math.min(k_attribution_top_k, setup.groups.length),
    });
    const explainedSlices = Object.fromEntries(Object.entries(evaluation.slices).map(([name, column]) => [name, setup.explained.map((r) => column[r] ?? '')]));
    const groups = Object.keys(explainedSlices).flatMap((name) => groupBySlices(explainedSlices, [name]));
    attributionDrift = attributionDriftReport(drift, groups, { method: 'kernel-shap', target: setup.target, bootstrap: null });
  }

  const columns = Object.keys(evaluation.slices);
  const groupings: string[][] = columns.map((c) => [c]);
  if (options.intersection) groupings.push([...options.intersection]);
  const report = buildFidelityReport({
    rows: evaluation.rows,
    agreement,
    quality,
    sliceColumns: evaluation.slices,
    groupings,
    bootstrap: { iterations: options.bootstrapIterations, seed: options.seed, confidence: 0.95 },
    attributionDrift,
  });
  return importance ? { report, importance } : { report };
}

function meanAbs(rows: readonly (readonly number[])[]): number[] {
  const width = rows[0]?.length ?? 0;
  return Array.from({ length: width }, (_, i) => rows.reduce((sum, r) => sum + Math.abs(r[i] ?? 0), 0) / Math.max(1, rows.length));
}
