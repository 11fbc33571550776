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
  calibration,
  expectedCalibrationError,
  k_default_ece_bins,
  k_min_slice_size,
  positiveRate,
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
});

export interface FidelityReportInputs {
  /** Evaluation rows covered by the per-row arrays and slice columns. */
  readonly rows: number;
  /** From `compareRows` against the reference; null/absent for the reference itself or no reference. */
  readonly agreement?: RowAgreement | null;
  /** From `scoreRows`; null/absent for unlabelled data. */
  readonly quality?: RowQuality | null;
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
  readonly bootstrap: BootstrapOptions | null;
  readonly minSliceSize: number;
  readonly eceBins: number;
  readonly positiveClass: number | null;
}

/** Metrics in the order they appear in intervals and gaps. */
const k_metric_order: readonly SliceMetricName[] = Object.freeze([
  'accuracy',
  'ece',
  'positiveRate',
  'flipRate',
  'meanAbsDp',
]);

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
  return fns;
}

function sliceMetrics(group: SliceGroup, r: Resolved): SliceMetrics {
  const { quality, agreement } = r;
  const agreementSummary = agreement === null ? null : summarizeAgreement(agreement, group.indices);
  const cal = quality === null ? null : calibration(quality, group.indices, r.eceBins);
  return {
    slice: group.slice,
    n: group.n,
    accuracy: quality === null ? null : accuracy(quality, group.indices),
    ece: cal === null ? null : cal.ece,
    positiveRate:
      quality === null || r.positiveClass === null ? null : positiveRate(quality, group.indices, r.positiveClass),
    reliability: cal === null ? null : cal.bins,
    flipRate: agreementSummary?.flipRate ?? null,
    meanAbsDp: agreementSummary?.meanAbsDp ?? null,
    maxAbsDp: agreementSummary?.maxAbsDp ?? null,
    nonFiniteRows: agreementSummary?.nonFiniteRows ?? null,
    ci: r.bootstrap === null ? {} : bootstrapCis(group.indices, metricFunctions(r), r.bootstrap),
  };
}

function gapsOf(groups: readonly SliceGroup[], slices: readonly SliceMetrics[], r: Resolved): SliceGap[] {
  const fns = metricFunctions(r);
  const cis = r.bootstrap === null ? null : sliceGapCis(groups, fns, r.bootstrap, r.minSliceSize);
  return k_metric_order.filter((metric) => fns[metric] !== undefined).map((metric) =>
    sliceGap(
      slices.map((s) => ({ slice: s.slice, n: s.n, value: s[metric] })),
      { metric, higherIsBetter: k_higher_is_better[metric], minSliceSize: r.minSliceSize },
      cis?.[metric] ?? null,
    ),
  );
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
