/**
 * The one rule that turns drift measurements into verdicts, per slice: the
 * UI's drift flags, the CLI's per-slice budget and the recommendation's drift
 * budget all call it. A slice too small to judge (fewer rows than the
 * report's minimum slice size, or fewer explained rows than
 * k_min_explained_per_slice) is reported, named with its size, and never
 * judged: one flip in 20 rows is already 5%.
 */
import { z } from 'zod';
import type { FidelityReport, SliceGap, SliceMetrics } from './types';

/** Explained rows a slice needs before its attribution drift is judged. */
export const k_min_explained_per_slice = 5;

export type DriftMetric = 'flip-rate' | 'attribution-rank-correlation' | 'accuracy-drop' | 'tpr-gap';

/**
 * The drift limits a user or a budget can set, validated the same way
 * wherever they are given (CLI budget, recommendation needs).
 */
export const driftLimitsShape = {
  /** Largest share of rows whose top-1 class differs from the reference's, in any slice. */
  maxFlipRate: z.number().min(0).max(1).describe('Largest flip rate against the reference in any slice (0.01 = 1%).'),
  /** Smallest mean rank correlation of attributions with the reference's, in any slice of explained rows. */
  minAttributionRankCorrelation: z.number().min(-1).max(1).describe('Smallest attribution rank correlation with the reference in any slice.'),
  /** Largest drop of accuracy below the reference's on the same rows, in any slice (0.02 = 2 points). */
  maxAccuracyDrop: z.number().min(0).max(1).describe('Largest accuracy drop below the reference in any slice (0.02 = 2 points).'),
  /** Largest gap in true-positive rate between the slices of any grouping (equal opportunity), 0.05 = 5 points. */
  maxTruePositiveRateGap: z.number().min(0).max(1).describe('Largest true-positive-rate gap between the slices of any grouping (0.05 = 5 points).'),
};

export const driftLimitsSchema = z.object(driftLimitsShape).partial().strict();

/** Each limit optional; undefined means "not asked". */
export type DriftLimits = { [K in keyof typeof driftLimitsShape]?: number | undefined };

/** The limit that judges each drift metric: what a budget names and a report's reader edits. */
export const DRIFT_LIMIT_KEYS: Readonly<Record<DriftMetric, keyof typeof driftLimitsShape>> = Object.freeze({
  'flip-rate': 'maxFlipRate',
  'attribution-rank-correlation': 'minAttributionRankCorrelation',
  'accuracy-drop': 'maxAccuracyDrop',
  'tpr-gap': 'maxTruePositiveRateGap',
});

export interface SliceVerdict {
  metric: DriftMetric;
  /** The slice judged; for a gap, "A vs B" (the highest and lowest slices). */
  slice: string;
  /** Rows in the slice (explained rows for attribution drift; the smaller slice's positives for a TPR gap). */
  n: number;
  value: number;
  limit: number;
  /** 'pass' or 'fail' when judged; 'too-small' when the slice is under the minimum size. */
  status: 'pass' | 'fail' | 'too-small';
  /** Minimum size that applied. */
  minSize: number;
  message: string;
}

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
const pts = (x: number) => `${(x * 100).toFixed(1)} pts`;

/** Every slice of the report, overall first. */
function allSlices(report: FidelityReport): SliceMetrics[] {
  return [report.overall, ...report.groupings.flatMap((g) => g.slices)];
}

/** A per-slice rate judged against an upper limit, skipped on slices under the minimum size. */
function judgeSlices(
  report: FidelityReport,
  metric: 'flip-rate' | 'accuracy-drop',
  limit: number,
  read: (s: SliceMetrics) => number | null | undefined,
): SliceVerdict[] {
  const flips = metric === 'flip-rate';
  const shown = flips ? pct : pts;
  return allSlices(report).flatMap((s) => {
    const value = read(s);
    if (value === null || value === undefined) return [];
    const minSize = s.slice === report.overall.slice ? 1 : report.minSliceSize;
    const judged = s.n >= minSize;
    const ok = value <= limit;
    const name = `${flips ? 'flip rate' : 'accuracy drop'} in slice "${s.slice}"`;
    const detail = flips ? '' : ` (${pct(s.accuracy ?? 0)} vs the reference's ${pct(s.referenceAccuracy ?? 0)})`;
    return [
      {
        metric,
        slice: s.slice,
        n: s.n,
        value,
        limit,
        minSize,
        status: !judged ? 'too-small' : ok ? 'pass' : 'fail',
        message: judged
          ? `${name} (${s.n} rows) ${shown(value)}${detail} ${ok ? '≤' : '>'} limit ${shown(limit)}${!ok && flips ? `: ${Math.round(value * s.n)} of ${s.n} rows flipped` : ''}`
          : `${name} ${shown(value)} not judged: ${s.n} rows, fewer than the ${minSize} a slice needs`,
      },
    ];
  });
}

function gapVerdict(gap: SliceGap, columns: string[], limit: number): SliceVerdict {
  const by = columns.join(' × ');
  if (gap.state !== 'computed') {
    return {
      metric: 'tpr-gap',
      slice: by,
      n: 0,
      value: 0,
      limit,
      minSize: gap.minSliceSize,
      status: 'too-small',
      message: `true-positive-rate gap by ${by} not judged: ${gap.eligibleSlices} slice(s) with at least ${gap.minSliceSize} positive rows, two are needed`,
    };
  }
  const ok = gap.gap <= limit;
  const side = (v: { slice: string; n: number; value: number }) => `"${v.slice}" ${pct(v.value)} of ${v.n} positives`;
  return {
    metric: 'tpr-gap',
    slice: `${gap.highest.slice} vs ${gap.lowest.slice}`,
    n: Math.min(gap.highest.n, gap.lowest.n),
    value: gap.gap,
    limit,
    minSize: gap.minSliceSize,
    status: ok ? 'pass' : 'fail',
    message: `true-positive-rate gap by ${by} ${pts(gap.gap)} (${side(gap.highest)} vs ${side(gap.lowest)}) ${ok ? '≤' : '>'} limit ${pts(limit)}`,
  };
}

export function judgeDrift(report: FidelityReport, limits: DriftLimits): SliceVerdict[] {
  const out: SliceVerdict[] = [];
  const { maxFlipRate, minAttributionRankCorrelation, maxAccuracyDrop, maxTruePositiveRateGap } = limits;
  if (maxFlipRate !== undefined) {
    out.push(...judgeSlices(report, 'flip-rate', maxFlipRate, (s) => s.flipRate));
  }
  if (minAttributionRankCorrelation !== undefined && report.attributionDrift) {
    const drift = report.attributionDrift;
    for (const s of [drift.overall, ...drift.slices]) {
      const minSize = s.slice === drift.overall.slice ? 1 : k_min_explained_per_slice;
      const judged = s.n >= minSize;
      const ok = s.meanSpearman >= minAttributionRankCorrelation;
      const value = s.meanSpearman.toFixed(3);
      out.push({
        metric: 'attribution-rank-correlation',
        slice: s.slice,
        n: s.n,
        value: s.meanSpearman,
        limit: minAttributionRankCorrelation,
        minSize,
        status: !judged ? 'too-small' : ok ? 'pass' : 'fail',
        message: judged
          ? `attribution rank correlation in slice "${s.slice}" (${s.n} explained rows) ${value} ${ok ? '≥' : '<'} limit ${minAttributionRankCorrelation}`
          : `attribution rank correlation in slice "${s.slice}" ${value} not judged: ${s.n} explained rows, fewer than ${minSize}`,
      });
    }
  }
  if (maxAccuracyDrop !== undefined) {
    out.push(...judgeSlices(report, 'accuracy-drop', maxAccuracyDrop, (s) => s.accuracyDrop));
  }
  if (maxTruePositiveRateGap !== undefined) {
    for (const g of report.groupings) {
      const gap = g.gaps.find((x) => x.metric === 'truePositiveRate');
      if (gap) out.push(gapVerdict(gap, g.columns, maxTruePositiveRateGap));
    }
  }
  return out;
}

/** Which asked-for drift limits this report cannot judge at all (a file from before the figure existed, no labels, no attributions). */
export function unjudgedDriftLimits(report: FidelityReport, limits: DriftLimits): DriftMetric[] {
  const verdicts = judgeDrift(report, limits);
  const asked = (Object.entries(DRIFT_LIMIT_KEYS) as [DriftMetric, keyof DriftLimits][]).map(([metric, key]): [DriftMetric, number | undefined] => [metric, limits[key]]);
  return asked.filter(([metric, limit]) => limit !== undefined && !verdicts.some((v) => v.metric === metric)).map(([metric]) => metric);
}
