/**
 * Assembles one cell's FidelityReport from the per-row intermediates:
 * overall and per-slice metrics, their bootstrap intervals, and the gaps
 * between slices, for each requested choice of slice columns.
 *
 * This is the one call the worker needs after the forward passes:
 *   const agreement = compareRows(referenceProbs, cellProbs, classes);
 *   const quality = scoreRows(cellProbs, classes, labels);
 *   const report = buildFidelityReport({ rows, agreement, quality,
 *     sliceColumns, groupings: [['ethnicity'], ['region'], ['ethnicity', 'region']] });
 *
 * All metrics of one slice share the same bootstrap resamples (one draw per
 * iteration, see `bootstrapCis`), and so do the gaps of one grouping.
 */

import { flipRate, meanAbsDp, summarizeAgreement } from './agreement-metrics';
import type { RowAgreement } from './agreement-metrics';
import { bootstrapCis, k_default_bootstrap } from './bootstrap';
import type { BootstrapOptions, IndexStatistic } from './bootstrap';
import {
  accuracy,
  baseRate,
  calibration,
  expectedCalibrationError,
  k_default_ece_bins,
  k_min_slice_size,
  positiveRate,
  rowsWithLabel,
  sliceGap,
  sliceGapCis,
} from './quality-metrics';
import type { RowQuality } from './quality-metrics';
import { allRowsSlice, groupBySlices } from './slices';
import type { SliceColumns, SliceGroup } from './slices';
import type {
  AttributionDriftReport,
  FidelityReport,
  PsnrSummary,
  SliceGap,
  SliceGrouping,
  SliceMetricName,
  SliceMetrics,
} from './types';

/**
 * Which way is better for each metric, for labelling gaps. A positive rate
 * has no better direction: a gap in it is a demographic-parity difference.
 */
export const k_higher_is_better: Readonly<Record<SliceMetricName, boolean | null>> = Object.freeze({
  accuracy: true,
  ece: false,
  positiveRate: null,
  flipRate: false,
  meanAbsDp: false,
  truePositiveRate: true,
  falsePositiveRate: false,
  accuracyDrop: false,
});

export interface FidelityReportInputs {
  /** Evaluation rows covered by the per-row arrays and slice columns. */
  readonly rows: number;
  /** From `compareRows` against the reference; null/absent for the reference itself or no reference. */
  readonly agreement?: RowAgreement | null;
  /** From `scoreRows`; null/absent for unlabelled data. */
  readonly quality?: RowQuality | null;
  /** The reference's outputs scored on the same labels: the basis of each slice's accuracy drop; null/absent for none. */
  readonly referenceQuality?: RowQuality | null;
  /** Raw slice columns of the evaluation rows. */
  readonly sliceColumns?: SliceColumns;
  /** Column choices to slice by, e.g. [['ethnicity'], ['ethnicity', 'region']]; default none. */
  readonly groupings?: readonly (readonly string[])[];
  /** Interval settings; default k_default_bootstrap; null for no intervals. */
  readonly bootstrap?: BootstrapOptions | null;
  /** Default k_min_slice_size. */
  readonly minSliceSize?: number;
  /** Default k_default_ece_bins. */
  readonly eceBins?: number;
  /** Default 1 for a binary model (one or two outputs), null for multiclass. */
  readonly positiveClass?: number | null;
  readonly attributionDrift?: AttributionDriftReport | null;
  readonly psnr?: PsnrSummary | null;
}

interface Resolved {
  readonly agreement: RowAgreement | null;
  readonly quality: RowQuality | null;
  readonly referenceQuality: RowQuality | null;
  readonly bootstrap: BootstrapOptions | null;
  readonly minSliceSize: number;
  readonly eceBins: number;
  readonly positiveClass: number | null;
}

/** Metrics over a slice's rows, in the order they appear in intervals and gaps. */
const k_metric_order: readonly SliceMetricName[] = Object.freeze([
  'accuracy',
  'ece',
  'positiveRate',
  'flipRate',
  'meanAbsDp',
]);

/**
 * Rates conditioned on the label: each is the positive rate over the slice's
 * rows of one label, so its interval and gap resample those rows only, and a
 * slice needs minSliceSize of them (not of all its rows) to enter a gap.
 */
const k_conditional_rates = Object.freeze([
  { metric: 'truePositiveRate', positive: true },
  { metric: 'falsePositiveRate', positive: false },
] as const);

/**
 * The index statistics of every metric that can be measured with these
 * inputs, keyed by metric name (a plain string record, so it feeds
 * `bootstrapCis` directly).
 */
function metricFunctions(r: Resolved): Record<string, IndexStatistic> {
  const fns: Partial<Record<SliceMetricName, IndexStatistic>> & Record<string, IndexStatistic> = {};
  const { quality, agreement, positiveClass, eceBins } = r;
  if (quality !== null) {
    fns.accuracy = (ix) => accuracy(quality, ix);
    fns.ece = (ix) => expectedCalibrationError(quality, ix, eceBins);
    if (positiveClass !== null) fns.positiveRate = (ix) => positiveRate(quality, ix, positiveClass);
  }
  if (agreement !== null) {
    fns.flipRate = (ix) => flipRate(agreement, ix);
    fns.meanAbsDp = (ix) => meanAbsDp(agreement, ix);
  }
  const reference = r.referenceQuality;
  if (quality !== null && reference !== null) fns.accuracyDrop = (ix) => accuracy(reference, ix) - accuracy(quality, ix);
  return fns;
}

/** The group's rows with a positive (or negative) label, as a group of its own; null without labels or a positive class. */
function labelGroup(group: SliceGroup, r: Resolved, positive: boolean): SliceGroup | null {
  if (r.quality === null || r.positiveClass === null) return null;
  const indices = rowsWithLabel(r.quality, group.indices, positive, r.positiveClass);
  return { ...group, indices, n: indices.length };
}

/** Base rate, positives, negatives, TPR and FPR with their intervals; {} without labels or a positive class. */
function fairnessMetrics(group: SliceGroup, r: Resolved): Partial<SliceMetrics> & { ci: SliceMetrics['ci'] } {
  const { quality, positiveClass } = r;
  if (quality === null || positiveClass === null) return { ci: {} };
  const out: Partial<SliceMetrics> & { ci: SliceMetrics['ci'] } = { baseRate: baseRate(quality, group.indices, positiveClass), ci: {} };
  for (const { metric, positive } of k_conditional_rates) {
    const rows = labelGroup(group, r, positive);
    const n = rows?.n ?? 0;
    out[positive ? 'positives' : 'negatives'] = n;
    out[metric] = rows && n > 0 ? positiveRate(quality, rows.indices, positiveClass) : null;
    if (rows && n > 0 && r.bootstrap !== null) {
      out.ci[metric] = bootstrapCis(rows.indices, { rate: (ix: Uint32Array) => positiveRate(quality, ix, positiveClass) }, r.bootstrap).rate;
    }
  }
  return out;
}

function sliceMetrics(group: SliceGroup, r: Resolved): SliceMetrics {
  const { quality, agreement, referenceQuality } = r;
  const agreementSummary = agreement === null ? null : summarizeAgreement(agreement, group.indices);
  const cal = quality === null ? null : calibration(quality, group.indices, r.eceBins);
  const fairness = fairnessMetrics(group, r);
  const referenceAccuracy = quality === null || referenceQuality === null ? null : accuracy(referenceQuality, group.indices);
  const cellAccuracy = quality === null ? null : accuracy(quality, group.indices);
  return {
    slice: group.slice,
    n: group.n,
    accuracy: cellAccuracy,
    ece: cal === null ? null : cal.ece,
    positiveRate:
      quality === null || r.positiveClass === null ? null : positiveRate(quality, group.indices, r.positiveClass),
    ...fairness,
    referenceAccuracy,
    accuracyDrop: referenceAccuracy === null || cellAccuracy === null ? null : referenceAccuracy - cellAccuracy,
    reliability: cal === null ? null : cal.bins,
    flipRate: agreementSummary?.flipRate ?? null,
    meanAbsDp: agreementSummary?.meanAbsDp ?? null,
    maxAbsDp: agreementSummary?.maxAbsDp ?? null,
    nonFiniteRows: agreementSummary?.nonFiniteRows ?? null,
    ci: r.bootstrap === null ? {} : { ...bootstrapCis(group.indices, metricFunctions(r), r.bootstrap), ...fairness.ci },
  };
}

function gapsOf(groups: readonly SliceGroup[], slices: readonly SliceMetrics[], r: Resolved): SliceGap[] {
  const fns = Object.fromEntries(Object.entries(metricFunctions(r)).filter(([metric]) => (k_metric_order as readonly string[]).includes(metric)));
  const cis = r.bootstrap === null ? null : sliceGapCis(groups, fns, r.bootstrap, r.minSliceSize);
  const gaps = k_metric_order.filter((metric) => fns[metric] !== undefined).map((metric) =>
    sliceGap(
      slices.map((s) => ({ slice: s.slice, n: s.n, value: s[metric] ?? null })),
      { metric, higherIsBetter: k_higher_is_better[metric], minSliceSize: r.minSliceSize },
      cis?.[metric] ?? null,
    ),
  );
  const { quality, positiveClass } = r;
  if (quality === null || positiveClass === null) return gaps;
  for (const { metric, positive } of k_conditional_rates) {
    const labelled = groups.map((g) => labelGroup(g, r, positive)).filter((g): g is SliceGroup => g !== null && g.n > 0);
    const rate = { [metric]: (ix: Uint32Array) => positiveRate(quality, ix, positiveClass) };
    const ci = r.bootstrap === null ? null : (sliceGapCis(labelled, rate, r.bootstrap, r.minSliceSize)?.[metric] ?? null);
    const values = slices.map((s) => ({ slice: s.slice, n: (positive ? s.positives : s.negatives) ?? 0, value: s[metric] ?? null }));
    gaps.push(sliceGap(values, { metric, higherIsBetter: k_higher_is_better[metric], minSliceSize: r.minSliceSize }, ci));
  }
  return gaps;
}

/**
 * Builds the report: overall metrics, then for each grouping its slices and
 * gaps. Metrics whose inputs are missing are null (and get no interval or
 * gap).
 *
 * @throws RangeError when the per-row arrays or slice columns do not cover
 *   `rows` rows, a grouping names an unknown column, or `rows` is 0.
 */
export function buildFidelityReport(inputs: FidelityReportInputs): FidelityReport {
  const what = 'buildFidelityReport';
  const { rows } = inputs;
  if (!Number.isInteger(rows) || rows < 1) {
    throw new RangeError(`${what}: rows must be a positive integer, got ${String(rows)}`);
  }
  const agreement = inputs.agreement ?? null;
  const quality = inputs.quality ?? null;
  const referenceQuality = inputs.referenceQuality ?? null;
  if (referenceQuality !== null && referenceQuality.rows !== rows) {
    throw new RangeError(`${what}: reference quality covers ${referenceQuality.rows} rows, expected ${rows}`);
  }
  if (agreement !== null && agreement.rows !== rows) {
    throw new RangeError(`${what}: agreement covers ${agreement.rows} rows, expected ${rows}`);
  }
  if (quality !== null && quality.rows !== rows) {
    throw new RangeError(`${what}: quality covers ${quality.rows} rows, expected ${rows}`);
  }
  const binary = quality === null || quality.classes <= 2;
  const r: Resolved = {
    agreement,
    quality,
    referenceQuality,
    bootstrap: inputs.bootstrap === undefined ? k_default_bootstrap : inputs.bootstrap,
    minSliceSize: inputs.minSliceSize ?? k_min_slice_size,
    eceBins: inputs.eceBins ?? k_default_ece_bins,
    positiveClass: inputs.positiveClass === undefined ? (binary ? 1 : null) : inputs.positiveClass,
  };

  const groupings: SliceGrouping[] = (inputs.groupings ?? []).map((columns) => {
    const sliceColumns = inputs.sliceColumns ?? {};
    for (const c of columns) {
      const values = Object.hasOwn(sliceColumns, c) ? sliceColumns[c] : undefined;
      if (values !== undefined && values.length !== rows) {
        throw new RangeError(`${what}: slice column "${c}" has ${values.length} values, expected ${rows}`);
      }
    }
    const groups = groupBySlices(sliceColumns, columns);
    const slices = groups.map((g) => sliceMetrics(g, r));
    return { columns: [...columns], slices, gaps: gapsOf(groups, slices, r) };
  });

  return {
    bootstrap:
      r.bootstrap === null
        ? null
        : { iterations: r.bootstrap.iterations, seed: r.bootstrap.seed, confidence: r.bootstrap.confidence },
    minSliceSize: r.minSliceSize,
    eceBins: r.eceBins,
    positiveClass: r.positiveClass,
    overall: sliceMetrics(allRowsSlice(rows), r),
    groupings,
    attributionDrift: inputs.attributionDrift ?? null,
    psnr: inputs.psnr ?? null,
  };
}

/**
 * Equalised-odds gap of one grouping: the larger of its true- and
 * false-positive-rate gaps; null when either could not be computed.
 */
export function equalisedOddsGap(gaps: readonly SliceGap[]): number | null {
  const rate = (metric: SliceMetricName) => {
    const g = gaps.find((x) => x.metric === metric);
    return g?.state === 'computed' ? g.gap : null;
  };
  const tpr = rate('truePositiveRate');
  const fpr = rate('falsePositiveRate');
  return tpr === null || fpr === null ? null : Math.max(tpr, fpr);
}
